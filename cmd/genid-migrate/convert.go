package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

func convertCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "convert",
		Usage:     "print one spelling of the generation ID, ready to paste",
		ArgsUsage: "--to FORMAT INPUT",
		Description: `Reads one INPUT (a file, - for standard input, or a literal value) and prints the
generation ID in the spelling FORMAT, so that the target's guest sees the same bytes:

   libvirt         <genid>…</genid> for a qemu or kvm domain
   qemu            -device vmgenid,guid=…,id=vmgenid0
   qemu-json       the -device value in JSON, as libvirt passes it
   proxmox         vmgenid: … (with --vmid N: qm set N --vmgenid …)
   vmx             vm.genid = "…" and vm.genidX = "…"
   hyperv          Hyper-V generation_id
   windows         what VMGENID.EXE prints in the guest
   guid            the GUID alone (QEMU, libvirt qemu/kvm, Proxmox)
   bytes           the 16 guest bytes in hex
   xen             Xen/XenServer a:b
   libvirt-vmware  the <genid> libvirt's VMX/ESX driver shows (to recognise it, not to use)

Examples:
   genid-migrate convert --to qemu win2019-dc01.vmx
   genid-migrate convert --to proxmox --vmid 101 --windows 8987940a09512cc5:e81510634ff550b9`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "to", Usage: "the `FORMAT` to print: " + strings.Join(convertFormats, ", ")},
			&cli.StringFlag{Name: "vmid", Usage: "with --to proxmox: print the qm set command for this `VMID`"},
			&cli.BoolFlag{Name: "json", Usage: `print {"format":…,"value":…,"argv":[…]} for scripts`},
		}, inputFlags()...),
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			ins, force, err := collectInputs(c)
			if err != nil {
				return err
			}
			if len(ins) != 1 {
				return &usageError{fmt.Sprintf("convert reads one input, %d given", len(ins))}
			}
			to := c.String("to")
			if !c.IsSet("to") {
				return &usageError{"convert needs --to FORMAT: one of " + strings.Join(convertFormats, ", ")}
			}
			if c.IsSet("vmid") && to != "proxmox" {
				return &usageError{"--vmid goes with --to proxmox"}
			}
			if _, _, err := convertTo(to, [16]byte{1}, c.String("vmid")); err != nil {
				return err // a bad --to or --vmid is a usage error, before any input is read
			}
			r, err := readInput(c, ins[0], force)
			if err != nil {
				return err
			}
			text, argv, err := convertTo(to, r.ID, c.String("vmid"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return writeJSON(c.App.Writer, struct {
					Input  string   `json:"input"`
					Format string   `json:"format"`
					Value  string   `json:"value"`
					Argv   []string `json:"argv,omitempty"`
				}{r.Input, to, strings.TrimSuffix(text, "\n"), argv})
			}
			fmt.Fprint(c.App.Writer, text)
			return nil
		},
	}
}
