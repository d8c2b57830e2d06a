package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/targets"
)

func convertCommand(jsonErrors *bool) *cli.Command {
	var list strings.Builder
	for _, t := range targets.Targets() {
		fmt.Fprintf(&list, "   %-15s %s\n", t.Name, t.Description)
	}
	return &cli.Command{
		Name:      "convert",
		Usage:     "print one spelling of the generation ID, ready to paste",
		ArgsUsage: "--to FORMAT INPUT",
		Description: `Reads one INPUT (a file, - for standard input, or a literal value) and prints the
generation ID in the spelling FORMAT, so that the target's guest sees the same bytes:

` + list.String() + `
With --to kubevirt, --vm NAME names the KubeVirt VirtualMachine (and, when INPUT is an
inventory URI, the VM read from it too); with --to incus, the instance.

Examples:
   genid-migrate convert --to qemu win2019-dc01.vmx
   genid-migrate convert --to proxmox --vmid 101 --windows 8987940a09512cc5:e81510634ff550b9
   genid-migrate convert --to kubevirt --vm dc01 --namespace prod win2019-dc01.vmx > dc01-genid.yaml
   genid-migrate convert --to incus --vm dc01 win2019-dc01.vmx`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "to", Usage: "the `FORMAT` to print: " + strings.Join(targets.Names(), ", ")},
			&cli.StringFlag{Name: "vmid", Usage: "with --to proxmox: print the qm set command for this `VMID`"},
			&cli.StringFlag{Name: "namespace", Usage: "with --to kubevirt: the VirtualMachine's `NAMESPACE` (default: kubectl's current one)"},
			&cli.BoolFlag{Name: "json", Usage: `print {"format":…,"value":…,"argv":[…]} for scripts`},
			libvirtFlag("read the argument as a domain of the libvirt host at `URI`"),
		}, showInputs.flags()...),
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			if !c.IsSet("to") {
				return &usageError{"convert needs --to FORMAT: one of " + strings.Join(targets.Names(), ", ")}
			}
			to := targets.ByName(c.String("to"))
			if to == nil {
				return &usageError{fmt.Sprintf("--to %q: want one of %s%s", c.String("to"), strings.Join(targets.Names(), ", "), didYouMean(c.String("to"), targets.Names()))}
			}
			o := showInputs
			o.vmTarget = to.Uses("vm")
			ins, err := readInputs(c, o)
			if err != nil {
				return err
			}
			if len(ins.list) != 1 {
				if ins.list[0].fromDir {
					var names []string
					for _, in := range ins.list {
						names = append(names, in.value)
					}
					return &usageError{fmt.Sprintf("convert reads one input; the folder holds %d configurations: %s", len(ins.list), strings.Join(names, ", "))}
				}
				return &usageError{fmt.Sprintf("convert reads one input, %d given", len(ins.list))}
			}
			opt := targets.Options{VMID: c.String("vmid"), Namespace: c.String("namespace")}
			if to.Uses("vm") {
				opt.VM = c.String("vm")
			}
			if err := to.Check(opt); err != nil {
				return err // a bad --vmid or --vm is a usage error, before any input is read
			}
			r, err := ins.readInput(c, ins.list[0])
			if err != nil {
				return err
			}
			opt.Source = r.Input
			out, err := to.Render(r.ID, opt)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return writeJSON(c.App.Writer, struct {
					Input  string   `json:"input"`
					Format string   `json:"format"`
					Value  string   `json:"value"`
					Argv   []string `json:"argv,omitempty"`
				}{r.Input, to.Name, strings.TrimSuffix(out.Text, "\n"), out.Argv})
			}
			fmt.Fprint(c.App.Writer, out.Text)
			return nil
		},
	}
}
