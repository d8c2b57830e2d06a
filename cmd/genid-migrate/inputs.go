package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/formats"
)

// An input is one thing to read: a literal value, a running QEMU, or a path.
type input struct {
	literal *formats.Literal // a value given with its flag
	qmp     bool             // a QMP socket
	value   string           // the value, socket or path
}

// name is the input as the user gave it, for messages and JSON.
func (in input) name() string {
	switch {
	case in.literal != nil:
		return "--" + in.literal.Name + " " + in.value
	case in.qmp:
		return in.value
	}
	return in.value
}

// inputOptions describe the input flags of one command: every reading
// command takes the literal values, a flag that forces a format, and
// maybe --qmp.
type inputOptions struct {
	formatFlag string // the flag that names a format: "from", or rewrite's "from-format"
	qmp        bool   // --qmp is an input
}

// flags returns the command's input flags.
func (o inputOptions) flags() []cli.Flag {
	var flags []cli.Flag
	if o.qmp {
		flags = append(flags, &cli.StringFlag{Name: "qmp", Usage: "read what a running QEMU guest sees through its QMP `SOCKET` (unix path or 127.0.0.1:PORT)"})
	}
	flags = append(flags, &cli.StringFlag{Name: o.formatFlag, Usage: "read files as `FORMAT` instead of detecting it: " + strings.Join(formats.Names(), ", ")})
	for _, l := range formats.Literals() {
		flags = append(flags, &cli.StringFlag{Name: l.Name, Usage: l.Usage, Category: "literal values"})
	}
	return flags
}

// inputs are the inputs a command line gives, and the format forced.
type inputs struct {
	list   []input
	format *formats.Format // nil: detect
}

// parse collects the literal flags given, then --qmp, then paths, and
// the forced format.
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
	for _, p := range paths {
		ins.list = append(ins.list, input{value: p})
	}
	if c.IsSet(o.formatFlag) {
		f := formats.ByName(c.String(o.formatFlag))
		if f == nil {
			return nil, &usageError{fmt.Sprintf("--%s %q: want one of %s", o.formatFlag, c.String(o.formatFlag), strings.Join(formats.Names(), ", "))}
		}
		ins.format = f
	}
	return ins, nil
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
func (ins *inputs) read(c *cli.Context, in input) (*formats.Result, error) {
	switch {
	case in.qmp:
		r, _, err := formats.ReadQMP(context.Background(), in.value, 30*time.Second)
		return r, err
	case in.literal != nil:
		return in.literal.Read(in.value)
	}
	return formats.ReadFile(in.value, c.App.Reader, ins.format)
}

// readInputs checks the inputs show and convert read: at least one, no
// directory, standard input once.
func readInputs(c *cli.Context, o inputOptions) (*inputs, error) {
	for _, p := range c.Args().Slice() {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return nil, &usageError{p + " is a directory: show and convert read configuration files"}
		}
	}
	ins, err := o.parse(c, c.Args().Slice())
	if err != nil {
		return nil, err
	}
	if ins.stdin() > 1 {
		return nil, &usageError{"standard input (-) can be read only once"}
	}
	if len(ins.list) == 0 {
		return nil, &usageError{"no input: give a file, - for standard input, a value with --vmx, --guid, --windows, --hyperv, --bytes or --xen, or --qmp SOCKET"}
	}
	return ins, nil
}
