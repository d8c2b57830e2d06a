package qemu

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// FuzzRead checks that a successful read survives re-encoding the arguments
// as NUL-separated (when no argument holds a newline or NUL),
// and that malformed input is an *InputError.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/qemu/*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("qemu -device vmgenid,guid=auto"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		cl, err := Parse(in)
		if err != nil {
			var ie *genid.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse error %v is not an InputError", err)
			}
			return
		}
		c, err := FromCommandLine(cl)
		if c == nil {
			t.Fatal("nil Config")
		}
		if err != nil {
			return
		}
		if c.ID.IsZero() {
			t.Fatal("success with a zero ID")
		}
		var vals [][]byte
		for _, a := range cl.Args {
			if strings.ContainsAny(a.Value, "\n\x00") {
				return // not representable in the other forms
			}
			vals = append(vals, []byte(a.Value))
		}
		nul := append(bytes.Join(vals, []byte{0}), 0)
		c2, err := Read(bytes.NewReader(nul))
		if err != nil || c2.ID != c.ID {
			t.Fatalf("NUL-separated form gives %v, %v; want %s", c2, err, c.ID)
		}
	})
}
