package genid

import (
	"errors"
	"fmt"
	"io/fs"
)

// ErrMalformed reports an input that breaks the rules of its format. Readers
// usually return an [*InputError] or a [*ParseError] instead, which are
// malformed by default; ErrMalformed is for the other cases.
var ErrMalformed = errors.New("malformed")

// ErrNotVM reports an input that looks like a configuration format but is
// not a VM's configuration (a NuGet.config beside a Hyper-V XML, a VMware
// snapshot list beside a .vmx).
var ErrNotVM = errors.New("not a VM configuration")

// A Class says what kind of problem an error reports, so that every layer
// above the readers treats it the same way: the command line picks its exit
// code from it and the audit its record status. [ClassOf] finds it.
type Class int

// The classes, from no problem to an unknown one.
const (
	ClassNone        Class = iota // no error
	ClassNotFound                 // the input holds no generation ID ([ErrNotFound])
	ClassGenerated                // the hypervisor is told to generate one ([ErrGenerated])
	ClassZero                     // the ID is all zeros ([ErrZero])
	ClassIncomplete               // half an ID ([ErrIncomplete])
	ClassMalformed                // the input breaks its format
	ClassUnsupported              // well formed, but not something this tool reads ([ErrUnsupported])
	ClassNotVM                    // readable, but not a VM configuration ([ErrNotVM])
	ClassOther                    // anything else: I/O, permissions, a network failure
)

var classNames = [...]string{"none", "not-found", "generated", "zero", "incomplete", "malformed", "unsupported", "not-vm", "other"}

// String returns the class's name, such as "malformed".
func (c Class) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return fmt.Sprintf("Class(%d)", int(c))
	}
	return classNames[c]
}

// The methods by which errors of packages that cannot import this one (the
// Hyper-V container package vmcx knows nothing of generation IDs) say
// their class. They follow net.Error's Timeout: a method that answers a
// yes-or-no question about the error.
type (
	malformedError   interface{ Malformed() bool }
	unsupportedError interface{ Unsupported() bool }
)

// ClassOf returns the class of err, looking through wrapped errors:
//
//   - the sentinels [ErrZero], [ErrGenerated], [ErrNotFound],
//     [ErrIncomplete], [ErrUnsupported], [ErrNotVM] and [ErrMalformed], in
//     that order, so that a more precise one wins;
//   - an error with a Malformed() or Unsupported() method that returns true;
//   - [*ParseError] and [*InputError] that wrap none of the above: malformed;
//   - anything else: [ClassOther].
func ClassOf(err error) Class {
	if err == nil {
		return ClassNone
	}
	var (
		m  malformedError
		u  unsupportedError
		pe *ParseError
		ie *InputError
	)
	switch {
	case errors.Is(err, ErrZero):
		return ClassZero
	case errors.Is(err, ErrGenerated):
		return ClassGenerated
	case errors.Is(err, ErrNotFound):
		return ClassNotFound
	case errors.Is(err, ErrIncomplete):
		return ClassIncomplete
	case errors.Is(err, ErrUnsupported), errors.As(err, &u) && u.Unsupported():
		return ClassUnsupported
	case errors.Is(err, ErrNotVM):
		return ClassNotVM
	case errors.Is(err, ErrMalformed), errors.As(err, &m) && m.Malformed(), errors.As(err, &pe), errors.As(err, &ie):
		return ClassMalformed
	}
	return ClassOther
}

// WithFile names the file an error is about, once: it fills the File of
// an [*InputError] that has none, leaves an error that already starts with
// the name alone, and otherwise prefixes the name. The outermost layer, the
// one that opened the file, calls it; readers never do.
func WithFile(err error, name string) error {
	if err == nil || name == "" {
		return err
	}
	var ie *InputError
	if errors.As(err, &ie) {
		if ie.File == "" {
			ie.File = name
			if err == error(ie) {
				return err
			}
		} else if ie.File == name && err == error(ie) {
			return err
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == name {
		return err // "open NAME: …" names it already
	}
	if msg := err.Error(); len(msg) > len(name) && msg[:len(name)] == name && msg[len(name)] == ':' {
		return err
	}
	return &namedError{name: name, err: err}
}

// namedError prefixes an error with a file name.
type namedError struct {
	name string
	err  error
}

func (e *namedError) Error() string { return safeName(e.name) + ": " + e.err.Error() }
func (e *namedError) Unwrap() error { return e.err }
