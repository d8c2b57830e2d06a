package vmcxbuild

import (
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
)

// TestLayoutFacts checks the builder's output against facts the format
// notes (docs/hyperv-format.md) state, without the reader.
func TestLayoutFacts(t *testing.T) {
	b, l, err := Build(Node("configuration", Node("global_settings", Node("devices", String("generation_id", "805a287a250989e4fe6f6992be334a43")))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	crcZeroed := func(s []byte, at int) uint32 {
		c := append([]byte(nil), s...)
		binary.LittleEndian.PutUint32(c[at:], 0)
		return crc32.ChecksumIEEE(c)
	}
	for _, h := range []int{0, 0x1000} {
		if got := b[h : h+4]; string(got) != "\x14\x20\x28\x01" {
			t.Errorf("header at %#x: signature % x, want 14 20 28 01", h, got)
		}
		if binary.LittleEndian.Uint32(b[h+4:]) != crcZeroed(b[h:h+0x2e], 4) {
			t.Errorf("header at %#x: CRC does not cover bytes 0x00-0x2D with the field zeroed", h)
		}
	}
	if binary.LittleEndian.Uint32(b[0x2000:]) != 0x01110001 || binary.LittleEndian.Uint32(b[0x2004:]) != 227 {
		t.Errorf("object table header % x", b[0x2000:0x2008])
	}
	// "CRC of 18 zero bytes = 0x671BCF4D. Every unused object-table slot stores exactly this value."
	last := b[0x2008+226*18 : 0x2008+227*18]
	if got := binary.LittleEndian.Uint32(last[1:]); got != 0x671BCF4D {
		t.Errorf("unused slot CRC %#x, want 0x671BCF4D", got)
	}
	// generation_id: a String of 64 bytes (u32 length, UTF-16LE, no terminator).
	off := l.Entries["configuration/global_settings/devices/generation_id"]
	e := b[off:]
	if e[0] != TypeString || e[0x14] != 14 || string(e[21:35]) != "generation_id\x00" || binary.LittleEndian.Uint32(e[35:]) != 64 || e[39] != '8' || e[40] != 0 {
		t.Errorf("generation_id entry % x", e[:48])
	}
	// A node's value: 8 zero bytes, then the next child insertion sequence.
	dev := b[l.Entries["configuration/global_settings/devices"]:]
	v := dev[21+len("devices")+1:]
	if binary.LittleEndian.Uint32(v[8:]) != 2 {
		t.Errorf("devices' next child sequence %d, want 2 (one child, sequence 1)", binary.LittleEndian.Uint32(v[8:]))
	}
}

func TestXMLAndUTF16(t *testing.T) {
	x := XML(Node("configuration", Bool("b", true), Int("i", -3), Bytes("y", []byte{1, 2, 3}), String("s", "a<b")))
	for _, want := range []string{`<b type="bool">True</b>`, `<i type="integer">-3</i>`, `<y type="bytes">AQID</y>`, `<s type="string">a&lt;b</s>`, `encoding="UTF-16"`} {
		if !strings.Contains(x, want) {
			t.Errorf("XML lacks %s:\n%s", want, x)
		}
	}
	u := UTF16LE("a\nb")
	if string(u) != "\xff\xfea\x00\r\x00\n\x00b\x00" {
		t.Errorf("UTF16LE = % x", u)
	}
}
