package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/atomicfile"
	"github.com/genid-migrate/genid-migrate/internal/source"
	"github.com/genid-migrate/genid-migrate/internal/textlimit"
	"github.com/genid-migrate/genid-migrate/internal/udiff"
	reader "github.com/genid-migrate/genid-migrate/readers/libvirt"
	writer "github.com/genid-migrate/genid-migrate/writers/libvirt"
)

// defaultBackupSuffix is the suffix of --backup without a value.
const defaultBackupSuffix = ".bak"

func rewriteCommand(jsonErrors *bool) *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "from", Usage: "read the generation ID from `SOURCE`: any file show reads, or - for standard input"},
		&cli.StringFlag{Name: "from-format", Usage: "read SOURCE as `FORMAT` instead of detecting it: " + strings.Join(source.FormatNames, ", ")},
		&cli.BoolFlag{Name: "in-place", Aliases: []string{"i"}, Usage: "replace DOMAIN atomically instead of printing the result"},
		&cli.StringFlag{Name: "backup", Usage: "with --in-place, first save DOMAIN to DOMAIN`SUFFIX` (--backup alone: " + defaultBackupSuffix + ")"},
		&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "say what would change; write nothing"},
		&cli.BoolFlag{Name: "diff", Usage: "print a unified diff instead of the XML"},
		&cli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 if DOMAIN would change, 0 if it already carries the ID"},
		&cli.BoolFlag{Name: "force", Usage: "replace a different existing ID, or edit a type='vmware' domain"},
		&cli.BoolFlag{Name: "json", Usage: "print a JSON summary instead of the XML"},
	}
	for _, f := range inputFlags()[2:] { // the literal values; --from means SOURCE here
		flags = append(flags, f)
	}
	return &cli.Command{
		Name:      "rewrite",
		Usage:     "set <genid> in a libvirt domain so its guest sees the source's ID",
		ArgsUsage: "(--from SOURCE | --vmx|--guid|--windows|--hyperv|--bytes|--xen VALUE) DOMAIN",
		Description: `Sets <genid> in the libvirt domain XML DOMAIN (a file, or - for standard input) to the
GUID that makes a QEMU/KVM guest see the generation ID of SOURCE, byte for byte.

Only the <genid> element changes: comments, attribute order and quotes, entities,
indentation, line ends and namespaced elements stay as they are. A missing <genid> is
inserted on its own line after <uuid> (else <name>), indented like it. The result is read
back and checked before anything is written.

The XML goes to standard output unless --in-place is given, which replaces DOMAIN
atomically (temporary file, sync, rename; mode and, where permitted, owner kept).
--backup[=SUFFIX] saves the original first. --diff prints a unified diff instead,
--dry-run says what would change, --check only sets the exit status.

A DOMAIN that already carries the ID is left alone (exit 0). One that carries a
different ID is not changed without --force (exit 1); the message shows both and what
each guest would see. A type='vmware' domain (libvirt's VMX/ESX driver) is refused
without --force: the value written follows the QEMU convention, which holds only once
the domain runs on QEMU/KVM.

Examples:
   genid-migrate rewrite --from win2019-dc01.vmx dom.xml
   genid-migrate rewrite --from src.vmx --in-place --backup dom.xml
   genid-migrate rewrite --from esx-dumpxml.xml --diff dom.xml
   genid-migrate rewrite --from src.vmx --check dom.xml
   virsh dumpxml vm | genid-migrate rewrite --from src.vmx - | virsh define /dev/stdin`,
		Flags: flags,
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			return rewrite(c)
		},
	}
}

// rewriteSummary is the JSON rewrite prints with --json.
type rewriteSummary struct {
	Domain     string `json:"domain"`
	Source     string `json:"source"`
	Action     string `json:"action"` // unchanged, replace, insert
	Line       int    `json:"line,omitempty"`
	OldGUID    string `json:"old_guid,omitempty"`
	OldWindows string `json:"old_windows,omitempty"`
	GUID       string `json:"guid"`
	Windows    string `json:"windows"`
	GuestBytes string `json:"guest_bytes"`
	Written    bool   `json:"written"`
	Backup     string `json:"backup,omitempty"`
}

func rewrite(c *cli.Context) error {
	if c.NArg() != 1 {
		return &usageError{fmt.Sprintf("rewrite takes one DOMAIN, %d given", c.NArg())}
	}
	domPath := c.Args().First()
	src, err := rewriteSource(c, domPath)
	if err != nil {
		return err
	}
	inPlace, check, dry := c.Bool("in-place"), c.Bool("check"), c.Bool("dry-run")
	switch {
	case inPlace && domPath == "-":
		return &usageError{"--in-place needs a DOMAIN file, not standard input"}
	case c.IsSet("backup") && !inPlace:
		return &usageError{"--backup goes with --in-place"}
	case check && (inPlace || dry):
		return &usageError{"--check writes nothing: it does not combine with --in-place or --dry-run"}
	case dry && inPlace:
		return &usageError{"--dry-run and --in-place contradict each other"}
	}
	if inPlace {
		if st, err := os.Stat(domPath); err == nil && !st.Mode().IsRegular() {
			return &usageError{fmt.Sprintf("--in-place needs a regular DOMAIN file, and %s is not one; drop --in-place to print the result", domPath)}
		}
	}

	name := domPath
	var doc []byte
	in := c.App.Reader
	if domPath == "-" {
		name = "<stdin>"
	} else {
		f, err := os.Open(domPath)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	// Bounded, also for a DOMAIN that is a pipe or a device.
	if doc, err = io.ReadAll(io.LimitReader(in, textlimit.MaxFileSize+1)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(doc) > textlimit.MaxFileSize {
		return &genid.InputError{File: name, Err: fmt.Errorf("larger than %d MiB: not a libvirt domain", textlimit.MaxFileSize>>20)}
	}
	named := func(err error) error {
		var ie *genid.InputError
		if errors.As(err, &ie) && ie.File == "" {
			ie.File = name
			return err
		}
		return fmt.Errorf("%s: %w", name, err)
	}

	dom, err := reader.Parse(doc)
	var ie *genid.InputError
	switch {
	case dom == nil:
		return named(err)
	case dom.QEMUArgs != nil:
		return named(&genid.InputError{Line: dom.QEMUArgs.Line, Key: "qemu:commandline", Err: fmt.Errorf("%w: the domain passes a vmgenid device through <qemu:commandline>; a <genid> beside it would be a second device, which QEMU refuses. Remove those <qemu:arg> lines first", genid.ErrUnsupported)})
	case errors.As(err, &ie) && ie.Key == "genid" && errors.Is(err, genid.ErrUnsupported):
		return named(err)
	case errors.As(err, &ie) && ie.Key == "genid" && !c.Bool("force"):
		return fmt.Errorf("%w; --force replaces it", named(err))
	case err != nil && !errors.Is(err, genid.ErrNotFound) && !(errors.As(err, &ie) && ie.Key == "genid"):
		return named(err)
	}
	if dom.Type == "vmware" && !c.Bool("force") {
		return &findingsError{fmt.Sprintf("%s: a type='vmware' domain (libvirt's VMX/ESX driver) reads <genid> in its own convention; the value written here follows the QEMU convention, which holds only once the domain runs on QEMU/KVM. Convert the domain first, or use --force", name)}
	}

	// What the domain gives its guest now, read as QEMU will read it.
	current := dom.ID
	if dom.Type == "vmware" && dom.GenID != nil {
		if u, err := reader.ParseUUID(dom.GenIDText); err == nil {
			current = genid.FromUUIDBytes(u)
		}
	}
	sum := rewriteSummary{Domain: domPath, Source: src.Input, GUID: src.ID.GUID(), Windows: src.ID.Windows(), GuestBytes: src.ID.GuestBytes()}
	if dom.GenID != nil {
		sum.Line = dom.GenID.Line
		if !current.IsZero() {
			sum.OldGUID, sum.OldWindows = current.GUID(), current.Windows()
		}
	}
	if current == src.ID {
		sum.Action = "unchanged"
		return rewriteOutput(c, sum, name, doc, doc)
	}
	if !current.IsZero() && !c.Bool("force") {
		return &findingsError{fmt.Sprintf("%s:%d: <genid> already holds a different generation ID\n"+
			"  now:    %s  (the guest sees %s)\n"+
			"  source: %s  (the guest would see %s, from %s)\n"+
			"Replacing it changes what the guest sees; use --force if that is intended.",
			name, dom.GenID.Line, current.GUID(), current.Windows(), src.ID.GUID(), src.ID.Windows(), src.Input)}
	}

	out, edit, err := writer.SetGenID(doc, src.ID)
	if err != nil {
		return named(err)
	}
	if err := verifyEdit(doc, out, edit, src.ID); err != nil {
		return fmt.Errorf("%s: the edited domain failed its check, nothing was written: %w", name, err)
	}
	if (dom.Type == "qemu" || dom.Type == "kvm") && !dom.ACPI {
		fmt.Fprintf(c.App.ErrWriter, "%s: warning: the domain has no <acpi/> under <features>: libvirt then starts QEMU without ACPI and the guest sees no generation ID at all; add <features><acpi/></features>\n", appName)
	}
	sum.Action, sum.Line = "replace", edit.Line
	if edit.Inserted {
		sum.Action = "insert"
	}
	return rewriteOutput(c, sum, name, doc, out)
}

// rewriteSource reads the ID to write: --from or one literal flag.
func rewriteSource(c *cli.Context, domPath string) (*source.Result, error) {
	var ins []input
	for _, l := range literalFlags {
		if c.IsSet(l.name) {
			ins = append(ins, input{format: l.format, value: c.String(l.name)})
		}
	}
	if c.IsSet("from") {
		ins = append(ins, input{value: c.String("from")})
	}
	if len(ins) != 1 {
		return nil, &usageError{"rewrite needs one source: --from SOURCE, or one of --vmx, --guid, --windows, --hyperv, --bytes, --xen"}
	}
	if ins[0].format == "" && ins[0].value == "-" && domPath == "-" {
		return nil, &usageError{"SOURCE and DOMAIN cannot both be standard input"}
	}
	var force source.Format
	if c.IsSet("from-format") {
		f, ok := source.FileFormats[strings.ToLower(c.String("from-format"))]
		if !ok {
			return nil, &usageError{fmt.Sprintf("--from-format %q: want one of %s", c.String("from-format"), strings.Join(source.FormatNames, ", "))}
		}
		force = f
	}
	r, err := readInput(c, ins[0], force)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	return r, nil
}

// verifyEdit re-reads the edited document: it must carry id in the QEMU
// convention, and differ from doc only inside the edit.
func verifyEdit(doc, out []byte, edit writer.Edit, id genid.ID) error {
	if !bytes.Equal(out[:edit.Start], doc[:edit.Start]) || !bytes.Equal(out[edit.NewEnd:], doc[edit.OldEnd:]) {
		return errors.New("bytes outside <genid> changed")
	}
	d, err := reader.Parse(out)
	if d == nil || d.GenID == nil {
		return fmt.Errorf("the result does not parse: %v", err)
	}
	u, err := reader.ParseUUID(d.GenIDText)
	if err != nil {
		return err
	}
	if got := genid.FromUUIDBytes(u); got != id {
		return fmt.Errorf("the result carries %s, not %s", got, id)
	}
	return nil
}

// rewriteOutput prints, checks or writes the result.
func rewriteOutput(c *cli.Context, sum rewriteSummary, name string, doc, out []byte) error {
	changed := !bytes.Equal(doc, out)
	w, ew := c.App.Writer, c.App.ErrWriter
	describe := func() string {
		switch sum.Action {
		case "unchanged":
			return fmt.Sprintf("%s: <genid> already gives the guest %s; nothing to change", name, sum.Windows)
		case "insert":
			return fmt.Sprintf("%s: insert <genid>%s</genid> on line %d (the guest will see %s)", name, sum.GUID, sum.Line, sum.Windows)
		}
		return fmt.Sprintf("%s:%d: replace <genid> with %s (the guest will see %s)", name, sum.Line, sum.GUID, sum.Windows)
	}
	if c.Bool("diff") {
		label := name
		fmt.Fprint(w, udiff.Diff(label, label, doc, out))
	}
	switch {
	case c.Bool("check"):
		if changed {
			return &findingsError{describe()}
		}
		return nil
	case c.Bool("dry-run"):
		if c.Bool("json") {
			return writeJSON(w, sum)
		}
		fmt.Fprintln(ew, strings.Replace(describe(), ": ", ": would ", 1))
		return nil
	case c.Bool("in-place"):
		if changed {
			suffix := c.String("backup")
			backup, err := atomicfile.Replace(c.Args().First(), doc, out, suffix)
			if err != nil {
				return err
			}
			sum.Written, sum.Backup = true, backup
		}
		if c.Bool("json") {
			return writeJSON(w, sum)
		}
		msg := describe()
		if sum.Written {
			msg = strings.Replace(strings.Replace(msg, ": insert ", ": inserted ", 1), ": replace ", ": replaced ", 1)
		}
		if sum.Backup != "" {
			msg += "; backup in " + sum.Backup
		}
		fmt.Fprintln(ew, msg)
		return nil
	case c.Bool("json"):
		return writeJSON(w, sum)
	case c.Bool("diff"):
		return nil
	}
	_, err := w.Write(out)
	return err
}
