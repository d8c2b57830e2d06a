package vmware_test

import (
	"fmt"
	"strings"

	"github.com/genid-migrate/genid-migrate/readers/vmware"
)

func ExampleRead() {
	vmx := `displayName = "win2019-dc01"
vm.genid = "-8536691797830587195"
vm.genidX = "-1723453263670062919"
`
	c, err := vmware.Read(strings.NewReader(vmx))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.DisplayName, c.ID.Windows(), c.ID.GUID())
	// Output: win2019-dc01 8987940a09512cc5:e81510634ff550b9 09512cc5-940a-8987-b950-f54f631015e8
}

// Key/value pairs that did not come from a .vmx file (vCenter's
// config.extraConfig, an OVF's vmw:ExtraConfig) go through the same rules:
// keys ignore ASCII case, both halves are required.
func ExampleFromEntries() {
	f := vmware.FromEntries([]vmware.Entry{
		{Key: "displayName", Value: "win2019-dc01"},
		{Key: "vm.genid", Value: "-8536691797830587195"},
		{Key: "VM.GENIDX", Value: "-1723453263670062919"},
	})
	c, err := vmware.FromFile(f)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.DisplayName, c.ID.Windows())
	// Output: win2019-dc01 8987940a09512cc5:e81510634ff550b9
}
