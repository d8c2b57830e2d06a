package qmp

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"
)

func TestParseXP(t *testing.T) {
	// The shape of QEMU 7.2's HMP "xp /4xg 0xe0000" output.
	out := "00000000000e0000: 0x2052545020445352 0x0000000000000000\r\n00000000000e0010: 0x8877665544332211 0xffeeddccbbaa9900\r\n"
	b, err := parseXP(out, 4)
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:8]) != "RSD PTR " || b[16] != 0x11 || b[31] != 0xff {
		t.Errorf("parseXP = % x", b)
	}
	for _, bad := range []string{"00000000000e0000: Cannot access memory\r\n", "00000000000e0000: 0x1\r\n", "junk"} {
		if _, err := parseXP(bad, 2); err == nil {
			t.Errorf("parseXP(%q) accepted", bad)
		}
	}
}

// ssdt builds a VMGENID SSDT with the AML QEMU writes, and a checksum.
func ssdt(vgia uint32) []byte {
	b := make([]byte, 36)
	copy(b, "SSDT")
	copy(b[10:], "BOCHS ")
	copy(b[16:], "VMGENID")
	aml := []byte{0x08, 'V', 'G', 'I', 'A', 0x0c, 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(aml[6:], vgia)
	b = append(b, aml...)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)))
	b[9] = 0
	b[9] = -sum(b)
	return b
}

func TestVMGenIDSSDT(t *testing.T) {
	if v, ok := vmgenidSSDT(ssdt(0x7fff000)); !ok || v != 0x7fff000 {
		t.Errorf("vmgenidSSDT = %#x, %v", v, ok)
	}
	bad := ssdt(0x7fff000)
	bad[40] ^= 1 // checksum no longer holds
	if _, ok := vmgenidSSDT(bad); ok {
		t.Error("accepted a table with a bad checksum")
	}
	if _, ok := vmgenidSSDT(ssdt(0)); ok {
		t.Error("accepted VGIA 0 (firmware not done)")
	}
}

func TestDialRefusesRemote(t *testing.T) {
	for _, addr := range []string{"192.0.2.1:4444", "example.com:4444"} {
		_, err := Dial(context.Background(), addr)
		if err == nil || !strings.Contains(err.Error(), "not on the loopback network") {
			t.Errorf("Dial(%q) = %v", addr, err)
		}
	}
}

// FuzzParseXP: accepted output decodes to exactly the bytes its words
// spell, and printing them back in the same form gives the same bytes.
func FuzzParseXP(f *testing.F) {
	f.Add("00000000000e0000: 0x2052545020445352 0x0000000000000000\r\n", 2)
	f.Fuzz(func(t *testing.T, out string, words int) {
		if words < 0 || words > 1024 || len(out) > 1<<16 {
			return
		}
		b, err := parseXP(out, words)
		if err != nil {
			return
		}
		if len(b) != words*8 {
			t.Fatalf("%d bytes for %d words", len(b), words)
		}
		var again strings.Builder
		for i := 0; i < len(b); i += 8 {
			again.WriteString("0000000000000000: 0x")
			again.WriteString(strings.TrimLeft("", ""))
			again.WriteString(hex64(binary.LittleEndian.Uint64(b[i:])))
			again.WriteString("\n")
		}
		b2, err := parseXP(again.String(), words)
		if err != nil || string(b2) != string(b) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func hex64(v uint64) string {
	const d = "0123456789abcdef"
	var s [16]byte
	for i := 15; i >= 0; i-- {
		s[i] = d[v&15]
		v >>= 4
	}
	return string(s[:])
}
