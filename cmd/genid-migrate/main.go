// Command genid-migrate carries a virtual machine's generation ID across
// hypervisors so that the guest sees the same 16 bytes after a migration.
//
// Run `genid-migrate --help` for the commands and the exit-code table.
package main

import "os"

func main() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) }
