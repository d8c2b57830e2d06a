package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// An input is one thing to read: a literal value, a running QEMU, a VM of
// a live inventory, or a path.
type input struct {
	literal *formats.Literal // a value given with its flag
	qmp     bool             // a QMP socket
	vm      string           // a VM of the live inventory value names (--vm, or --libvirt's DOMAIN)
	value   string           // the value, socket, URI or path
	fromDir bool             // a file found in a directory given as an input: look-alikes are skipped
}

// name is the input as the user gave it, for messages and JSON.
func (in input) name() string {
	switch {
	case in.literal != nil:
		return "--" + in.literal.Name + " " + in.value
	case in.vm != "":
		return inventory.Redact(in.value) + " --vm " + in.vm
	}
	return in.value
}

// inputOptions describe the input flags of one command: every reading
// command takes the literal values, a flag that forces a format, --vm for
// an inventory URI, and maybe --qmp.
type inputOptions struct {
	formatAliases []string // older names of --format: show's --from, rewrite's --from-format
	qmp           bool     // --qmp is an input
	vmTarget      bool     // --vm also names the target (convert --to kubevirt or incus), so it needs no inventory
}

// flags returns the command's input flags.
func (o inputOptions) flags() []cli.Flag {
	var flags []cli.Flag
	if o.qmp {
		flags = append(flags, &cli.StringFlag{Name: "qmp", Usage: "read what a running QEMU guest sees through its QMP `SOCKET` (unix path or 127.0.0.1:PORT)"})
	}
	flags = append(flags,
		&cli.StringFlag{Name: "format", Aliases: o.formatAliases, Usage: "read files as `FORMAT` instead of detecting it: " + strings.Join(formats.Names(), ", ")},
		&cli.StringFlag{Name: "vm", Usage: "the VM to read from an inventory URI (vpx://, esx://, https://…/sdk, qemu:///…): its `NAME` or inventory path", Category: "inventories"},
		passwordFileFlag,
		labelConventionFlag,
	)
	for _, l := range formats.Literals() {
		flags = append(flags, &cli.StringFlag{Name: l.Name, Usage: l.Usage, Category: "literal values"})
	}
	return flags
}

// libvirtFlag makes the arguments domains of a libvirt host.
func libvirtFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "libvirt", Usage: usage, Category: "inventories"}
}

// passwordFileFlag names the file a live inventory's password is read
// from; GENID_MIGRATE_PASSWORD is the other way, and a URI's own the last.
var passwordFileFlag = &cli.StringFlag{Name: "password-file", Usage: "read the password of a live inventory from `FILE` (else GENID_MIGRATE_PASSWORD)", Category: "inventories"}

// followFlag makes directory links inside a tree followed.
var followFlag = &cli.BoolFlag{Name: "follow", Aliases: []string{"L"}, Usage: "follow directory links met inside the trees (links given as paths always are), staying on the same filesystems and out of /proc, /sys and /dev"}

// inventoryOptions returns what opening an inventory needs.
func inventoryOptions(c *cli.Context) (inventory.Options, error) {
	var opt inventory.Options
	opt.Follow = c.Bool("follow")
	if name := c.String("password-file"); name != "" {
		b, err := bounded.ReadFile(name, 64<<10, "a password file")
		if err != nil {
			return opt, err
		}
		opt.Password = strings.TrimRight(string(b), "\r\n")
		return opt, nil
	}
	opt.Password = os.Getenv("GENID_MIGRATE_PASSWORD")
	return opt, nil
}

// labelConventionFlag says how to read a KubeVirt manifest's
// libguestfs.org/genid label when the manifest does not say.
var labelConventionFlag = &cli.StringFlag{Name: "label-convention", Value: "auto", Usage: "read a KubeVirt manifest's libguestfs.org/genid label as `CONVENTION`: auto (decide from its labels, or refuse), qemu, libvirt-vmware"}

// readOptions returns what the user says about inputs.
func readOptions(c *cli.Context) (formats.Options, error) {
	var opt formats.Options
	switch v := c.String("label-convention"); v {
	case "", "auto":
	case string(genid.ConvQEMU), string(genid.ConvLibvirtVMware):
		opt.LabelConvention = genid.Convention(v)
	default:
		return opt, &usageError{fmt.Sprintf("--label-convention %q: want auto, qemu or libvirt-vmware", v)}
	}
	return opt, nil
}

// inputs are the inputs a command line gives, and the format forced.
type inputs struct {
	list   []input
	format *formats.Format // nil: detect
	opt    inventory.Options
	read   formats.Options
}

// parse collects the literal flags given, then --qmp, then paths and
// inventory URIs (with --vm), and the forced format.
func (o inputOptions) parse(c *cli.Context, paths []string) (*inputs, error) {
	ins := &inputs{}
	for _, l := range formats.Literals() {
		if c.IsSet(l.Name) {
			ins.list = append(ins.list, input{literal: l, value: c.String(l.Name)})
		}
	}
	if o.qmp && c.IsSet("qmp") {
		ins.list = append(ins.list, input{qmp: true, value: c.String("qmp")})
	}
	uris := 0
	for _, p := range paths {
		in := input{value: p}
		if inventory.IsURI(p) {
			uris++
			in.vm = c.String("vm")
			if in.vm == "" {
				return nil, &usageError{fmt.Sprintf("%s is an inventory: name the VM to read with --vm NAME (audit reads them all)", inventory.Redact(p))}
			}
		}
		ins.list = append(ins.list, in)
	}
	if c.IsSet("vm") && uris == 0 && !o.vmTarget {
		return nil, &usageError{"--vm picks a VM of an inventory URI (vpx://, esx://, https://…/sdk, qemu:///…), and none is given"}
	}
	if c.IsSet("format") {
		f := formats.ByName(c.String("format"))
		if f == nil {
			return nil, &usageError{fmt.Sprintf("--format %q: want one of %s%s", c.String("format"), strings.Join(formats.Names(), ", "), didYouMean(c.String("format"), formats.Names()))}
		}
		ins.format = f
	}
	var err error
	if ins.read, err = readOptions(c); err != nil {
		return nil, err
	}
	if uris > 0 {
		ins.opt, err = inventoryOptions(c)
	}
	return ins, err
}

// stdin counts the inputs read from standard input.
func (ins *inputs) stdin() int {
	n := 0
	for _, in := range ins.list {
		if in.literal == nil && !in.qmp && in.value == "-" {
			n++
		}
	}
	return n
}

// read reads one input.
func (ins *inputs) readInput(c *cli.Context, in input) (*formats.Result, error) {
	switch {
	case in.qmp:
		r, _, err := formats.ReadQMP(context.Background(), in.value, 30*time.Second)
		return r, err
	case in.literal != nil:
		return in.literal.Read(in.value)
	case in.vm != "":
		return pick(in.value, in.vm, ins.opt)
	}
	return formats.ReadFileWith(in.value, c.App.Reader, ins.format, ins.read)
}

// pick reads one VM of a live inventory.
func pick(uri, vm string, opt inventory.Options) (*formats.Result, error) {
	ctx := context.Background()
	s, err := inventory.OpenURI(ctx, uri, opt)
	if err != nil {
		return nil, err
	}
	defer inventory.CloseAll([]inventory.Source{s})
	p, ok := s.(inventory.Picker)
	if !ok {
		return nil, fmt.Errorf("%s: this inventory cannot read one VM", inventory.Redact(uri))
	}
	return p.Pick(ctx, vm)
}

// readInputs checks the inputs show and convert read: at least one, no
// directory, standard input once.
func readInputs(c *cli.Context, o inputOptions) (*inputs, error) {
	paths := c.Args().Slice()
	if c.IsSet("libvirt") {
		// show --libvirt URI DOMAIN…: each DOMAIN is a VM of that host.
		if len(paths) == 0 {
			return nil, &usageError{"--libvirt URI reads domains: name them, such as --libvirt qemu:///system dc01"}
		}
		if c.IsSet("vm") && !o.vmTarget {
			return nil, &usageError{"--libvirt URI takes the domains as arguments, not --vm"}
		}
		ins, err := o.parse(c, nil)
		if err != nil {
			return nil, err
		}
		if ins.opt, err = inventoryOptions(c); err != nil {
			return nil, err
		}
		for _, d := range paths {
			ins.list = append(ins.list, input{value: c.String("libvirt"), vm: d})
		}
		return ins, nil
	}
	var dirFiles map[string]bool
	var expanded []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			expanded = append(expanded, p)
			continue
		}
		// A VM's folder: the configurations in it, by content.
		files, err := configsIn(p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, &usageError{p + " is a directory with no VM configuration in it (nothing is read by its name; disks and logs are skipped)"}
		}
		if dirFiles == nil {
			dirFiles = map[string]bool{}
		}
		for _, f := range files {
			dirFiles[f] = true
		}
		expanded = append(expanded, files...)
	}
	ins, err := o.parse(c, expanded)
	if err != nil {
		return nil, err
	}
	for i := range ins.list {
		ins.list[i].fromDir = dirFiles[ins.list[i].value] && ins.list[i].literal == nil
	}
	if ins.stdin() > 1 {
		return nil, &usageError{"standard input (-) can be read only once"}
	}
	if len(ins.list) == 0 {
		return nil, &usageError{"no input: give a file, - for standard input, a value with --vmx, --guid, --windows, --hyperv, --bytes or --xen, --qmp SOCKET, or an inventory URI with --vm NAME"}
	}
	return ins, nil
}

// configsIn returns the files under dir whose content is in a format this
// tool reads, in walk order (each directory's entries by name).
func configsIn(dir string) ([]string, error) {
	var out []string
	head := make([]byte, formats.SniffSize)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: not shown; audit reports such paths
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil
		}
		n, _ := f.ReadAt(head, 0)
		if formats.DetectFile(f, st.Size(), head[:n]) == nil {
			return nil
		}
		if _, err := formats.ReadFile(p, nil, nil); genid.ClassOf(err) == genid.ClassNotVM {
			return nil // a look-alike: a .vmsd beside the .vmx
		}
		out = append(out, p)
		return nil
	})
	return out, err
}
