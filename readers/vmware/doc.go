// Package vmware reads VMware .vmx configuration files and the generation ID
// they hold.
//
// # Format
//
// A .vmx file is a list of `key = "value"` lines. Blank lines and lines
// starting with # are ignored; a # after the closing quote starts a comment.
// Keys are case-insensitive (real files spell vm.genidX as vm.genidx).
// Inside the quotes VMware escapes bytes as |XX (two hex digits): a quote is
// |22 and a bar |7C. A `.encoding` line names the character set of the
// values; UTF-8 (the default), windows-1252 and ISO-8859-1 are converted to
// UTF-8, others are kept byte for byte with invalid UTF-8 replaced. Lines may
// end in LF or CRLF and a UTF-8 byte order mark is skipped.
//
// The generation ID is vm.genid (the low half) and vm.genidX (the high
// half), each a signed 64-bit decimal; unsigned values up to 2^64−1 are
// accepted too. G = LE64(vm.genid) ‖ LE64(vm.genidX) (docs/byte-order.md).
// Neither key, or both 0, is "no generation ID" ([genid.ErrNotFound]);
// exactly one key is an incomplete ID ([genid.ErrIncomplete]), never
// completed with zeros.
//
// # Errors
//
// Errors are [*genid.InputError] values naming the line and key; the caller
// that opened the file sets their File field ([ReadFile] does). A line that is
// not `key = "value"` is an error; so is an ID key set twice to different
// values. Other keys set twice are kept (the first value wins) and reported
// in [Config.Warnings].
//
// # Security
//
// Input is assumed hostile and the parser is fuzzed. Lines over [MaxLineSize]
// and files over [MaxFileSize] are refused before they are held in memory.
package vmware
