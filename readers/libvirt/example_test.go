package libvirt_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/readers/libvirt"
)

// The same <genid> text means different guest bytes in a vmware domain
// (libvirt's VMX/ESX driver) and in a kvm domain.
func ExampleParse() {
	for _, typ := range []string{"vmware", "kvm"} {
		d, err := libvirt.Parse([]byte(`<domain type='` + typ + `'><name>dc01</name><genid>8987940a-0951-2cc5-e815-10634ff550b9</genid></domain>`))
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-6s %-14s guest sees %s\n", typ, d.Convention, d.ID.Windows())
	}
	// Output:
	// vmware libvirt-vmware guest sees 8987940a09512cc5:e81510634ff550b9
	// kvm    qemu           guest sees 2cc509518987940a:b950f54f631015e8
}
