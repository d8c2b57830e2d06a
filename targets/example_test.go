package targets_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/targets"
)

// The seed VMware VM's ID (vectors.json seed-vmware) for a Proxmox VM.
func Example() {
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	out, err := targets.ByName("proxmox").Render(id, targets.Options{VMID: "101"})
	if err != nil {
		panic(err)
	}
	fmt.Print(out.Text)
	fmt.Printf("%q\n", out.Argv)
	// Output:
	// qm set 101 --vmgenid 09512cc5-940a-8987-b950-f54f631015e8
	// ["qm" "set" "101" "--vmgenid" "09512cc5-940a-8987-b950-f54f631015e8"]
}
