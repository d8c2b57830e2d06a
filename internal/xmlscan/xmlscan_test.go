package xmlscan

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

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

// dump renders the tokens of a complete document as an XML parser gives
// them: names, text with line ends normalised and references decoded,
// comments, processing instructions' targets.
func dump(doc []byte) (string, bool) {
	s := New(doc, 64)
	var b strings.Builder
	prev := 0
	for {
		tok, ok := s.Next()
		if !ok {
			break
		}
		if tok.Start != prev && !(tok.Kind == EndElement && tok.Start == tok.End && tok.Start == prev) {
			return fmt.Sprintf("a gap before byte %d", tok.Start), false
		}
		prev = tok.End
		switch tok.Kind {
		case StartElement:
			b.WriteString("<" + qname(tok.Prefix, tok.Local))
			for _, a := range tok.Attrs {
				b.WriteString(" " + string(a.Name) + "=" + string(a.Value))
			}
			b.WriteString(">")
		case EndElement:
			b.WriteString("</" + qname(tok.Prefix, tok.Local) + ">")
		case CharData:
			text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(tok.Data))
			b.Write(Unescape([]byte(text)))
		case Comment:
			b.WriteString("<!--" + string(tok.Data) + "-->")
		case ProcInst:
			b.WriteString("<?" + string(tok.Local) + "?>")
		}
	}
	return b.String(), s.Complete()
}

func qname(prefix, local []byte) string {
	if prefix == nil {
		return string(local)
	}
	return string(prefix) + ":" + string(local)
}

// xmlDump is dump by encoding/xml, the reference.
func xmlDump(doc []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var b strings.Builder
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			b.WriteString("<" + xmlName(t.Name))
			for _, a := range t.Attr {
				b.WriteString(" " + xmlName(a.Name) + "=" + a.Value)
			}
			b.WriteString(">")
		case xml.EndElement:
			b.WriteString("</" + xmlName(t.Name) + ">")
		case xml.CharData:
			b.Write(t)
		case xml.Comment:
			b.WriteString("<!--" + string(t) + "-->")
		case xml.ProcInst:
			b.WriteString("<?" + t.Target + "?>")
		}
	}
}

func xmlName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func TestScanner(t *testing.T) {
	tests := []struct {
		doc      string
		want     string
		complete bool
	}{
		{"<a x='1'>t<b/>u&amp;&#65;&#x42;<!-- c --><?p q?></a>", "<a x=1>t<b></b>u&AB<!-- c --><?p?></a>", true},
		{"<?xml version='1.0'?>\n<a:b xmlns:a='u'>\r\n</a:b>\n", "<?xml?>\n<a:b xmlns:a=u>\n</a:b>\n", true},
		{"<a></b>", "<a>", false},
		{"<a>", "<a>", false},
		{"<a/><b/>", "<a></a>", false},
		{"x<a/>", "", false},
		{"<a>&nope;</a>", "<a>", false},
		{"<a>]]></a>", "<a>", false},
		{"<a><![CDATA[x]]></a>", "<a>", false},
		{"<!DOCTYPE a><a/>", "", false},
		{"<a>caf\xc3\xa9</a>", "", false},
		{"<a><!-- x -- y --></a>", "<a>", false},
	}
	for _, tc := range tests {
		got, complete := dump([]byte(tc.doc))
		if got != tc.want || complete != tc.complete {
			t.Errorf("%q: %q, complete %v; want %q, %v", tc.doc, got, complete, tc.want, tc.complete)
		}
	}
}

func TestLine(t *testing.T) {
	s := New([]byte("a\nb\r\nc\n\nd"), 8)
	for _, tc := range []struct{ pos, line int }{{0, 1}, {2, 2}, {5, 3}, {9, 5}, {1, 1}, {100, 5}} {
		if got := s.Line(tc.pos); got != tc.line {
			t.Errorf("Line(%d) = %d, want %d", tc.pos, got, tc.line)
		}
	}
}

// FuzzScanner: a document the scanner reads whole, encoding/xml reads too,
// token for token; the tokens cover the document without gaps.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{
		"<a x='1'>t<b/>u&amp;&#65;<!-- c --><?p q?></a>",
		"<?xml version='1.0' encoding='UTF-8'?>\n<domain type='kvm'>\n  <name>a</name>\n</domain>\n",
		"<configuration><global_settings type=\"node\"><devices><generation_id type=\"string\">x</generation_id></devices></global_settings></configuration>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<16 {
			return
		}
		got, complete := dump(doc)
		if !complete {
			return
		}
		want, err := xmlDump(doc)
		if err != nil {
			if bytes.Contains(doc, []byte("<?xml")) {
				return // the declaration is the filters' to judge
			}
			t.Fatalf("the scanner read what encoding/xml rejects (%v)", err)
		}
		if got != want {
			t.Fatalf("tokens differ:\nscanner      %q\nencoding/xml %q", got, want)
		}
	})
}

// FuzzScanName checks the one-pass name scanner against the composition
// it replaces: the name's end, then SplitName on it.
func FuzzScanName(f *testing.F) {
	for _, s := range []string{"a", "a:b", "a:b:c", ":a", "a:", "_x-1.2 rest", "a=b", "a/", "1a", "a\tb", "", "é", "a\"b"} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, b []byte, tag bool) {
		want := 0
		for want < len(b) && !isSpace(b[want]) && b[want] != '=' && !(tag && b[want] == '/') {
			want++
		}
		wp, wl, wok := SplitName(b[:want])
		n, p, l, ok := scanName(b, tag)
		if ok != wok || ok && (n != want || string(p) != string(wp) || string(l) != string(wl)) {
			t.Fatalf("scanName(%q, %v) = %d %q %q %v; want %d %q %q %v", b, tag, n, p, l, ok, want, wp, wl, wok)
		}
	})
}
