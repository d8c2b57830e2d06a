package genid

import (
	"strings"
	"testing"
)

// FuzzSpellings checks that every spelling of any 16 bytes parses back to
// the same bytes.
func FuzzSpellings(f *testing.F) {
	for _, v := range loadVectors(f) {
		id := guestBytes(f, v.GuestBytes)
		f.Add(id[:])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) != 16 {
			return
		}
		id, err := FromGuestBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		genid, genidX := id.VMX()
		if FromVMX(genid, genidX) != id {
			t.Fatalf("FromVMX(VMX()) != %s", id.GuestBytes())
		}
		if FromUUIDBytes(id.UUIDBytes()) != id || FromLibvirtVMwareUUID(id.LibvirtVMwareUUIDBytes()) != id {
			t.Fatalf("UUID byte round trip failed for %s", id.GuestBytes())
		}
		for _, p := range []struct {
			s  string
			fn func(string) (ID, error)
		}{
			{id.GuestBytes(), ParseGuestBytes},
			{id.Windows(), ParseWindows},
			{id.GUID(), ParseGUID},
			{id.GUID(), ParseGUIDInput},
			{itoa(genid) + ":" + itoa(genidX), ParseVMXPair},
			{id.HyperV(), ParseHyperV},
			{id.Xen(), ParseXen},
			{id.LibvirtVMware(), ParseLibvirtVMware},
		} {
			got, err := p.fn(p.s)
			if err != nil || got != id {
				t.Fatalf("parse(%q) = %s, %v; want %s", p.s, got.GuestBytes(), err, id.GuestBytes())
			}
		}
		if g := id.GUID(); g != strings.ToLower(g) || len(g) != 36 {
			t.Fatalf("GUID() = %q: not lower-case 8-4-4-4-12", g)
		}
	})
}

// fuzzParser checks the property parse(s) ok ⇒ parse(format(parse(s))) is
// the same ID, and that errors are *ParseError values quoting the input.
func fuzzParser(f *testing.F, seeds []string, parse func(string) (ID, error), format func(ID) string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<10 {
			return
		}
		id, err := parse(s)
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok || pe.Input != s {
				t.Fatalf("parse(%q) error %v is not a *ParseError quoting the input", s, err)
			}
			return
		}
		again, err := parse(format(id))
		if err != nil || again != id {
			t.Fatalf("parse(%q) = %s but parse(%q) = %s, %v", s, id.GuestBytes(), format(id), again.GuestBytes(), err)
		}
	})
}

func FuzzParseGUID(f *testing.F) {
	fuzzParser(f, []string{"44332211-6655-8877-99aa-bbccddeeff00", "{09512CC5-940A-8987-B950-F54F631015E8}"}, ParseGUID, ID.GUID)
}

func FuzzParseGUIDInput(f *testing.F) {
	fuzzParser(f, []string{"44332211-6655-8877-99aa-bbccddeeff00", "{09512CC5-940A-8987-B950-F54F631015E8}", "urn:uuid:09512cc5-940a-8987-b950-f54f631015e8"}, ParseGUIDInput, ID.GUID)
}

func FuzzParseWindows(f *testing.F) {
	fuzzParser(f, []string{"8987940a09512cc5:e81510634ff550b9", "123456789abcdef:1", "0:0"}, ParseWindows, ID.Windows)
}

func FuzzParseVMXPair(f *testing.F) {
	fuzzParser(f, []string{"-8536691797830587195:-1723453263670062919", "+5:007", "18446744073709551615:0"}, ParseVMXPair,
		func(id ID) string { g, x := id.VMX(); return itoa(g) + ":" + itoa(x) })
}

func FuzzParseHyperV(f *testing.F) {
	fuzzParser(f, []string{"805a287a250989e4fe6f6992be334a43", "805A287A250989E4FE6F6992BE334A43"}, ParseHyperV, ID.HyperV)
}

func FuzzParseXen(f *testing.F) {
	fuzzParser(f, []string{"-112755386683798973:-9197994783878313500", "0:0"}, ParseXen, ID.Xen)
}

func FuzzParseGuestBytes(f *testing.F) {
	fuzzParser(f, []string{"c52c51090a948789b950f54f631015e8", "11 22 33 44 55 66 77 88  99 aa bb cc dd ee ff 00"}, ParseGuestBytes, ID.GuestBytes)
}

func FuzzParseLibvirtVMware(f *testing.F) {
	fuzzParser(f, []string{"8987940a-0951-2cc5-e815-10634ff550b9"}, ParseLibvirtVMware, ID.LibvirtVMware)
}
