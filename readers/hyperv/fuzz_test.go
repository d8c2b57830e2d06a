package hyperv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// FuzzReadXML checks that errors are typed and positioned, and that an ID
// read from any input is read again from a fresh configuration holding its
// Hyper-V spelling, in UTF-16 as Hyper-V writes it.
func FuzzReadXML(f *testing.F) {
	small := vmcxbuild.Node("configuration", vmcxbuild.Node("global_settings", vmcxbuild.Node("devices", vmcxbuild.String("generation_id", seedHyperV))))
	f.Add([]byte(vmcxbuild.XML(small)))
	f.Add(vmcxbuild.UTF16LE(vmcxbuild.XML(small)))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		c, err := ReadXML(bytes.NewReader(in))
		// The fast scanner, when it answers, agrees with the full parser.
		if text, derr := DecodeText(in); derr == nil {
			if ft, ok := scanXML(text); ok {
				slow, serr := parseXML(text)
				if serr != nil {
					t.Fatalf("the fast scanner accepted what the parser rejects: %v", serr)
				}
				a, aerr := resolve(ft, &Config{}, func(_ leaf, e error) error { return e })
				b, berr := resolve(slow, &Config{}, func(_ leaf, e error) error { return e })
				if (aerr == nil) != (berr == nil) || a.ID != b.ID || a.Line != b.Line || a.Name != b.Name || a.GlobalID != b.GlobalID || a.Version != b.Version || a.Subtype != b.Subtype {
					t.Fatalf("fast and full parses differ: %+v %v / %+v %v", a, aerr, b, berr)
				}
			}
		}
		var ie *genid.InputError
		switch {
		case err == nil:
		case errors.Is(err, genid.ErrNotFound), errors.Is(err, genid.ErrNotVM), errors.As(err, &ie):
			return
		default:
			t.Fatalf("untyped error %T: %v", err, err)
		}
		again := vmcxbuild.Node("configuration", vmcxbuild.Node("global_settings", vmcxbuild.Node("devices", vmcxbuild.String("generation_id", c.ID.HyperV()))))
		c2, err := ReadXML(bytes.NewReader(vmcxbuild.UTF16LE(vmcxbuild.XML(again))))
		if err != nil || c2.ID != c.ID {
			t.Fatalf("ID %s does not survive: %v", c.ID.HyperV(), err)
		}
	})
}

// FuzzReadVMCX checks that errors carry an offset and that an ID read from
// any input is read again from a fresh container holding it.
func FuzzReadVMCX(f *testing.F) {
	small := vmcxbuild.Node("configuration", vmcxbuild.Node("properties", vmcxbuild.String("global_id", vmID)),
		vmcxbuild.Node("global_settings", vmcxbuild.Node("devices", vmcxbuild.String("generation_id", seedHyperV))))
	if b, _, err := vmcxbuild.Build(small, vmcxbuild.Options{}); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		c, err := ReadVMCX(bytes.NewReader(in), int64(len(in)))
		var fe *vmcx.FormatError
		switch {
		case err == nil:
		case errors.Is(err, genid.ErrNotFound), errors.As(err, &fe):
			return
		default:
			t.Fatalf("error without an offset %T: %v", err, err)
		}
		root := vmcxbuild.Node("configuration", vmcxbuild.Node("global_settings", vmcxbuild.Node("devices", vmcxbuild.String("generation_id", c.Text))))
		b, _, err := vmcxbuild.Build(root, vmcxbuild.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c2, err := ReadVMCX(bytes.NewReader(b), int64(len(b)))
		if err != nil || c2.ID != c.ID {
			t.Fatalf("ID %s does not survive: %v", c.ID.HyperV(), err)
		}
	})
}

// BenchmarkParseXML reads a Hyper-V 2012 R2 XML configuration as
// generated inventories hold them (UTF-16LE, about 80 KB).
func BenchmarkParseXML(b *testing.B) {
	doc := vmcxbuild.UTF16LE(vmcxbuild.XML(vmcxbuild.VM{Name: "hx", GlobalID: vmID, GenerationID: seedHyperV, Version: 1280, Notes: "Finance & Controlling <Veeam>"}.Tree()))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseXML(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodeText checks the narrowing of UTF-16 against the standard
// library's decoding, little- and big-endian, at every length and
// alignment of a non-ASCII character.
func FuzzDecodeText(f *testing.F) {
	f.Add("<configuration>\r\n  <a type=\"string\">x</a>\r\n</configuration>\r\n")
	f.Add("<é>" + strings.Repeat("abcdefgh", 5) + "\u20ac")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || len(s) > 1<<16 {
			return
		}
		u := utf16.Encode([]rune(s))
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			b := make([]byte, 2+2*len(u))
			order.PutUint16(b, 0xfeff)
			for i, c := range u {
				order.PutUint16(b[2+2*i:], c)
			}
			for _, dst := range [][]byte{nil, make([]byte, 0, len(b))} {
				got, _, err := decodeText(b, dst)
				if err != nil || string(got) != s {
					t.Fatalf("%v: %q, want %q (%v)", order, got, s, err)
				}
			}
		}
	})
}
