package libvirt

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
	writer "github.com/genid-migrate/genid-migrate/writers/libvirt"
)

// FuzzParse checks that errors are typed and positioned, that a success
// holds a non-zero ID, and that writing that ID back (in the QEMU spelling)
// into a qemu or kvm domain reads back the same ID.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/libvirt/*.xml")
	more, _ := filepath.Glob("../../fixtures/negative/no-id/*.xml")
	for _, name := range append(files, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<20 {
			return
		}
		if fast, ok := scan(doc); ok {
			full, err := parseOutline(doc)
			if err != nil {
				t.Fatalf("the fast scanner accepts what the full parsers reject (%v)", err)
			}
			if !reflect.DeepEqual(fast, full) {
				t.Fatalf("outlines differ:\nfast %+v\nfull %+v", fast, full)
			}
		}
		d, err := Parse(doc)
		var ie *genid.InputError
		switch {
		case err == nil:
			if d.ID.IsZero() {
				t.Fatal("success with a zero ID")
			}
		case errors.Is(err, genid.ErrNotFound):
			return
		case errors.As(err, &ie):
			if ie.Line < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		default:
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if d.Convention != ConvQEMU || d.QEMUArgs != nil {
			return
		}
		out, _, err := writer.SetGenID(doc, d.ID)
		if err != nil {
			t.Fatalf("SetGenID on a readable domain: %v", err)
		}
		again, err := Parse(out)
		if err != nil || again.ID != d.ID {
			t.Fatalf("after writing its own ID back: %v, %v; want %s", again, err, d.ID)
		}
	})
}
