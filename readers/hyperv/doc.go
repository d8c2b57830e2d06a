// Package hyperv reads the generation ID of a Hyper-V virtual machine from
// its configuration: the XML files of Hyper-V 2012 R2 and earlier, or the
// binary .vmcx of every Hyper-V since 2016 (through package vmcx).
//
// # Where the ID is
//
// Both formats hold the same key tree; one resolver looks up
// configuration/global_settings/devices/generation_id, which must exist
// exactly once and be a string of 32 hex digits (either case). The string
// is the 128-bit number high‖low in big-endian hex, so the guest sees its
// bytes reversed ([genid.ParseHyperV]; docs/byte-order.md).
//
// A valid container without a VM configuration (the host registry
// data.vmcx, whose root is Configurations, or a runtime-state .vmrs) is
// reported as such with [genid.ErrNotFound]. A file under a Snapshots
// directory is a checkpoint's configuration: it is read, and flagged.
//
// # XML encodings
//
// Hyper-V writes UTF-16LE with a byte order mark and CRLF line ends; copies
// are often converted to UTF-8 or single-byte text while still declaring
// UTF-16. The reader decodes by the byte order mark (UTF-16LE, UTF-16BE,
// UTF-8; none means UTF-8, or UTF-16LE when the text starts "<\x00"),
// whatever the declaration says, and trims white space around values.
//
// # Security
//
// Input is assumed hostile and fuzzed; XML files over 64 MiB and trees
// deeper than 256 elements are refused.
package hyperv
