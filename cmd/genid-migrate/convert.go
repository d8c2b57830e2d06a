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
Examples:
   genid-migrate convert --to qemu win2019-dc01.vmx
   genid-migrate convert --to proxmox --vmid 101 --windows 8987940a09512cc5:e81510634ff550b9`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "to", Usage: "the `FORMAT` to print: " + strings.Join(targets.Names(), ", ")},
			&cli.StringFlag{Name: "vmid", Usage: "with --to proxmox: print the qm set command for this `VMID`"},
			&cli.BoolFlag{Name: "json", Usage: `print {"format":…,"value":…,"argv":[…]} for scripts`},
			libvirtFlag("read the argument as a domain of the libvirt host at `URI`"),
		}, showInputs.flags()...),
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			ins, err := readInputs(c, showInputs)
			if err != nil {
				return err
			}
			if len(ins.list) != 1 {
				return &usageError{fmt.Sprintf("convert reads one input, %d given", len(ins.list))}
			}
			if !c.IsSet("to") {
				return &usageError{"convert needs --to FORMAT: one of " + strings.Join(targets.Names(), ", ")}
			}
			to := targets.ByName(c.String("to"))
			if to == nil {
				return &usageError{fmt.Sprintf("--to %q: want one of %s", c.String("to"), strings.Join(targets.Names(), ", "))}
			}
			opt := targets.Options{VMID: c.String("vmid")}
			if err := to.Check(opt); err != nil {
				return err // a bad --vmid is a usage error, before any input is read
			}
			r, err := ins.read(c, ins.list[0])
			if err != nil {
				return err
			}
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
