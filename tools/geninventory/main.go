// Command geninventory writes a synthetic inventory of VM configurations
// with planted problems and prints, as JSON, exactly what it planted (see
// package internal/fleetgen for the proportions).
//
//	go run ./tools/geninventory -vms 1000 -out /tmp/inventory > plants.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/genid-migrate/genid-migrate/internal/fleetgen"
)

func main() {
	vms := flag.Int("vms", 1000, "number of source VMs (about 1.6 configurations each)")
	out := flag.String("out", "", "directory to write (must not exist)")
	seed := flag.Uint64("seed", 1, "random seed")
	disks := flag.Bool("disks", false, "add sparse 8 MiB disk images (1 VMware VM in 250)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "geninventory: -out DIR is required")
		os.Exit(2)
	}
	p, err := fleetgen.GenerateWith(*out, fleetgen.Options{VMs: *vms, Seed: *seed, DiskImages: *disks})
	if err != nil {
		fmt.Fprintln(os.Stderr, "geninventory:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(p)
}
