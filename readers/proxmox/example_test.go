package proxmox_test

import (
	"fmt"
	"strings"

	"github.com/genid-migrate/genid-migrate/readers/proxmox"
)

func ExampleRead() {
	conf := `name: win2019-dc01
vmgenid: 09512cc5-940a-8987-b950-f54f631015e8

[before-upgrade]
vmgenid: 7f2c11d0-3a9b-4c55-8e21-6d0f93ab4c17
`
	c, err := proxmox.Read(strings.NewReader(conf))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name, c.ID.Windows())
	for _, s := range c.Snapshots {
		fmt.Println("snapshot", s.Name, s.ID.Windows())
	}
	// Output:
	// win2019-dc01 8987940a09512cc5:e81510634ff550b9
	// snapshot before-upgrade 4c553a9b7f2c11d0:174cab930f6d218e
}
