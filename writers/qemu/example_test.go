package qemu_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/qemu"
)

func ExampleArgs() {
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	fmt.Printf("%q\n", qemu.Args(id))
	// Output: ["-device" "vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0"]
}

func ExampleDeviceJSON() {
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	fmt.Println(qemu.DeviceJSON(id))
	// Output: {"driver":"vmgenid","guid":"09512cc5-940a-8987-b950-f54f631015e8","id":"vmgenid0"}
}
