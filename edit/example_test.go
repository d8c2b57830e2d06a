package edit_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/edit"
	"github.com/genid-migrate/genid-migrate/genid"
)

// Set a libvirt domain's <genid> so that its guest sees the seed VMware
// VM's ID (vectors.json seed-vmware): only the element changes.
func ExamplePrepare() {
	doc := []byte("<domain type='kvm'>\n  <name>dc01</name>\n  <uuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</uuid>\n  <features><acpi/></features>\n</domain>\n")
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	p, err := edit.Prepare(edit.Libvirt, "dc01.xml", doc, id, "win2019-dc01.vmx", false)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Describe(edit.Would))
	fmt.Print(p.Diff())
	// Output:
	// dc01.xml: would insert <genid>09512cc5-940a-8987-b950-f54f631015e8</genid> on line 4 (the guest will see 8987940a09512cc5:e81510634ff550b9)
	// --- dc01.xml
	// +++ dc01.xml
	// @@ -1,5 +1,6 @@
	//  <domain type='kvm'>
	//    <name>dc01</name>
	//    <uuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</uuid>
	// +  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>
	//    <features><acpi/></features>
	//  </domain>
}
