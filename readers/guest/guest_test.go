package guest

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		kind    Kind
		bytes   string // guest bytes; for partial, the first 8
		partial bool
	}{
		// The seed document's Linux recipe (vectors.json seed-qemu-swap).
		{"hexdump -C", "# dd if=/dev/mem bs=1 skip=$(( 0x7ffff028 )) count=16 | hexdump -C\n16+0 records in\n16+0 records out\n16 bytes copied, 6.0392e-05 s, 265 kB/s\n00000000  44 33 22 11 66 55 88 77  99 aa bb cc dd ee ff 00  |D3\".fU.w........|\n00000010\n", GuestBytes, "4433221166558877" + "99aabbccddeeff00", false},
		{"xxd", "00000000: c52c 5109 0a94 8789 b950 f54f 6310 15e8  .,Q....P.Oc...\n", GuestBytes, "c52c51090a948789b950f54f631015e8", false},
		{"xxd with hex-looking ASCII", "00000000: 6162 6364 6566 3031 3233 3435 3637 3839  abcdef0123456789\n", GuestBytes, "61626364656630313233343536373839", false},
		{"plain", "c52c51090a948789b950f54f631015e8", GuestBytes, "c52c51090a948789b950f54f631015e8", false},
		{"plain spaced", "c5 2c 51 09 0a 94 87 89 b9 50 f5 4f 63 10 15 e8\n", GuestBytes, "c52c51090a948789b950f54f631015e8", false},
		// VMGENID.EXE on ESXi (vectors.json seed-vmware).
		{"vmgenid.exe", "8987940a09512cc5:e81510634ff550b9\r\n", Windows, "c52c51090a948789b950f54f631015e8", false},
		{"getvmgenid", "VmCounterValue: 8987940a09512cc5:e81510634ff550b9\n", Windows, "c52c51090a948789b950f54f631015e8", false},
		// Leading zeros dropped (vectors.json edge-leading-zero-windows).
		{"no leading zeros", "C:\\> VMGENID.EXE\n123456789abcdef:1\n", Windows, "efcdab89674523010100000000000000", false},
		{"qmp", `{"return": {"guid": "09512cc5-940a-8987-b950-f54f631015e8"}}`, QMP, "c52c51090a948789b950f54f631015e8", false},
		{"qmp bare", `{"guid": "09512cc5-940a-8987-b950-f54f631015e8"}`, QMP, "c52c51090a948789b950f54f631015e8", false},
		// tksh164/get-vm-generation-id README: VmCounterValue 7b5857dc5fa32925:1430435a6ee58a42
		// gives msDS-GenerationId 25 29 A3 5F DC 57 58 7B.
		{"msDS-GenerationId hex", "msDS-GenerationId: 25 29 A3 5F DC 57 58 7B", AD, "2529a35fdc57587b", true},
		{"msDS-GenerationId ldif", "dn: CN=DC01,OU=Domain Controllers,DC=corp\nmsDS-GenerationId:: JSmjX9xXWHs=\n", AD, "2529a35fdc57587b", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := e.ID.GuestBytes()
			if e.Partial {
				got = got[:16]
			}
			if e.Kind != tc.kind || got != tc.bytes || e.Partial != tc.partial {
				t.Errorf("Parse = %s %s partial=%v; want %s %s %v", e.Kind, got, e.Partial, tc.kind, tc.bytes, tc.partial)
			}
		})
	}
}

// The AD value of the getvmgenid README is the low half of its VMGENID value.
func TestADIsLowHalf(t *testing.T) {
	full, _ := Parse("VmCounterValue: 7b5857dc5fa32925:1430435a6ee58a42")
	ad, _ := Parse("msDS-GenerationId: 25 29 A3 5F DC 57 58 7B")
	if full.ID.GuestBytes()[:16] != ad.ID.GuestBytes()[:16] {
		t.Errorf("%s vs %s", full.ID.GuestBytes(), ad.ID.GuestBytes())
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "hello world", "c52c5109", "c52c51090a948789b950f54f631015e8ff", `{"return": {}}`, `{"guid": "{09512cc5-940a-8987-b950-f54f631015e8}"}`, "msDS-GenerationId:: AAAA", strings.Repeat("a", MaxSize+1)} {
		if e, err := Parse(in); err == nil {
			t.Errorf("Parse(%.40q) = %+v, want an error", in, e)
		}
	}
}

// FuzzParse: whatever parses, its ID written back in its own form parses
// to the same evidence.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"8987940a09512cc5:e81510634ff550b9", "00000000  44 33 22 11 66 55 88 77  99 aa bb cc dd ee ff 00  |D3\".fU.w........|", `{"guid":"09512cc5-940a-8987-b950-f54f631015e8"}`, "msDS-GenerationId:: JSmjX9xXWHs="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e, err := Parse(in)
		if err != nil {
			return
		}
		var again string
		switch e.Kind {
		case Windows:
			again = e.ID.Windows()
		case GuestBytes:
			again = e.ID.GuestBytes()
		case QMP:
			again = `{"guid":"` + e.ID.GUID() + `"}`
		case AD:
			again = "msDS-GenerationId: " + e.ID.GuestBytes()[:16]
		}
		e2, err := Parse(again)
		if err != nil || e2.Kind != e.Kind || e2.ID != e.ID || e2.Partial != e.Partial {
			t.Fatalf("%q → %+v; %q → %+v, %v", in, e, again, e2, err)
		}
		if e.Partial && [8]byte(e.ID[8:]) != [8]byte{} {
			t.Fatal("partial evidence with a high half")
		}
	})
}

// TestADForms: msDS-GenerationId as PowerShell, LDIF and ldp print it, 16
// bytes or 8; a lone 64-bit number is half of VMGENID.EXE's output.
func TestADForms(t *testing.T) {
	// The seed VMware VM (vectors.json seed-vmware): G = c5 2c 51 09 0a 94 87 89 b9 50 f5 4f 63 10 15 e8.
	g := "c52c51090a948789b950f54f631015e8"
	for _, tc := range []struct {
		name, in string
		kind     Kind
		hex      string // the known bytes
	}{
		{"powershell table", "msDS-GenerationId : {197, 44, 81, 9, 10, 148, 135, 137, 185, 80, 245, 79, 99, 16, 21, 232}", ADFull, g},
		{"powershell list", "197\n44\n81\n9\n10\n148\n135\n137\n185\n80\n245\n79\n99\n16\n21\n232\n", ADFull, g},
		{"powershell 8", "{197, 44, 81, 9, 10, 148, 135, 137}", AD, g[:16]},
		{"ldif 16", "msDS-GenerationId:: xSxRCQqUh4m5UPVPYxAV6A==", ADFull, g},
		{"ldif 8", "msDS-GenerationId:: xSxRCQqUh4k=", AD, g[:16]},
	} {
		ev, err := Parse(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if ev.Kind != tc.kind || !strings.HasPrefix(ev.ID.GuestBytes(), tc.hex) || ev.Partial != (tc.kind == AD) {
			t.Errorf("%s: %+v", tc.name, ev)
		}
	}
	for _, half := range []string{"8987940a09512cc5", "VmCounterValue: 8987940a09512cc5"} {
		if _, err := Parse(half); err == nil || !strings.Contains(err.Error(), "paste the whole line") {
			t.Errorf("%q: %v", half, err)
		}
	}
}

// TestVirshMonitorOutput: virsh qemu-monitor-command prints QMP's reply
// with libvirt's id.
func TestVirshMonitorOutput(t *testing.T) {
	ev, err := Parse(`{"return":{"guid":"09512cc5-940a-8987-b950-f54f631015e8"},"id":"libvirt-416"}` + "\n")
	if err != nil || ev.Kind != QMP || ev.ID.GuestBytes() != "c52c51090a948789b950f54f631015e8" { // vector seed-vmware
		t.Errorf("%+v, %v", ev, err)
	}
}
