package diagnose

import (
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// The seed VMware VM (vectors.json seed-vmware): libvirt's VMX driver value
// 8987940a-0951-2cc5-e815-10634ff550b9 on QEMU shows the guest
// 2cc509518987940a:b950f54f631015e8 (observed 2021, reproduced on QEMU 7.2).
func TestLibvirtConventionObserved(t *testing.T) {
	src, _ := genid.ParseWindows("8987940a09512cc5:e81510634ff550b9")
	seen, _ := genid.ParseWindows("2cc509518987940a:b950f54f631015e8")
	d := Diagnose(src, seen)
	if len(d) != 1 || d[0].Name != "libvirt-vmx-convention" {
		t.Fatalf("Diagnose = %+v", d)
	}
}

func TestMistakes(t *testing.T) {
	src, _ := genid.ParseWindows("8987940a09512cc5:e81510634ff550b9")
	want := map[string]string{
		// libvirt's text 8987940a-0951-2cc5-e815-10634ff550b9 through QEMU's swap.
		"libvirt-vmx-convention": "2cc509518987940a:b950f54f631015e8",
		"high-low-swapped":       "e81510634ff550b9:8987940a09512cc5",
		// guid=e8151063-4ff5-50b9-8987-940a09512cc5 (Hyper-V string with dashes):
		// bytes 63 10 15 e8 f5 4f b9 50 89 87 94 0a 09 51 2c c5 (Python uuid bytes_le).
		"hyperv-string-as-guid": "50b94ff5e8151063:c52c51090a948789",
		// SUSE vmx2xml: e8151063-4ff5-50b9-8987-940a09512cc5 (byte-order.md), the same text.
		"vmx2xml-high-low": "50b94ff5e8151063:c52c51090a948789",
		// guid=c52c5109-0a94-8789-b950-f54f631015e8 → bytes 09 51 2c c5 94 0a 89 87 b9 50 f5 4f 63 10 15 e8.
		"guest-bytes-as-guid": "87890a94c52c5109:e81510634ff550b9",
	}
	for _, m := range Mistakes(src) {
		if got := m.Guest.Windows(); got != want[m.Name] {
			t.Errorf("%s: guest sees %s, want %s", m.Name, got, want[m.Name])
		}
	}
	if d := Diagnose(src, src); len(d) != 0 {
		t.Errorf("a match diagnosed as %+v", d)
	}
	other := genid.MustParseGUID("44332211-6655-8877-99aa-bbccddeeff00")
	if d := Diagnose(src, other); len(d) != 0 {
		t.Errorf("an unrelated ID diagnosed as %+v", d)
	}
}
