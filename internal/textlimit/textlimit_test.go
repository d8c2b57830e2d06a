package textlimit

import (
	"errors"
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
