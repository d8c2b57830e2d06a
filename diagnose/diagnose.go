// Package diagnose recognises the known wrong conversions of a generation
// ID: given the ID a source holds and the one a guest sees, it names the
// mistake that turns one into the other, the tools that make it, and the
// fix (docs/byte-order.md, "Wrong spellings already in the wild").
package diagnose

import (
	"encoding/binary"
	"encoding/hex"

	"github.com/genid-migrate/genid-migrate/genid"
)

// A Mistake is a wrong conversion and what a guest then sees.
type Mistake struct {
	Name        string   // stable identifier, such as "libvirt-vmx-convention"
	Explanation string   // what went wrong
	Tools       string   // who typically does it
	Guest       genid.ID // what the guest sees after it
}

// Mistakes returns the known wrong conversions of src, each with the ID a
// QEMU guest would see after it, in the order they are checked.
func Mistakes(src genid.ID) []Mistake {
	lo, hi := src.Low(), src.High()
	var be [16]byte
	binary.BigEndian.PutUint64(be[0:8], hi)
	binary.BigEndian.PutUint64(be[8:16], lo)
	var hv [16]byte
	copy(hv[:], mustHex(src.HyperV()))
	return []Mistake{
		{
			Name:        "libvirt-vmx-convention",
			Explanation: "the <genid> libvirt's VMX/ESX driver writes (%016x of vm.genid, then of vm.genidX) was given to QEMU unchanged; typing VMGENID.EXE's low:high, zero-padded, into guid= gives the same bytes",
			Tools:       "virsh domxml-from-native vmware-vmx, virsh -c esx:// dumpxml, virt-v2v -i libvirt -ic vpx:// and Forklift/MTV, which build on them",
			Guest:       genid.FromUUIDBytes(src.LibvirtVMwareUUIDBytes()),
		},
		{
			Name:        "high-low-swapped",
			Explanation: "the two 64-bit halves were swapped (vm.genidX taken as the low half)",
			Tools:       "hand conversions and scripts that read vm.genidX first",
			Guest:       genid.FromHalves(hi, lo),
		},
		{
			Name:        "hyperv-string-as-guid",
			Explanation: "the Hyper-V generation_id string was given to QEMU's guid= with dashes added, without reversing it",
			Tools:       "manual conversions from Hyper-V",
			Guest:       genid.FromUUIDBytes(hv),
		},
		{
			Name:        "vmx2xml-high-low",
			Explanation: "the GUID was written as %016x of vm.genidX, then of vm.genid, with no byte swap",
			Tools:       "SUSE vmx2xml (virt-install --metadata genid=)",
			Guest:       genid.FromUUIDBytes(be),
		},
		{
			Name:        "guest-bytes-as-guid",
			Explanation: "the 16 guest bytes were written as the GUID as they are; QEMU swaps the first three fields, so the guest sees them swapped",
			Tools:       "tools that treat the GUID as a big-endian RFC 4122 UUID of the bytes",
			Guest:       genid.FromUUIDBytes(src),
		},
	}
}

// Diagnose returns the mistakes that explain why a guest sees got instead of
// want. None means the guest's ID is unrelated: the hypervisor generated a
// new one.
func Diagnose(want, got genid.ID) []Mistake {
	var out []Mistake
	for _, m := range Mistakes(want) {
		if m.Guest == got && got != want {
			out = append(out, m)
		}
	}
	return out
}

// Unrelated explains a guest ID that no known mistake produces.
const Unrelated = "the guest's ID is unrelated to the source's: the target generated a new one (Proxmox's ESXi importer, libvirt's empty <genid/>, a restore, clone or snapshot revert), or the source is not this VM's"

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
