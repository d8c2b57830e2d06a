package qemu_test

import (
	"fmt"
	"strings"

	"github.com/genid-migrate/genid-migrate/readers/qemu"
)

func ExampleRead() {
	cmdline := `qemu-system-x86_64 -machine q35 \
  -device '{"driver":"vmgenid","guid":"09512cc5-940a-8987-b950-f54f631015e8","id":"vmgenid0"}'`
	c, err := qemu.Read(strings.NewReader(cmdline))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Form, c.ID.Windows())
	// Output: shell 8987940a09512cc5:e81510634ff550b9
}
