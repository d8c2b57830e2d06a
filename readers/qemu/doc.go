// Package qemu reads the generation ID from a QEMU command line.
//
// # Format
//
// A command line comes in one of three forms, told apart by content:
//
//   - NUL-separated arguments, as in /proc/PID/cmdline;
//   - one argument per line, with no shell quoting;
//   - a shell command line, possibly continued over several lines with a
//     trailing backslash (as in libvirt's .args files and `ps` output
//     pasted by hand), with single quotes, double quotes and backslash
//     escapes read as a POSIX shell reads them.
//
// The ID is the guid= of the one `-device vmgenid` given either in QEMU's
// classic syntax (vmgenid,guid=<GUID>,id=vmgenid0, with ",," for a literal
// comma) or as JSON ({"driver":"vmgenid","guid":"<GUID>",…}), the form
// libvirt uses since 7.9. QEMU reads guid= as a big-endian UUID and swaps
// its first three fields before writing guest RAM, so the value is read
// with [genid.ParseGUID]. QEMU accepts only the 36-character dashed form and
// at most one vmgenid device; other spellings and a second device are
// errors QEMU itself would report (docs/libvirt-qemu.md §2.3). No guid, or
// guid=auto, means QEMU generates an ID at each start: [genid.ErrNotFound].
//
// # Security
//
// Input is assumed hostile and fuzzed. Files are limited to 64 MiB and a
// command line to one million arguments.
package qemu
