package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/diagnose"
	"github.com/genid-migrate/genid-migrate/edit"
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/internal/textsafe"
	libvirtinv "github.com/genid-migrate/genid-migrate/inventory/libvirt"
)

// defaultBackupSuffix is the suffix of --backup without a value.
const defaultBackupSuffix = ".bak"

// rewriteInputs are the inputs rewrite reads its ID from: --from names a
// SOURCE file there, so the format is forced with --format (once
// --from-format, still accepted).
var rewriteInputs = inputOptions{formatAliases: []string{"from-format"}}

func rewriteCommand(jsonErrors *bool) *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "from", Usage: "read the generation ID from `SOURCE`: any file show reads, or - for standard input"},
		&cli.BoolFlag{Name: "in-place", Aliases: []string{"i"}, Usage: "replace DOMAIN atomically instead of printing the result"},
		&cli.StringFlag{Name: "backup", Usage: "with --in-place, first save DOMAIN to DOMAIN`SUFFIX` (--backup alone: " + defaultBackupSuffix + ")"},
		&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "say what would change; write nothing"},
		&cli.BoolFlag{Name: "diff", Usage: "print a unified diff instead of the XML"},
		&cli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 if DOMAIN would change, 0 if it already carries the ID"},
		&cli.BoolFlag{Name: "force", Usage: "replace a different existing ID, or edit a type='vmware' domain"},
		&cli.BoolFlag{Name: "json", Usage: "print a JSON summary instead of the XML"},
		libvirtFlag("DOMAIN is a domain of the libvirt host at `URI`: read its definition and define it anew"),
	}
	flags = append(flags, rewriteInputs.flags()...)
	return &cli.Command{
		Name:      "rewrite",
		Usage:     "set the ID in a libvirt domain, a .vmx or an OVF so its guest sees the source's ID",
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

DOMAIN may also be a VMware .vmx, for moves back to VMware: vm.genid and vm.genidX are
set between their quotes (key spelling, order, comments, .encoding and line ends stay),
or added after the other key or at the end; a key set twice is refused. DOMAIN may be an
OVF descriptor too: vm.genid and vm.genidX are set as vmw:ExtraConfig elements of its
VirtualHardwareSection, so that a deploy to vSphere carries the ID, and with --in-place a
manifest beside it (NAME.mf) that lists the descriptor gets its new digest; a manifest
that no longer matches the descriptor refuses the edit.

With --libvirt URI, DOMAIN is a domain of that libvirt host: its definition (with its
secrets) is edited the same way and defined anew, unless --dry-run or --check; a
definition changed meanwhile is refused, and the new one is read back. SOURCE may be an
inventory URI with --vm NAME.

Examples:
   genid-migrate rewrite --from win2019-dc01.vmx dom.xml
   genid-migrate rewrite --from src.vmx --in-place --backup dom.xml
   genid-migrate rewrite --from esx-dumpxml.xml --diff dom.xml
   genid-migrate rewrite --from src.vmx --check dom.xml
   genid-migrate rewrite --from dom.xml --in-place win2019-dc01.vmx
   virsh dumpxml vm | genid-migrate rewrite --from src.vmx - | virsh define /dev/stdin
   genid-migrate rewrite --from 'vpx://admin@vc.example.com/?no_verify=1' --vm dc01 --libvirt qemu:///system dc01`,
		Flags: flags,
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			return rewrite(c)
		},
	}
}

func rewrite(c *cli.Context) error {
	if c.NArg() != 1 {
		return &usageError{fmt.Sprintf("rewrite takes one DOMAIN, %d given", c.NArg())}
	}
	domPath := c.Args().First()
	if c.IsSet("libvirt") {
		src, err := rewriteSource(c, domPath)
		if err != nil {
			return err
		}
		return rewriteLibvirt(c, src, domPath)
	}
	if c.String("from") == "-" && domPath == "-" {
		return &usageError{"SOURCE and DOMAIN cannot both be standard input"}
	}
	inPlace, check, dry := c.Bool("in-place"), c.Bool("check"), c.Bool("dry-run")
	switch {
	case inPlace && domPath == "-":
		return &usageError{"--in-place needs a DOMAIN file, not standard input"}
	case c.IsSet("backup") && !inPlace:
		return &usageError{"--backup goes with --in-place"}
	case c.IsSet("backup") && c.String("backup") == "":
		return &usageError{"--backup= has an empty suffix, which would overwrite DOMAIN itself: give one, such as --backup .orig, or --backup alone for " + defaultBackupSuffix}
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
	// The document first: a DOMAIN of the wrong kind (arguments swapped)
	// is the mistake to name, whatever the source holds.
	name, doc, kind, err := readDocument(c, domPath)
	if err != nil {
		return err
	}
	src, err := rewriteSource(c, domPath)
	if err != nil {
		return err
	}
	plan, err := edit.PrepareWith(kind, name, doc, src.ID, src.Input, edit.Options{Force: c.Bool("force"), Explain: knownMistake})
	if err != nil {
		return err
	}
	if plan.Action != edit.Unchanged {
		for _, w := range plan.Warnings {
			fmt.Fprintf(c.App.ErrWriter, "%s: warning: %s\n", appName, w)
		}
	}
	var write writer
	if inPlace {
		write = func(p *edit.Plan) (string, error) { return p.Write(domPath, c.String("backup")) }
	}
	return rewriteOutput(c, plan, domPath, write)
}

// editKinds are the documents rewrite edits, by the format they are
// detected as.
var editKinds = map[string]*edit.Kind{
	formats.Libvirt: edit.Libvirt,
	formats.VMX:     edit.VMX,
	formats.OVF:     edit.OVF,
}

// editable lists the documents rewrite edits, for messages.
const editable = "a libvirt domain, a VMware .vmx, an OVF descriptor"

// readDocument reads the document rewrite edits: a file, or standard
// input, bounded, and refused at once when its first bytes are not a
// document rewrite edits.
func readDocument(c *cli.Context, path string) (name string, doc []byte, kind *edit.Kind, err error) {
	name = path
	in := c.App.Reader
	if path == "-" {
		name = "<stdin>"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return name, nil, nil, err
		}
		defer f.Close()
		in = f
	}
	head, err := bounded.ReadAll(io.LimitReader(in, formats.SniffSize), formats.SniffSize, formats.SniffSize, "")
	if err != nil {
		return name, nil, nil, genid.WithFile(err, name)
	}
	f := formats.Detect(head)
	switch {
	case f != nil && editKinds[f.Name] != nil:
		kind = editKinds[f.Name]
	case f != nil && f.Name == formats.OVA:
		return name, nil, nil, &formats.UnrecognizedError{Input: name, Reason: "an OVA archive: rewrite edits the descriptor inside it; extract it (tar xf), rewrite the .ovf with --in-place (its .mf follows), and pack it again with the .ovf first (tar cf NAME.ova NAME.ovf NAME.mf NAME-disk1.vmdk …)"}
	case f != nil:
		how := map[string]string{
			formats.Proxmox:    "set its vmgenid on the node with qm set VMID --vmgenid GUID: genid-migrate convert --to proxmox --vmid VMID SOURCE prints it, plan --to proxmox writes a checked script",
			formats.HyperVVMCX: "Hyper-V configurations are read, never written: is it the source? (rewrite --from VM.vmcx DOMAIN)",
			formats.HyperVXML:  "Hyper-V configurations are read, never written: is it the source? (rewrite --from VM.xml DOMAIN)",
			formats.QEMU:       "give QEMU the device genid-migrate convert --to qemu SOURCE prints",
			formats.KubeVirt:   "KubeVirt takes the ID through a hook: genid-migrate convert --to kubevirt --vm NAME SOURCE",
		}[f.Name]
		if how == "" {
			how = "to carry the ID there, see convert --to"
		}
		return name, nil, nil, &formats.UnrecognizedError{Input: name, Reason: "a " + f.Description + ": rewrite edits " + editable + "; " + how}
	default:
		return name, nil, nil, &formats.UnrecognizedError{Input: name, Reason: "not a document rewrite edits (" + editable + "): " + formats.Describe(head)}
	}
	rest, err := bounded.ReadAll(in, bounded.MaxFileSize-int64(len(head)), 0, kind.Name)
	if err != nil {
		return name, nil, nil, genid.WithFile(err, name)
	}
	return name, append(head, rest...), kind, nil
}

// rewriteSource reads the ID to write: --from or one literal flag.
func rewriteSource(c *cli.Context, domPath string) (*formats.Result, error) {
	var paths []string
	if c.IsSet("from") {
		paths = append(paths, c.String("from"))
	}
	ins, err := rewriteInputs.parse(c, paths)
	if err != nil {
		return nil, err
	}
	if len(ins.list) != 1 {
		return nil, &usageError{"rewrite needs one source: --from SOURCE, or one of --vmx, --guid, --windows, --hyperv, --bytes, --xen"}
	}
	if ins.stdin() == 1 && domPath == "-" && !c.IsSet("libvirt") {
		return nil, &usageError{"SOURCE and DOMAIN cannot both be standard input"}
	}
	r, err := ins.readInput(c, ins.list[0])
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	return r, nil
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

// A writer writes a plan where the document lives: a file replaced
// atomically, or a domain defined anew. It returns the backup's path, if
// one was kept.
type writer func(p *edit.Plan) (backup string, err error)

// rewriteOutput prints, checks or writes the result; write is nil when
// the result is only printed (a file without --in-place).
func rewriteOutput(c *cli.Context, p *edit.Plan, domain string, write writer) error {
	sum := rewriteSummary{Domain: domain, Source: p.Source, Action: string(p.Action), Line: p.Line,
		GUID: p.New.GUID(), Windows: p.New.Windows(), GuestBytes: p.New.GuestBytes()}
	if !p.Old.IsZero() {
		sum.OldGUID, sum.OldWindows = p.Old.GUID(), p.Old.Windows()
	}
	w, ew := c.App.Writer, c.App.ErrWriter
	if c.Bool("diff") {
		fmt.Fprint(w, p.Diff())
	}
	switch {
	case c.Bool("check"):
		if p.Changed() {
			return &findingsError{p.Describe(edit.Will)}
		}
		return nil
	case c.Bool("dry-run"):
		if c.Bool("json") {
			return writeJSON(w, sum)
		}
		fmt.Fprintln(ew, textsafe.Controls(p.Describe(edit.Would)))
		return nil
	case write != nil:
		var backup string
		if p.Changed() {
			var err error
			before := len(p.Warnings)
			backup, err = write(p)
			for _, w := range p.Warnings[before:] {
				fmt.Fprintf(ew, "%s: %s\n", appName, w)
			}
			if err != nil {
				return err
			}
		}
		sum.Written, sum.Backup = p.Changed(), backup
		if c.Bool("json") {
			return writeJSON(w, sum)
		}
		msg := p.Describe(edit.Will)
		if sum.Written {
			msg = p.Describe(edit.Done)
		}
		if backup != "" {
			msg += "; backup in " + backup
		}
		fmt.Fprintln(ew, textsafe.Controls(msg))
		return nil
	case c.Bool("json"):
		return writeJSON(w, sum)
	case c.Bool("diff"):
		return nil
	}
	_, err := w.Write(p.After)
	return err
}

// rewriteLibvirt edits a domain defined on a libvirt host: its definition
// (with its secrets, so that defining it again keeps them) goes through
// the same edit and policy as a file, and is defined anew unless
// --dry-run or --check; the daemon's definition is then read back and
// must carry the ID.
func rewriteLibvirt(c *cli.Context, src *formats.Result, name string) error {
	switch {
	case c.Bool("in-place"):
		return &usageError{"--libvirt defines the domain anew: --in-place is for files"}
	case c.IsSet("backup"):
		return &usageError{"--backup is for files; keep the old definition with virsh dumpxml --inactive --security-info DOMAIN > DOMAIN.xml"}
	case c.Bool("check") && c.Bool("dry-run"):
		return &usageError{"--check writes nothing: it does not combine with --dry-run"}
	}
	conn, err := libvirtinv.Dial(c.String("libvirt"))
	if err != nil {
		return err
	}
	defer conn.Close()
	d, err := conn.Lookup(name)
	if err != nil {
		return fmt.Errorf("%s: %w", conn.URI, err)
	}
	doc, err := conn.XML(d, false, true)
	if err != nil {
		return err
	}
	path := conn.Path(name)
	plan, err := edit.PrepareWith(edit.Libvirt, path, doc, src.ID, src.Input, edit.Options{Force: c.Bool("force"), Explain: knownMistake})
	if err != nil {
		return err
	}
	if plan.Action != edit.Unchanged && !c.Bool("check") {
		for _, w := range plan.Warnings {
			fmt.Fprintf(c.App.ErrWriter, "%s: warning: %s\n", appName, w)
		}
	}
	var define writer
	if !c.Bool("dry-run") && !c.Bool("check") {
		define = func(p *edit.Plan) (string, error) {
			again, err := conn.XML(d, false, true)
			if err != nil {
				return "", err
			}
			if !bytes.Equal(again, p.Before) {
				return "", fmt.Errorf("%s: the definition changed while it was being edited; nothing was defined, run rewrite again", path)
			}
			if err := conn.Define(p.After); err != nil {
				return "", fmt.Errorf("%s: %w", path, err)
			}
			back, err := conn.XML(d, false, false)
			if err != nil {
				return "", err
			}
			if got, err := edit.Libvirt.Carried(back); err != nil || got != p.New {
				return "", fmt.Errorf("%s: defined, but the daemon's definition reads back as %s (%v), not %s", path, got, err, p.New)
			}
			return "", nil
		}
	}
	return rewriteOutput(c, plan, path, define)
}

// knownMistake says which known wrong conversion turned the source's ID
// into an existing one, or "".
func knownMistake(source, existing genid.ID) string {
	for _, m := range diagnose.Diagnose(source, existing) {
		return m.Name + ": " + m.Explanation
	}
	return ""
}
