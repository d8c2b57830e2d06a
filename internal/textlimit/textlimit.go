// Package textlimit reads line-oriented configuration files under size
// limits, so that no reader holds an unbounded line or file in memory.
package textlimit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Limits shared by the text readers. Real configuration files are a few
// kilobytes.
const (
	MaxLineSize = 1 << 20  // longest line accepted, in bytes
	MaxFileSize = 64 << 20 // largest file accepted, in bytes
)

// Lines calls fn for each line of r (without its LF or CRLF, and without a
// leading UTF-8 byte order mark), with its 1-based number. It stops at the
// first error fn returns, and fails with an [*genid.InputError] naming the
// line when a line or the file exceeds the limits.
func Lines(r io.Reader, fn func(line int, text []byte) error) error {
	lr := &io.LimitedReader{R: r, N: MaxFileSize + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4<<10), MaxLineSize+2) // grows to fit the longest line; room for CR LF
	line := 0
	tooBig := func() error {
		return &genid.InputError{Line: line, Err: fmt.Errorf("file larger than %d MiB: not a configuration file", MaxFileSize>>20)}
	}
	for sc.Scan() {
		line++
		if lr.N <= 0 {
			return tooBig()
		}
		text := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
		}
		if len(text) > MaxLineSize {
			return &genid.InputError{Line: line, Err: fmt.Errorf("line longer than %d MiB", MaxLineSize>>20)}
		}
		if err := fn(line, text); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &genid.InputError{Line: line + 1, Err: fmt.Errorf("line longer than %d MiB", MaxLineSize>>20)}
		}
		return err
	}
	if lr.N <= 0 {
		return tooBig()
	}
	return nil
}

// ReadFile opens name and calls read on it. When read fails with an
// [*genid.InputError] that names no file, ReadFile sets its File to name.
func ReadFile[T any](name string, read func(io.Reader) (T, error)) (T, error) {
	fh, err := os.Open(name)
	if err != nil {
		var zero T
		return zero, err
	}
	defer fh.Close()
	v, err := read(fh)
	var ie *genid.InputError
	if errors.As(err, &ie) && ie.File == "" {
		ie.File = name
	}
	return v, err
}

// EqualFoldASCII reports whether s and t are equal ignoring the case of
// ASCII letters only, as hypervisors compare configuration keys (Unicode
// case folding would, say, match the Kelvin sign with k).
func EqualFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
