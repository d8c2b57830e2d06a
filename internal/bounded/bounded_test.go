package bounded

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

func TestLines(t *testing.T) {
	var got []string
	err := Lines(strings.NewReader("\xef\xbb\xbfa\r\nb\n\nc"), func(n int, text []byte) error {
		got = append(got, string(text))
		return nil
	})
	if err != nil || strings.Join(got, "|") != "a|b||c" {
		t.Errorf("Lines = %q, %v; want a|b||c", got, err)
	}
	stop := errors.New("stop")
	if err := Lines(strings.NewReader("a\nb\n"), func(int, []byte) error { return stop }); err != stop {
		t.Errorf("callback error not returned: %v", err)
	}
	err = Lines(strings.NewReader("ok\n"+strings.Repeat("x", MaxLineSize+1)+"\n"), func(int, []byte) error { return nil })
	var ie *genid.InputError
	if !errors.As(err, &ie) || ie.Line != 2 {
		t.Errorf("long line: %v, want an InputError on line 2", err)
	}
}

// zeros is an endless stream of zero bytes, as /dev/zero gives.
type zeros struct{ read int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.read += int64(len(p))
	return len(p), nil
}

func TestReadAll(t *testing.T) {
	b, err := ReadAll(strings.NewReader("hello"), 5, 0, "x")
	if err != nil || string(b) != "hello" {
		t.Errorf("ReadAll at the limit = %q, %v", b, err)
	}
	b, err = ReadAll(strings.NewReader("hello"), 5, 5, "x")
	if err != nil || string(b) != "hello" {
		t.Errorf("ReadAll with a size hint = %q, %v", b, err)
	}
	z := &zeros{}
	_, err = ReadAll(z, 1<<20, 0, "a configuration file")
	if genid.ClassOf(err) != genid.ClassMalformed || !strings.Contains(err.Error(), "larger than 1 MiB: not a configuration file") {
		t.Errorf("ReadAll of an endless stream: %v", err)
	}
	if z.read > 2<<20 {
		t.Errorf("read %d bytes of an endless stream for a 1 MiB limit", z.read)
	}
}

func TestLineLimit(t *testing.T) {
	z := &zeros{}
	n, err := io.Copy(io.Discard, LineLimit(z, 100, 1<<20))
	var ie *genid.InputError
	if !errors.As(err, &ie) || ie.Line != 1 || n > 100 {
		t.Errorf("an endless line: %d bytes passed, %v", n, err)
	}
	in := bytes.Repeat([]byte("a,b\n"), 1000)
	got, err := io.ReadAll(LineLimit(bytes.NewReader(in), 3, 1<<20))
	if err != nil || !bytes.Equal(got, in) {
		t.Errorf("lines within the limits: %d bytes, %v", len(got), err)
	}
	_, err = io.ReadAll(LineLimit(bytes.NewReader(in), 3, 100))
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Errorf("past the total limit: %v", err)
	}
}
