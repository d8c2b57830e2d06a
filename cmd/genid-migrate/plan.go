package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/inventory"
	"github.com/genid-migrate/genid-migrate/plan"
)

func planCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "write a reviewed script that gives Proxmox VMs their sources' generation IDs",
		ArgsUsage: "--to proxmox SOURCE… TARGET…",
		Description: `Reads the sources (.vmx, Hyper-V, OVF/OVA, libvirt, KubeVirt manifests, directories of them,
or vCenter, ESXi and libvirt URIs) and the Proxmox VE configurations (qemu-server .conf
files, or /etc/pve/nodes), pairs each Proxmox VM with its source, and prints a POSIX sh
script to review and run as root on the Proxmox node: per VM, a comment with both IDs
and how they were paired, a check that the VM is stopped and that its vmgenid is still
what the plan saw, qm set VMID --vmgenid GUID, and a read-back through qm config.

Proxmox takes a vmgenid only from root@pam with a password ticket, not from API tokens,
which is why this is a script for the node and not an API call.

Pairs come from --pairs FILE (CSV: source,target), then the SMBIOS UUID (Proxmox's ESXi
importer keeps VMware's uuid.bios as smbios1's uuid=), then a name unique on both sides
(the script says so). Sources and Proxmox VMs that cannot be paired are listed at the
end of the script, never guessed.

Examples:
   genid-migrate plan --to proxmox /vmfs/volumes/ds1 /etc/pve/nodes > set-genid.sh
   genid-migrate plan --to proxmox 'vpx://admin%40vsphere.local@vc/?no_verify=1' /etc/pve/nodes
   genid-migrate plan --to proxmox --pairs moves.csv exports/ /etc/pve/nodes/pve1`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Usage: "the target `PLATFORM`: proxmox"},
			&cli.StringFlag{Name: "pairs", Usage: "CSV `FILE` of source,target paths, tried before UUIDs and names"},
			&cli.BoolFlag{Name: "json", Usage: "print the plan as JSON instead of a script"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary on standard error"},
			followFlag,
			passwordFileFlag,
		},
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			switch c.String("to") {
			case "proxmox":
			case "":
				return &usageError{"plan needs --to proxmox"}
			default:
				return &usageError{fmt.Sprintf("--to %q: plan writes scripts for proxmox; for other targets use convert --to or rewrite", c.String("to"))}
			}
			if c.NArg() < 2 {
				return &usageError{"plan needs the sources and the Proxmox configurations, such as: plan --to proxmox exports/ /etc/pve/nodes"}
			}
			p, err := planFor(c, c.Args().Slice())
			if err != nil {
				return err
			}
			if !c.Bool("quiet") {
				fmt.Fprintf(c.App.ErrWriter, "plan: %d to set, %d already right, %d sources and %d Proxmox VMs left out\n",
					p.ToSet(), len(p.Steps)-p.ToSet(), len(p.UnpairedSources), len(p.UnpairedTargets))
			}
			if c.Bool("json") {
				return p.WriteJSON(c.App.Writer)
			}
			return p.WriteScript(c.App.Writer, "Made by: genid-migrate plan --to proxmox "+strings.Join(redactAll(c.Args().Slice()), " "))
		},
	}
}

// planFor audits the inventories and plans their Proxmox targets.
func planFor(c *cli.Context, args []string) (*plan.Plan, error) {
	var pairs []audit.Pair
	if p := c.String("pairs"); p != "" {
		var err error
		if pairs, err = readPairs(p); err != nil {
			return nil, err
		}
	}
	opt, err := inventoryOptions(c)
	if err != nil {
		return nil, err
	}
	sources, err := inventory.Open(context.Background(), args, opt)
	if err != nil {
		return nil, err
	}
	defer inventory.CloseAll(sources)
	res, err := audit.Run(sources, audit.Options{})
	if err != nil {
		return nil, err
	}
	return plan.Proxmox(res.Entries, pairs), nil
}

// redactAll removes passwords from inventory URIs.
func redactAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = inventory.Redact(a)
	}
	return out
}
