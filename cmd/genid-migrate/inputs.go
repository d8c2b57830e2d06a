package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/internal/source"
)

// literalFlags are the flags that give an ID on the command line, in the
// order their inputs are read.
var literalFlags = []struct {
	name   string
	format source.Format
	value  string
	usage  string
}{
	{"vmx", source.VMX, "GENID:GENIDX", "VMware vm.genid and vm.genidX as `GENID:GENIDX`, signed decimal"},
	{"guid", source.GUID, "UUID", "a `UUID` as QEMU guid=, a qemu/kvm libvirt <genid> or Proxmox vmgenid hold it"},
	{"windows", source.Windows, "LOW:HIGH", "`LOW:HIGH` as VMGENID.EXE prints it in the guest (hex, leading zeros optional)"},
	{"hyperv", source.HyperV, "HEX32", "a Hyper-V generation_id, `HEX32` (32 hex digits)"},
	{"bytes", source.GuestBytes, "HEX32", "the 16 bytes in guest memory order, `HEX32`"},
	{"xen", source.XenLiteral, "A:B", "a Xen platform/generation-id or XenServer VM.generation_id, `A:B`"},
}

// inputFlags are the flags every reading command takes.
func inputFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "qmp", Usage: "read what a running QEMU guest sees through its QMP `SOCKET` (unix path or 127.0.0.1:PORT)"},
		&cli.StringFlag{Name: "from", Usage: "read files as `FORMAT` instead of detecting it: " + strings.Join(source.FormatNames, ", ")},
	}
	for _, l := range literalFlags {
		flags = append(flags, &cli.StringFlag{Name: l.name, Usage: l.usage, Category: "literal values"})
	}
	return flags
}

// input is one thing to read: a literal or a path.
type input struct {
	format source.Format // literal format; "" for a path
	value  string        // the literal value or the path
}

// collectInputs returns the literal flags given, then the paths.
func collectInputs(c *cli.Context) ([]input, source.Format, error) {
	var ins []input
	for _, l := range literalFlags {
		if c.IsSet(l.name) {
			ins = append(ins, input{format: l.format, value: c.String(l.name)})
		}
	}
	if c.IsSet("qmp") {
		ins = append(ins, input{format: source.QMPLive, value: c.String("qmp")})
	}
	stdin := 0
	for _, p := range c.Args().Slice() {
		if p == "-" {
			stdin++
		} else if st, err := os.Stat(p); err == nil && st.IsDir() {
			return nil, "", &usageError{p + " is a directory: show and convert read configuration files"}
		}
		ins = append(ins, input{value: p})
	}
	if stdin > 1 {
		return nil, "", &usageError{"standard input (-) can be read only once"}
	}
	var force source.Format
	if c.IsSet("from") {
		f, ok := source.FileFormats[strings.ToLower(c.String("from"))]
		if !ok {
			return nil, "", &usageError{fmt.Sprintf("--from %q: want one of %s", c.String("from"), strings.Join(source.FormatNames, ", "))}
		}
		force = f
	}
	if len(ins) == 0 {
		return nil, "", &usageError{"no input: give a file, - for standard input, a value with --vmx, --guid, --windows, --hyperv, --bytes or --xen, or --qmp SOCKET"}
	}
	return ins, force, nil
}

// readInput reads one input.
func readInput(c *cli.Context, in input, force source.Format) (*source.Result, error) {
	if in.format == source.QMPLive {
		r, _, err := source.ReadQMP(context.Background(), in.value, 30*time.Second)
		return r, err
	}
	if in.format != "" {
		return source.Literal(in.format, in.value)
	}
	return source.ReadFile(in.value, c.App.Reader, force)
}
