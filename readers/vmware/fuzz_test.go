package vmware

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// render writes entries back as a UTF-8 .vmx file, escaping with |XX.
func render(entries []Entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		if strings.EqualFold(e.Key, ".encoding") {
			continue
		}
		b.WriteString(e.Key + " = \"")
		for i := 0; i < len(e.Value); i++ {
			c := e.Value[i]
			if c == '"' || c == '|' || c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, "|%02X", c)
			} else {
				b.WriteByte(c)
			}
		}
		b.WriteString("\"\n")
	}
	return b.Bytes()
}

// addFileSeeds adds the .vmx fixtures and test files as seeds.
func addFileSeeds(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/vmware/*.vmx")
	more, _ := filepath.Glob("testdata/*.vmx")
	for _, name := range append(files, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzRead checks that anything Parse accepts renders back to the same
// entries, that Read's result does not depend on that rendering, and that
// errors carry a line.
func FuzzRead(f *testing.F) {
	addFileSeeds(f)
	f.Add([]byte("vm.genid = \"5\"\n"))
	f.Add([]byte("vm.genid = \"-1\"\r\nvm.genidx = \"18446744073709551615\" # c\r\n"))
	f.Add([]byte("a = \"|22|7c|zz|\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		pf, err := Parse(bytes.NewReader(in))
		if err != nil {
			var ie *genid.InputError
			if !errors.As(err, &ie) || ie.Line < 1 {
				t.Fatalf("Parse error %v has no line", err)
			}
			return
		}
		c1, err1 := FromFile(pf)
		if c1 == nil {
			t.Fatal("FromFile returned a nil Config")
		}
		again, err := Parse(bytes.NewReader(render(pf.Entries)))
		if err != nil {
			t.Fatalf("rendered entries do not parse: %v\n%s", err, render(pf.Entries))
		}
		utf8 := true
		if _, ok := decoderFor(pf.Encoding); !ok || !strings.EqualFold(strings.TrimSpace(pf.Encoding), "utf-8") && pf.Encoding != "" {
			utf8 = false
		}
		var want []Entry
		for _, e := range pf.Entries {
			if !strings.EqualFold(e.Key, ".encoding") {
				want = append(want, e)
			}
		}
		if len(again.Entries) != len(want) {
			t.Fatalf("%d entries, %d after rendering", len(want), len(again.Entries))
		}
		for i, e := range want {
			g := again.Entries[i]
			if g.Key != e.Key || utf8 && g.Value != e.Value {
				t.Fatalf("entry %d: %q=%q, after rendering %q=%q", i, e.Key, e.Value, g.Key, g.Value)
			}
		}
		c2, err2 := FromFile(again)
		if c1.ID != c2.ID || (err1 == nil) != (err2 == nil) || errors.Is(err1, genid.ErrNotFound) != errors.Is(err2, genid.ErrNotFound) {
			t.Fatalf("Read differs after rendering: %v %v / %v %v", c1.ID, err1, c2.ID, err2)
		}
		if err1 == nil {
			if c1.ID.IsZero() {
				t.Fatal("Read returned a zero ID without ErrNotFound")
			}
			g, x := c1.ID.VMX()
			c3, err := Read(strings.NewReader(fmt.Sprintf("vm.genid = \"%d\"\nvm.genidX = \"%d\"\n", g, x)))
			if err != nil || c3.ID != c1.ID {
				t.Fatalf("ID %s does not survive VMX(): %v", c1.ID, err)
			}
		}
	})
}

// FuzzReadFast checks that the one-pass reader, whenever it answers,
// answers exactly as the full parser does: the same Config and the same
// error.
func FuzzReadFast(f *testing.F) {
	addFileSeeds(f)
	f.Add([]byte("config.version = \"8\"\nVM.GENID = \"5\"\nvm.genidX = \"|36\"\ndisplayName = \"a|22b\"\n"))
	f.Add([]byte(".encoding = \"windows-1252\"\nguestOS = \"w\"\ndisplayName = \"caf|E9\"\nvm.genid = \"1\"\nvm.genid = \"1\"\nvm.genidX = \"0\"\n"))
	f.Add([]byte("\ufeffmemsize = \"1\"\r\nvm.genid = \"-1\" # c\r\nvm.genidx = \"18446744073709551615\"\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		c1, err1, ok := readFast(in)
		if !ok {
			return
		}
		c2, err2 := readFull(in)
		if fmt.Sprint(err1) != fmt.Sprint(err2) || genid.ClassOf(err1) != genid.ClassOf(err2) {
			t.Fatalf("errors differ: fast %v, full %v", err1, err2)
		}
		if !reflect.DeepEqual(c1, c2) {
			t.Fatalf("configs differ:\nfast %+v\nfull %+v", c1, c2)
		}
	})
}
