package genid_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
)

// The seed VMware VM: what it stores, and what to give QEMU so a guest sees
// the same bytes.
func ExampleFromVMX() {
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	fmt.Println("guest bytes:", id.GuestBytes())
	fmt.Println("windows:    ", id.Windows())
	fmt.Println("qemu guid:  ", id.GUID())
	fmt.Println("hyper-v:    ", id.HyperV())
	// Output:
	// guest bytes: c52c51090a948789b950f54f631015e8
	// windows:     8987940a09512cc5:e81510634ff550b9
	// qemu guid:   09512cc5-940a-8987-b950-f54f631015e8
	// hyper-v:     e81510634ff550b98987940a09512cc5
}

func ExampleParseGUID() {
	id, err := genid.ParseGUID("44332211-6655-8877-99aa-bbccddeeff00")
	if err != nil {
		panic(err)
	}
	fmt.Println(id.GuestBytes())
	// Output: 112233445566778899aabbccddeeff00
}

func ExampleParseHyperV() {
	id, err := genid.ParseHyperV("805a287a250989e4fe6f6992be334a43")
	if err != nil {
		panic(err)
	}
	fmt.Println(id.Windows(), id.GUID())
	// Output: fe6f6992be334a43:805a287a250989e4 be334a43-6992-fe6f-e489-09257a285a80
}

func ExampleParseWindows() {
	// VMGENID.EXE prints no leading zeros.
	id, err := genid.ParseWindows("123456789abcdef:1")
	if err != nil {
		panic(err)
	}
	fmt.Println(id.GuestBytes())
	// Output: efcdab89674523010100000000000000
}

func ExampleID_VMX() {
	id := genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	genid, genidX := id.VMX()
	fmt.Printf("vm.genid = \"%d\"\nvm.genidX = \"%d\"\n", genid, genidX)
	// Output:
	// vm.genid = "-8536691797830587195"
	// vm.genidX = "-1723453263670062919"
}

// A <genid> from libvirt's VMX/ESX driver means something else than the same
// text in a QEMU domain.
func ExampleParseLibvirtVMware() {
	id, err := genid.ParseLibvirtVMware("8987940a-0951-2cc5-e815-10634ff550b9")
	if err != nil {
		panic(err)
	}
	fmt.Println("the VMware guest saw:", id.Windows())
	fmt.Println("write for QEMU:      ", id.GUID())
	// Output:
	// the VMware guest saw: 8987940a09512cc5:e81510634ff550b9
	// write for QEMU:       09512cc5-940a-8987-b950-f54f631015e8
}
