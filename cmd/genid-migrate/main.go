// Command genid-migrate carries a virtual machine's generation ID across
// hypervisors so that the guest sees the same 16 bytes after a migration.
//
// Run `genid-migrate --help` for the commands and the exit-code table.
package main

import (
	"os"

	// The live inventories audit and --vm read, registered by scheme.
	_ "github.com/genid-migrate/genid-migrate/inventory/libvirt"
	_ "github.com/genid-migrate/genid-migrate/inventory/vsphere"
)

func main() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) }
