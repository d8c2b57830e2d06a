// Package bounded reads files and streams under size limits, so that no
// input, however large or endless (/dev/zero, a pipe that never closes its
// lines), is held in memory past the documented limits. Every file or
// stream the tool reads goes through it.
package bounded

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/genid-migrate/genid-migrate/genid"
)

// The limits. Real configuration files are a few kilobytes; the largest
// inputs are Hyper-V's 40 KB UTF-16 XML and merged audit reports.
const (
	MaxLineSize = 1 << 20  // longest line a line-oriented reader accepts, in bytes
	MaxFileSize = 64 << 20 // largest text file or stream read whole, in bytes
)

// TooLarge returns the error for an input past limit bytes: malformed for
// the input's kind (exit 4), never an I/O failure.
func TooLarge(limit int64, what string) error {
	return &genid.InputError{Err: fmt.Errorf("larger than %s: not %s", size(limit), what)}
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadAll reads r to its end and returns what it read, or fails with
// [TooLarge] (naming what the input should have been, such as "a
// configuration file") as soon as more than limit bytes arrive. hint, the
// input's size if known (0 if not), sizes the buffer so that a file is read
// into one allocation; a stream grows it as bytes arrive, never past
// limit+1.
func ReadAll(r io.Reader, limit, hint int64, what string) ([]byte, error) {
	c := min(max(hint, 0), limit) + 1
	if hint <= 0 {
		c = min(limit+1, 64<<10)
	}
	b := make([]byte, 0, c)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
			if int64(cap(b)) > limit+1 {
				b = b[: len(b) : limit+1]
			}
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, TooLarge(limit, what)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ReadFile reads the named file whole with [ReadAll]; "-" is not special
// here. A directory is refused before any read.
func ReadFile(name string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not %s", name, what)
	}
	var hint int64
	if st.Mode().IsRegular() {
		hint = st.Size()
	}
	b, err := ReadAll(f, limit, hint, what)
	return b, genid.WithFile(err, name)
}

// Parse reads the named file with [ReadFile] up to [MaxFileSize] and gives
// its bytes to parse, naming the file in any error ([genid.WithFile]).
func Parse[T any](name, what string, parse func([]byte) (T, error)) (T, error) {
	b, err := ReadFile(name, MaxFileSize, what)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := parse(b)
	return v, genid.WithFile(err, name)
}

// Lines calls fn for each line of r (without its LF or CRLF, and without a
// leading UTF-8 byte order mark), with its 1-based number. It stops at the
// first error fn returns, and fails with an [*genid.InputError] naming the
// line when a line exceeds [MaxLineSize] or the input [MaxFileSize], before
// holding either in memory.
func Lines(r io.Reader, fn func(line int, text []byte) error) error {
	lr := &io.LimitedReader{R: r, N: MaxFileSize + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4<<10), MaxLineSize+2) // grows to fit the longest line; room for CR LF
	line := 0
	tooBig := func() error {
		return &genid.InputError{Line: line, Err: fmt.Errorf("larger than %s: not a configuration file", size(MaxFileSize))}
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
			return longLine(line, MaxLineSize)
		}
		if err := fn(line, text); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return longLine(line+1, MaxLineSize)
		}
		return err
	}
	if lr.N <= 0 {
		return tooBig()
	}
	return nil
}

func longLine(line, limit int) error {
	return &genid.InputError{Line: line, Err: fmt.Errorf("line longer than %s", size(int64(limit)))}
}

// LineLimit returns a reader that reads r but fails with an
// [*genid.InputError] naming the line as soon as a line runs past maxLine
// bytes, or the whole past limit bytes, so that a line-oriented parser
// above it (encoding/csv, a JSON-lines scanner) never buffers more.
func LineLimit(r io.Reader, maxLine int, limit int64) io.Reader {
	return &lineLimit{r: r, maxLine: maxLine, limit: limit, line: 1}
}

type lineLimit struct {
	r       io.Reader
	maxLine int   // longest line
	limit   int64 // most bytes in all
	read    int64 // bytes so far
	run     int   // bytes since the last LF
	line    int   // 1-based line of the next byte
	err     error // sticky
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			l.line++
			continue
		}
		if l.run++; l.run > l.maxLine {
			l.err = longLine(l.line, l.maxLine)
			return i, l.err
		}
	}
	if l.read += int64(n); l.read > l.limit {
		l.err = &genid.InputError{Line: l.line, Err: fmt.Errorf("larger than %s", size(l.limit))}
		return 0, l.err
	}
	return n, err
}
