package xmlspan

import (
	"errors"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	doc := "<?xml version='1.0'?>\r\n<!-- c -->\r\n<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\r\n  <name>a&amp;b</name>\r\n  <genid/>\r\n  <qemu:commandline>\r\n    <qemu:arg value='-m'/>\r\n  </qemu:commandline>\r\n</domain>\r\n"
	d, err := Scan([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if d.Root.Local != "domain" || d.Root.Line != 3 || doc[d.Root.Start:d.Root.End] != doc[strings.Index(doc, "<domain"):strings.Index(doc, "</domain>")+9] {
		t.Errorf("root = %+v", d.Root)
	}
	want := []struct {
		prefix, local, text string
		line                int
		self                bool
	}{
		{"", "name", "<name>a&amp;b</name>", 4, false},
		{"", "genid", "<genid/>", 5, true},
		{"qemu", "commandline", "<qemu:commandline>\r\n    <qemu:arg value='-m'/>\r\n  </qemu:commandline>", 6, false},
	}
	if len(d.Children) != len(want) {
		t.Fatalf("%d children, want %d", len(d.Children), len(want))
	}
	for i, w := range want {
		c := d.Children[i]
		if c.Prefix != w.prefix || c.Local != w.local || doc[c.Start:c.End] != w.text || c.Line != w.line || c.SelfClosing != w.self {
			t.Errorf("child %d = %+v %q, want %+v", i, c, doc[c.Start:c.End], w)
		}
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
	}{
		{"<domain>\n<name>x</nam>\n</domain>", 2},
		{"<domain>\n<name>x</name>\n", 3},
		{"<a/>\n<b/>", 2},
		{"<a/>\ntext", 2},
		{"", 1},
		{"<?xml version='1.0' encoding='UTF-16'?><a/>", 1},
	}
	for _, tc := range tests {
		_, err := Scan([]byte(tc.in))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != tc.line {
			t.Errorf("Scan(%q) = %v, want a SyntaxError on line %d", tc.in, err, tc.line)
		}
	}
}

// FuzzScan checks that spans nest inside the document and the root, in
// order, and start with '<'.
func FuzzScan(f *testing.F) {
	f.Add([]byte("<domain><name>x</name><genid/></domain>"))
	f.Add([]byte("<?xml version='1.0'?>\n<domain type='kvm'>\n  <uuid>u</uuid>\n</domain>\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<20 {
			return
		}
		d, err := Scan(doc)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		prev := d.Root.Start
		for _, c := range d.Children {
			if c.Start < prev || c.End <= c.Start || c.End > d.Root.End || doc[c.Start] != '<' {
				t.Fatalf("bad span %+v in root %+v", c, d.Root)
			}
			prev = c.End
		}
	})
}
