package incus_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/incus"
)

func ExampleCommand() {
	id, _ := genid.ParseWindows("8987940a09512cc5:e81510634ff550b9") // vector seed-vmware, observed on ESXi
	argv, err := incus.Command("win2019-dc01", id)
	if err != nil {
		panic(err)
	}
	fmt.Println(argv)
	// Output: [incus config set win2019-dc01 volatile.uuid.generation=09512cc5-940a-8987-b950-f54f631015e8]
}
