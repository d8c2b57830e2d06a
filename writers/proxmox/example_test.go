package proxmox_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/proxmox"
)

func ExampleLine() {
	id, _ := genid.ParseWindows("8987940a09512cc5:e81510634ff550b9")
	fmt.Println(proxmox.Line(id))
	// Output: vmgenid: 09512cc5-940a-8987-b950-f54f631015e8
}

func ExampleCommand() {
	id, _ := genid.ParseWindows("8987940a09512cc5:e81510634ff550b9")
	argv, err := proxmox.Command("101", id)
	if err != nil {
		panic(err)
	}
	fmt.Println(argv)
	// Output: [qm set 101 --vmgenid 09512cc5-940a-8987-b950-f54f631015e8]
}
