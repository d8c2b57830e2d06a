// Package vmware writes a generation ID as VMware .vmx lines.
//
// vm.genid is the low and vm.genidX the high 64 bits of the guest bytes,
// each as a signed decimal (docs/byte-order.md). Both keys are always
// written: libvirt reads a missing one as 0 and virt-v2v ignores a lone one.
package vmware

import (
	"strconv"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Lines returns the two .vmx lines, each ending in a newline:
//
//	vm.genid = "<low>"
//	vm.genidX = "<high>"
func Lines(id genid.ID) string {
	g, x := id.VMX()
	return "vm.genid = \"" + strconv.FormatInt(g, 10) + "\"\nvm.genidX = \"" + strconv.FormatInt(x, 10) + "\"\n"
}
