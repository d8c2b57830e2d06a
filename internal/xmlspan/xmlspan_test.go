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

// TestPlainASCII checks the word-at-a-time test against the byte test, for
// every byte value at every position of a 17-byte text.
func TestPlainASCII(t *testing.T) {
	base := []byte("<a b='c'>d</a>\r\n\t")
	if !PlainASCII(base) {
		t.Fatal("plain text refused")
	}
	for pos := range base {
		for c := 0; c < 256; c++ {
			b := append([]byte(nil), base...)
			b[pos] = byte(c)
			want := c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' || c == '\r'
			if got := PlainASCII(b); got != want {
				t.Fatalf("byte %#02x at %d: PlainASCII = %v, want %v", c, pos, got, want)
			}
		}
	}
}

func TestPlainAttrs(t *testing.T) {
	tests := []struct {
		in   string
		want []string // name=value pairs; nil when refused
	}{
		{"", []string{}},
		{"  ", []string{}},
		{" type='kvm'", []string{"type=kvm"}},
		{" a=\"1\"\tb = '2' \n", []string{"a=1", "b=2"}},
		{" xmlns:qemu='http://x/y'", []string{"xmlns:qemu=http://x/y"}},
		{" v='say \"hi\"'", []string{"v=say \"hi\""}},
		{"a='1'", nil},       // no space before
		{" a='1'b='2'", nil}, // no space between
		{" a=1", nil},        // unquoted
		{" a", nil},          // no value
		{" a='1", nil},       // unclosed
		{" a='&amp;'", nil},  // a reference
		{" a='<'", nil},      // '<' in a value
		{" 1a='x'", nil},     // not a name
		{" a:b:c='x'", nil},  // two colons
		{" :a='x'", nil},     // empty prefix
		{" a='x' /", nil},    // stray text
	}
	for _, tc := range tests {
		got, ok := PlainAttrs([]byte(tc.in), nil)
		if tc.want == nil {
			if ok {
				t.Errorf("PlainAttrs(%q) accepted %q", tc.in, got)
			}
			continue
		}
		var pairs []string
		for _, a := range got {
			pairs = append(pairs, string(a.Name)+"="+string(a.Value))
		}
		if !ok || strings.Join(pairs, ",") != strings.Join(tc.want, ",") {
			t.Errorf("PlainAttrs(%q) = %q, %v; want %q", tc.in, pairs, ok, tc.want)
		}
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct {
		in, prefix, local string
		ok                bool
	}{
		{"domain", "", "domain", true},
		{"qemu:commandline", "qemu", "commandline", true},
		{"a.b-c_d9", "", "a.b-c_d9", true},
		{"_x", "", "_x", true},
		{"9x", "", "", false},
		{"a:", "", "", false},
		{":a", "", "", false},
		{"a:b:c", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		p, l, ok := SplitName([]byte(tc.in))
		if ok != tc.ok || ok && (string(p) != tc.prefix || string(l) != tc.local) {
			t.Errorf("SplitName(%q) = %q, %q, %v", tc.in, p, l, ok)
		}
	}
}
