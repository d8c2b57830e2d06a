package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/textsafe"
)

func showCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print every spelling of the generation ID in each input",
		ArgsUsage: "[INPUT…]",
		Description: `Reads each INPUT (a file, a VM's folder, whose configurations are found by content,
or - for standard input) and each literal value, and
prints the 16 bytes the guest sees and every spelling of them: Windows (VMGENID.EXE),
the GUID for QEMU, libvirt and Proxmox, VMware, Hyper-V and Xen. An inventory URI
(vpx://, esx://, https://…/sdk, qemu:///…) with --vm NAME reads one VM of a vCenter,
ESXi or libvirt host; --libvirt URI DOMAIN… reads domains of a libvirt host.

With --json, one input prints one object and several print an array in input order
(literal flags first, then files); an input that cannot be read becomes
{"input":…,"error":{"code":…,"message":…}} in the array. The exit code is that of
the first input that failed.

Examples:
   genid-migrate show win2019-dc01.vmx
   genid-migrate show --json /etc/pve/qemu-server/101.conf
   genid-migrate show --windows 8987940a09512cc5:e81510634ff550b9
   genid-migrate show --vm dc01 'vpx://admin@vc.example.com/?no_verify=1'
   genid-migrate show --libvirt qemu:///system dc01
   tr '\0' '\n' < /proc/PID/cmdline | genid-migrate show -`,
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"},
			libvirtFlag("read the arguments as domains of the libvirt host at `URI` (qemu:///system, qemu+tcp://HOST/system, …)"),
		}, showInputs.flags()...),
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			ins, err := readInputs(c, showInputs)
			if err != nil {
				return err
			}
			var (
				firstErr error
				items    []any
			)
			shown := 0
			for _, in := range ins.list {
				r, err := ins.readInput(c, in)
				if err != nil && in.fromDir && genid.ClassOf(err) == genid.ClassNotVM {
					continue // a look-alike in a VM's folder (a .vmsd beside the .vmx)
				}
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					if len(ins.list) > 1 {
						// Report it here and carry on with the other inputs.
						fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", appName, textsafe.Controls(err.Error()))
						var er errorRecord
						er.Input, er.Error.Code, er.Error.Message = in.name(), exitCode(err), err.Error()
						items = append(items, er)
					}
					continue
				}
				if c.Bool("json") {
					items = append(items, newRecord(r))
					continue
				}
				if shown > 0 {
					fmt.Fprintln(c.App.Writer)
				}
				shown++
				if err := printHuman(c.App.Writer, r); err != nil {
					return err
				}
			}
			if c.Bool("json") && len(items) > 0 {
				var v any = items
				if len(ins.list) == 1 {
					v = items[0]
				}
				if err := writeJSON(c.App.Writer, v); err != nil {
					return err
				}
			}
			if firstErr != nil && len(ins.list) > 1 {
				return &exitOnly{firstErr}
			}
			return firstErr
		},
	}
}

// showInputs are the inputs show and convert read.
var showInputs = inputOptions{formatAliases: []string{"from"}, qmp: true}
