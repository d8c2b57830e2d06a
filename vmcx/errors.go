package vmcx

import (
	"errors"
	"fmt"
)

// Sentinel errors, tested with errors.Is.
var (
	ErrFormat      = errors.New("corrupt")                    // the bytes break the format
	ErrChecksum    = errors.New("checksum mismatch")          // a CRC-32 does not match
	ErrVersion     = errors.New("unsupported format version") // a header's version is not 0x400
	ErrUnsupported = errors.New("unsupported")                // well formed, but not read by this package
)

// A FormatError reports a problem at a byte offset of the file.
type FormatError struct {
	Offset int64  // byte offset of the structure at fault
	What   string // the structure, such as "file header A" or "key entry"
	Err    error  // what is wrong; wraps one of the sentinels
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("vmcx: %s at %#x: %v", e.What, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *FormatError) Unwrap() error { return e.Err }

// Malformed reports whether the file breaks the format (a corrupt
// structure or a checksum mismatch), as opposed to [FormatError.Unsupported].
// With it, callers classify the error without knowing this package.
func (e *FormatError) Malformed() bool { return !e.Unsupported() }

// Unsupported reports whether the file is well formed but uses a version
// or a feature this package does not read ([ErrVersion], [ErrUnsupported]).
func (e *FormatError) Unsupported() bool {
	return errors.Is(e.Err, ErrVersion) || errors.Is(e.Err, ErrUnsupported)
}

func corrupt(off int64, what, format string, args ...any) error {
	return &FormatError{Offset: off, What: what, Err: fmt.Errorf("%w: "+format, append([]any{ErrFormat}, args...)...)}
}

func checksum(off int64, what string, stored, computed uint32) error {
	return &FormatError{Offset: off, What: what, Err: fmt.Errorf("%w: stored %#08x, computed %#08x", ErrChecksum, stored, computed)}
}

func unsupported(off int64, what, format string, args ...any) error {
	return &FormatError{Offset: off, What: what, Err: fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)}
}
