package genid

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNotFound reports that an input was read and holds no generation ID:
// the keys are absent, both halves are zero, or the hypervisor is told to
// generate a fresh one. It is not a format error.
var ErrNotFound = errors.New("no generation ID")

// ErrIncomplete reports that an input holds only half of a generation ID
// (one of VMware's vm.genid and vm.genidX). Readers never fill the missing
// half with zeros.
var ErrIncomplete = errors.New("incomplete generation ID")

// A ParseError reports a value that is not a valid spelling of a
// generation ID (or of one half of it).
type ParseError struct {
	Spelling string // the spelling expected, such as "GUID" or "Hyper-V generation_id"
	Input    string // the text that was read
	Reason   string // what is wrong with it
}

func (e *ParseError) Error() string {
	return "invalid " + e.Spelling + " " + strconv.Quote(e.Input) + ": " + e.Reason
}

// Reason returns what is wrong according to the [*ParseError] in err's
// chain, without the spelling and the quoted input, for messages that
// quote the input themselves; err's own message if it holds none.
func Reason(err error) string {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	return err.Error()
}

// An InputError reports a problem at a place in an input file: a malformed
// line, an incomplete ID, a value that is not a valid spelling. Readers fill
// Line (or Arg) and Key; the caller that opened the file fills File.
type InputError struct {
	File string // the file's name as the user gave it; "" if unknown
	Line int    // 1-based line number; 0 if not known or not line-oriented
	Arg  int    // 1-based argument number in a command line; 0 if not used
	Key  string // the configuration key involved; "" if none
	Err  error  // what is wrong
}

func (e *InputError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(safeName(e.File))
	}
	if e.Line > 0 {
		if e.File != "" {
			b.WriteString(":")
		} else {
			b.WriteString("line ")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Arg > 0 {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString("argument ")
		b.WriteString(strconv.Itoa(e.Arg))
	}
	if e.Key != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Key)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// ErrUnsupported reports an input that is well formed but holds something
// the tool does not read, such as a <genid> of a libvirt driver whose byte
// order has not been established.
var ErrUnsupported = errors.New("unsupported")

// reason is a sentinel that reads like its parent and wraps it, so that
// errors.Is finds both.
type reason struct {
	msg    string
	parent error
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.parent }

// ErrZero reports an ID that is all zeros, which every hypervisor treats as
// none. It wraps [ErrNotFound].
var ErrZero error = &reason{"no generation ID", ErrNotFound}

// ErrGenerated reports a configuration that asks the hypervisor to
// generate a fresh ID (libvirt's empty <genid/>, Proxmox's "vmgenid: 1",
// QEMU's guid=auto). It wraps [ErrNotFound].
var ErrGenerated error = &reason{"no generation ID", ErrNotFound}

// safeName quotes a file name that holds control characters or bytes that
// are not UTF-8, so that a crafted name cannot forge lines of a message
// or move the terminal's cursor.
func safeName(name string) string {
	if !utf8.ValidString(name) {
		return strconv.Quote(name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == 0x2028 || r == 0x2029 {
			return strconv.Quote(name)
		}
	}
	return name
}
