// Package vmcx reads the binary container of Hyper-V configuration files
// (.vmcx, .vmrs and the host's data.vmcx), which Microsoft's VmDataStore
// calls HyperVStorage. It knows nothing of generation IDs: it verifies the
// container and exposes its tree of typed keys, as debug/elf exposes
// sections without knowing Go build info.
//
// # Format
//
// All integers are little-endian and structures are packed. Every checksum
// is CRC-32/IEEE over the structure with its checksum field zeroed. A file
// holds two 4 KiB headers (the valid one with the higher sequence number is
// used), a replay log, an object table at twice the header size, and key
// tables holding entries that link to their parents by (table index, table
// offset). Value types: Int, UInt, Double, String (UTF-16LE), Array
// (bytes), Bool and Node; a value stored in a separate file object is
// reported as unsupported. The layout was worked out from public
// reverse-engineered descriptions and verified, every CRC included, on real
// files (the project's docs/hyperv-format.md); format versions other than
// 0x400, object-table continuations and several key tables with the same
// index have never been seen and are rejected as unsupported.
//
// # Reading only what is needed
//
// [NewFileOnly] makes every check [NewFile] makes but builds only the keys
// on a few paths, for readers that need a handful of keys of the hundreds
// a configuration holds: entries are checked into one reused slice without
// pointers, and Keys are made only for the roots and those paths. Content
// already in memory ([InMemory]) is read in place.
//
// # Journal
//
// A replay log with live entries means Hyper-V did not finish writing the
// file. NewFile replays such a journal in memory, never on disk: every live
// entry's checksum and data checksum must verify and its ranges lie in
// bounds, and the entries are applied in array order before the tables are
// read. If any live entry fails those checks the file is refused as an
// unclean configuration (pending journal). Stale entries after the live
// ones are ignored.
//
// # Errors
//
// Corrupt input gives a [*FormatError] with the byte offset, wrapping
// [ErrChecksum] for a checksum mismatch or [ErrFormat] otherwise;
// well-formed input this package does not read wraps [ErrUnsupported] or,
// for an unknown format version, [ErrVersion].
//
// # Security
//
// Input is assumed hostile and the package is fuzzed. Only the structures
// needed are read (a .vmrs can hold gigabytes of guest memory after them);
// every size taken from the file is checked against the file and capped
// before it is allocated, and the key tree is walked with a depth limit and
// a cycle check. The file is never written.
package vmcx
