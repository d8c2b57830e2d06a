package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/diagnose"
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/inventory"
	libvirtinv "github.com/genid-migrate/genid-migrate/inventory/libvirt"
	"github.com/genid-migrate/genid-migrate/readers/guest"
	"github.com/genid-migrate/genid-migrate/readers/qmp"
)

// verifyInputs are the inputs verify reads SOURCE from: --from forces its
// format; --qmp is the guest side, not an input.
var verifyInputs = inputOptions{formatAliases: []string{"from"}}

func verifyCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check that a guest sees the generation ID of its source",
		ArgsUsage: "--expect SOURCE (--guest TEXT | --guest-file FILE | --qmp SOCKET)",
		Description: `Compares what a guest sees with what SOURCE (any file show reads, or - for standard
input) says it should see. The guest side is either:

   --guest TEXT       pasted VMGENID.EXE / getvmgenid output (low:high), the 16 bytes as
                      hexdump -C, xxd or plain hex, query-vm-generation-id JSON, or an
                      8-byte msDS-GenerationId (the low half only: a partial comparison)
   --guest-file FILE  the same, from a file (- for standard input)
   --qmp SOCKET       a running QEMU's QMP socket (a unix path, or 127.0.0.1:PORT): the
                      bytes are read from guest memory, read-only, and cross-checked with
                      query-vm-generation-id
   --libvirt URI DOMAIN  the same through libvirt's QEMU monitor passthrough, for a guest
                      libvirt runs (libvirt owns its QMP socket)

Exit 0 when they match, 1 when they do not. On a mismatch the known wrong conversions
are tried: when the guest's bytes equal one of them, the mistake, the tools that make
it and the fix are named.

Examples:
   genid-migrate verify --expect win2019-dc01.vmx --guest '8987940a09512cc5:e81510634ff550b9'
   genid-migrate verify --expect vm.vmcx --guest-file hexdump.txt
   genid-migrate verify --expect win2019-dc01.vmx --qmp /run/qemu/dc01.qmp
   genid-migrate verify --expect win2019-dc01.vmx --libvirt qemu:///system dc01`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "expect", Usage: "the `SOURCE` configuration the guest should match"},
			&cli.StringFlag{Name: "format", Aliases: []string{"from"}, Usage: "read SOURCE as `FORMAT` instead of detecting it: " + strings.Join(formats.Names(), ", ")},
			&cli.StringFlag{Name: "guest", Usage: "what the guest showed, as `TEXT`"},
			&cli.StringFlag{Name: "guest-file", Usage: "what the guest showed, from `FILE` (- for standard input)"},
			&cli.StringFlag{Name: "qmp", Usage: "read the running guest through this QMP `SOCKET`"},
			libvirtFlag("read the running guest DOMAIN through the libvirt host at `URI` (its QEMU monitor passthrough)"),
			&cli.StringFlag{Name: "vm", Usage: "with an inventory URI as SOURCE: the VM to read, by `NAME` or inventory path"},
			passwordFileFlag,
			&cli.DurationFlag{Name: "wait", Value: 30 * time.Second, Usage: "with --qmp, how long to wait for the guest firmware to set the ID up"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"},
		},
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			return verify(c)
		},
	}
}

type verifySide struct {
	GuestBytes string `json:"guest_bytes"`
	Windows    string `json:"windows"`
	GUID       string `json:"guid"`
}

type verifyMistake struct {
	Mistake     string `json:"mistake"`
	Explanation string `json:"explanation"`
	Tools       string `json:"tools"`
}

type verifyReport struct {
	Match     bool            `json:"match"`
	Partial   bool            `json:"partial,omitempty"`
	Source    string          `json:"source"`
	Evidence  string          `json:"evidence"`
	Expected  verifySide      `json:"expected"`
	Guest     verifySide      `json:"guest"`
	HostGUID  string          `json:"qmp_guid,omitempty"`
	Address   string          `json:"guest_address,omitempty"`
	Diagnosis []verifyMistake `json:"diagnosis,omitempty"`
	Unrelated bool            `json:"unrelated,omitempty"`
	Fix       []string        `json:"fix,omitempty"`
}

func side(id genid.ID, partial bool) verifySide {
	if partial {
		return verifySide{GuestBytes: id.GuestBytes()[:16]}
	}
	return verifySide{GuestBytes: id.GuestBytes(), Windows: id.Windows(), GUID: id.GUID()}
}

func verify(c *cli.Context) error {
	given := 0
	for _, f := range []string{"guest", "guest-file", "qmp", "libvirt"} {
		if c.IsSet(f) {
			given++
		}
	}
	switch {
	case !c.IsSet("expect"):
		return &usageError{"verify needs --expect SOURCE"}
	case given != 1:
		return &usageError{"verify needs one of --guest TEXT, --guest-file FILE, --qmp SOCKET or --libvirt URI DOMAIN"}
	case c.IsSet("libvirt") && c.NArg() != 1:
		return &usageError{"--libvirt URI needs the running DOMAIN, such as --libvirt qemu:///system dc01"}
	case !c.IsSet("libvirt") && c.NArg() > 0:
		return &usageError{fmt.Sprintf("unexpected argument %q", c.Args().First())}
	}
	ins, err := verifyInputs.parse(c, []string{c.String("expect")})
	if err != nil {
		return err
	}
	if c.String("expect") == "-" && c.String("guest-file") == "-" {
		return &usageError{"SOURCE and the guest file cannot both be standard input"}
	}
	src, err := ins.readInput(c, ins.list[len(ins.list)-1])
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	rep := verifyReport{Source: src.Input, Expected: side(src.ID, false)}
	var got genid.ID
	partial := false
	switch {
	case c.IsSet("qmp"), c.IsSet("libvirt"):
		res, r, err := readGuest(c)
		if err != nil {
			return err
		}
		got, rep.Evidence, rep.HostGUID = res.ID, "qmp-guest-memory", r.HostGUID
		rep.Address = fmt.Sprintf("%#x", r.Address)
	default:
		text, from := c.String("guest"), "--guest"
		if c.IsSet("guest-file") {
			var b []byte
			if from = c.String("guest-file"); from == "-" {
				from = "<stdin>"
				b, err = bounded.ReadAll(c.App.Reader, guest.MaxSize, 0, "guest evidence")
			} else {
				b, err = bounded.ReadFile(from, guest.MaxSize, "guest evidence")
			}
			if err != nil {
				return genid.WithFile(err, from)
			}
			text = string(b)
		}
		ev, err := guest.Parse(text)
		if err != nil {
			return genid.WithFile(err, from)
		}
		got, partial, rep.Evidence = ev.ID, ev.Partial, string(ev.Kind)
	}
	rep.Guest, rep.Partial = side(got, partial), partial
	if partial {
		rep.Match = [8]byte(got[:8]) == [8]byte(src.ID[:8])
	} else {
		rep.Match = got == src.ID
	}
	if !rep.Match && !partial {
		for _, m := range diagnose.Diagnose(src.ID, got) {
			rep.Diagnosis = append(rep.Diagnosis, verifyMistake{m.Name, m.Explanation, m.Tools})
		}
		rep.Unrelated = len(rep.Diagnosis) == 0
	}
	if !rep.Match {
		target := diagnose.Target{}
		switch {
		case c.IsSet("libvirt"):
			target = diagnose.Target{Format: "libvirt", URI: inventory.Redact(c.String("libvirt")), Name: c.Args().First()}
		case c.IsSet("qmp"):
			target = diagnose.Target{Format: "qemu-cmdline"}
		}
		for _, f := range diagnose.Fixes(src.ID, src.Input, target) {
			rep.Fix = append(rep.Fix, f.Command+"   ("+f.For+")")
		}
	}
	if c.Bool("json") {
		if err := writeJSON(c.App.Writer, rep); err != nil {
			return err
		}
	} else {
		printVerify(c.App.Writer, rep)
	}
	if !rep.Match {
		return &findingsError{}
	}
	return nil
}

func printVerify(w io.Writer, r verifyReport) {
	switch {
	case r.Match && r.Partial:
		fmt.Fprintf(w, "PARTIAL MATCH: msDS-GenerationId holds only the low 8 bytes, and they equal %s's (%s); the high half cannot be checked from it\n", r.Source, r.Expected.GuestBytes[:16])
		return
	case r.Match:
		fmt.Fprintf(w, "MATCH: the guest sees %s, as %s says\n  guest bytes  %s\n", r.Guest.Windows, r.Source, r.Guest.GuestBytes)
		if r.Evidence == string(guest.ADFull) {
			fmt.Fprintln(w, "  (from msDS-GenerationId: its first 8 bytes are G's by a recorded observation; the order of the last 8 is assumed)")
		}
		if r.HostGUID != "" {
			fmt.Fprintf(w, "  read from guest memory at %s; QMP guid %s\n", r.Address, r.HostGUID)
		}
		return
	case r.Partial:
		fmt.Fprintf(w, "MISMATCH: msDS-GenerationId's low 8 bytes are %s; %s says %s\n", r.Guest.GuestBytes, r.Source, r.Expected.GuestBytes[:16])
	default:
		fmt.Fprintf(w, "MISMATCH: the guest sees %s; %s says it should see %s\n", r.Guest.Windows, r.Source, r.Expected.Windows)
		fmt.Fprintf(w, "  guest bytes  %s\n  expected     %s\n", r.Guest.GuestBytes, r.Expected.GuestBytes)
	}
	for _, d := range r.Diagnosis {
		fmt.Fprintf(w, "  cause: %s\n         (typically: %s)\n", d.Explanation, d.Tools)
	}
	if r.Unrelated {
		fmt.Fprintf(w, "  cause: %s\n", diagnose.Unrelated)
	}
	fmt.Fprintln(w, "  fix:")
	for _, f := range r.Fix {
		fmt.Fprintf(w, "    %s\n", f)
	}
}

// readGuest reads what a running guest sees: through its QMP socket, or
// through libvirt's monitor passthrough when libvirt owns the socket.
func readGuest(c *cli.Context) (*formats.Result, *qmp.Reading, error) {
	ctx := context.Background()
	if !c.IsSet("libvirt") {
		return formats.ReadQMP(ctx, c.String("qmp"), c.Duration("wait"))
	}
	conn, err := libvirtinv.Dial(c.String("libvirt"))
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	name := c.Args().First()
	d, err := conn.Lookup(name)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", conn.URI, err)
	}
	if !libvirtinv.Running(d) {
		return nil, nil, fmt.Errorf("%s: the domain is not running: start it, or compare its definition with genid-migrate show --libvirt %s %s", conn.Path(name), c.String("libvirt"), name)
	}
	ctx, cancel := context.WithTimeout(ctx, c.Duration("wait")+libvirtinv.Timeout)
	defer cancel()
	return formats.ReadGuest(ctx, conn.Monitor(d), conn.Path(name), conn.Path(name), c.Duration("wait"))
}
