// Package source reads a generation ID from any input the CLI accepts: a
// file whose format is detected by content, standard input, or a literal
// value given on the command line. It returns one [Result] shape for every
// format, so that show, convert and audit print and compare the same thing.
package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/textlimit"
	"github.com/genid-migrate/genid-migrate/readers/hyperv"
	"github.com/genid-migrate/genid-migrate/readers/libvirt"
	"github.com/genid-migrate/genid-migrate/readers/proxmox"
	"github.com/genid-migrate/genid-migrate/readers/qemu"
	"github.com/genid-migrate/genid-migrate/readers/vmware"
)

// Format names an input format. The names are the values of the JSON
// "format" field.
type Format string

// Input formats. The literal formats are given with a flag, never detected.
const (
	VMX          Format = "vmx"          // VMware .vmx, or the --vmx literal
	Proxmox      Format = "proxmox"      // Proxmox VE qemu-server/<vmid>.conf
	QEMU         Format = "qemu-cmdline" // a QEMU command line
	LibvirtXML   Format = "libvirt"      // libvirt domain XML
	HyperVXML    Format = "hyperv-xml"   // Hyper-V XML configuration
	HyperVVMCX   Format = "hyperv-vmcx"  // Hyper-V binary .vmcx/.vmrs
	GUID         Format = "guid"         // --guid literal
	Windows      Format = "windows"      // --windows literal
	HyperV       Format = "hyperv"       // --hyperv literal
	GuestBytes   Format = "bytes"        // --bytes literal
	XenLiteral   Format = "xen"          // --xen literal
	Unrecognized Format = ""
)

// FileFormats lists the formats --from accepts for a file, with the
// aliases users are likely to type.
var FileFormats = map[string]Format{
	"vmx": VMX, "vmware": VMX,
	"proxmox": Proxmox, "pve": Proxmox,
	"qemu-cmdline": QEMU, "qemu": QEMU, "cmdline": QEMU,
	"libvirt": LibvirtXML, "hyperv-xml": HyperVXML, "hyperv-vmcx": HyperVVMCX, "vmcx": HyperVVMCX,
}

// FormatNames are the canonical --from values, for messages and help.
var FormatNames = []string{string(VMX), string(Proxmox), string(QEMU), string(LibvirtXML), string(HyperVXML), string(HyperVVMCX)}

// Convention names the rule that turned the input's text into guest bytes.
type Convention string

// Conventions (docs/byte-order.md).
const (
	ConvVMware        Convention = "vmware"         // LE64(genid) ‖ LE64(genidX)
	ConvQEMU          Convention = "qemu"           // GUID, first three fields swapped
	ConvWindows       Convention = "windows"        // LE64(low) ‖ LE64(high)
	ConvHyperV        Convention = "hyperv"         // reversed hex
	ConvGuestBytes    Convention = "guest-bytes"    // the bytes themselves
	ConvXen           Convention = "xen"            // LE64(a) ‖ LE64(b)
	ConvLibvirtVMware Convention = "libvirt-vmware" // libvirt's VMX/ESX driver: each 8-byte half reversed
)

// A Snapshot is the ID held by a snapshot or pending section of an input.
type Snapshot struct {
	Name  string
	Line  int
	State string // "set", "generate", "disabled", "absent"
	ID    genid.ID
}

// A Result is what one input holds.
type Result struct {
	Input      string     // the path, "-" for standard input, or "--flag VALUE"
	Format     Format     // the input's format
	Convention Convention // how the ID was derived from the text
	ID         genid.ID   // the ID; zero when Err is set
	Where      string     // where in the input the ID is ("lines 48-49", "argument 21")
	VM         []Field    // the VM's identity, in display order
	Snapshots  []Snapshot // IDs in snapshot sections, reported apart
	Warnings   []string   // worth telling the user; not errors
	Checkpoint bool       // a Hyper-V checkpoint's configuration
	NoVM       bool       // a valid file that holds no VM configuration (Hyper-V host registry, runtime state)
	Name       string     // the VM's name, for reports and last-resort pairing
	Identity   string     // the VM's UUID, normalised (lower-case 8-4-4-4-12), for pairing; "" if none
	IDKind     string     // where Identity came from: uuid.bios, vc.uuid, uuid, global_id, smbios1, -uuid
	Target     bool       // the format runs the VM on QEMU (libvirt qemu/kvm, Proxmox, QEMU): a migration target
}

// NormalizeUUID returns a UUID as lower-case 8-4-4-4-12 text, from the
// spellings VMware (hex pairs with spaces and one dash), Hyper-V (upper
// case), libvirt and Proxmox use; "" if s is not 32 hex digits.
func NormalizeUUID(s string) string {
	var b strings.Builder
	for _, c := range strings.TrimSpace(s) {
		switch {
		case c == ' ' || c == '-' || c == '{' || c == '}':
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
			b.WriteRune(c)
		case 'A' <= c && c <= 'F':
			b.WriteRune(c + 'a' - 'A')
		default:
			return ""
		}
	}
	h := b.String()
	if len(h) != 32 || h == strings.Repeat("0", 32) {
		return ""
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (r *Result) identity(kind, value string) {
	if r.Identity == "" {
		if u := NormalizeUUID(value); u != "" {
			r.Identity, r.IDKind = u, kind
		}
	}
}

// A Field is one named value of a VM's identity.
type Field struct {
	Key   string // JSON key, such as "display_name"
	Label string // for people, such as "displayName"
	Value string
}

// An UnsupportedError reports an input the tool recognises but cannot read
// (yet), or one it does not recognise at all.
type UnsupportedError struct {
	Input  string
	Reason string
}

func (e *UnsupportedError) Error() string { return e.Input + ": " + e.Reason }

// sniffSize is how much of a file detection looks at.
const sniffSize = 8 << 10

// ReadFile reads the ID from the file at path ("-" for stdin, read from
// stdin), detecting its format unless force names one.
func ReadFile(path string, stdin io.Reader, force Format) (*Result, error) {
	name := path
	var r interface {
		io.ReadSeeker
		io.ReaderAt
	}
	// Standard input, and pipes such as bash's <(…), cannot seek: they are
	// read into memory, up to the text size limit.
	inMemory := func(in io.Reader) error {
		data, err := io.ReadAll(io.LimitReader(in, textlimit.MaxFileSize+1))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r = bytes.NewReader(data)
		return nil
	}
	if path == "-" {
		name = "<stdin>"
		if err := inMemory(stdin); err != nil {
			return nil, err
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		st, err := f.Stat()
		switch {
		case err != nil:
			return nil, err
		case st.IsDir():
			return nil, &UnsupportedError{Input: path, Reason: "is a directory, not a configuration file"}
		case st.Mode().IsRegular():
			r = f
		default:
			if err := inMemory(f); err != nil {
				return nil, err
			}
		}
	}
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	head = head[:n]
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	format := force
	if format == Unrecognized {
		format = Detect(head)
	}
	size, err := r.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = r.Seek(0, io.SeekStart)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var whole []byte
	if n < sniffSize {
		whole = head // the sniff reached the end: this is the whole file
	}
	res, err := read(format, name, r, size, head, whole)
	return finish(res, err, path, name, format)
}

// finish sets the input's path on a result, flags checkpoints, and names
// the file in errors that do not name it yet.
func finish(res *Result, err error, path, name string, format Format) (*Result, error) {
	if res != nil {
		res.Input = path
		if format == HyperVXML || format == HyperVVMCX {
			checkpoint(res, path)
		}
	}
	var ie *genid.InputError
	if errors.As(err, &ie) && ie.File == "" {
		ie.File = name
	} else if err != nil && !errors.As(err, new(*UnsupportedError)) && !errors.As(err, &ie) {
		err = fmt.Errorf("%s: %w", name, err)
	}
	return res, err
}

// ReadOpened reads an already opened file whose format the caller has
// detected; f is read from offset 0 and not closed. When the caller has
// read the whole file already, whole holds it and f is not read again;
// ReadOpened does not keep whole. Audits use it to open and read each
// file once.
func ReadOpened(path string, f *os.File, size int64, format Format, whole []byte) (*Result, error) {
	res, err := read(format, path, &sectionFile{f: f, r: io.NewSectionReader(f, 0, size)}, size, whole, whole)
	return finish(res, err, path, path, format)
}

// readAll reads r to its end, or to one byte past the text size limit (so
// that readers report an oversized file), in one buffer sized for size
// bytes, the file's size when it was opened.
func readAll(r io.Reader, size int64) ([]byte, error) {
	limit := textlimit.MaxFileSize + 1
	b := make([]byte, 0, min(max(size, 0), int64(limit))+1)
	for len(b) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the file grew since it was opened
		}
		n, err := r.Read(b[len(b):min(cap(b), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

// sectionFile reads a file from its start without moving its offset.
type sectionFile struct {
	f *os.File
	r *io.SectionReader
}

func (s *sectionFile) Read(p []byte) (int, error)              { return s.r.Read(p) }
func (s *sectionFile) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

// read dispatches to the reader for format. head is the file's first bytes;
// whole, if not nil, is all of it.
func read(format Format, name string, r interface {
	io.Reader
	io.ReaderAt
}, size int64, head, whole []byte) (*Result, error) {
	text := func() ([]byte, error) {
		if whole != nil {
			return whole, nil
		}
		return readAll(r, size)
	}
	switch format {
	case VMX:
		data, err := text()
		if err != nil {
			return nil, err
		}
		f, err := vmware.ParseBytes(data)
		if err != nil {
			return nil, err
		}
		c, err := vmware.FromFile(f)
		return fromVMX(c), err
	case Proxmox:
		data, err := text()
		if err != nil {
			return nil, err
		}
		c, err := proxmox.Read(bytes.NewReader(data))
		return fromProxmox(c, name), err
	case QEMU:
		data, err := text()
		if err != nil {
			return nil, err
		}
		c, err := qemu.Read(bytes.NewReader(data))
		return fromQEMU(c), err
	case LibvirtXML:
		data, err := text()
		if err != nil {
			return nil, err
		}
		d, err := libvirt.Parse(data)
		return fromLibvirt(d), err
	case HyperVXML:
		data, err := text()
		if err != nil {
			return nil, err
		}
		c, err := hyperv.ParseXML(data)
		return fromHyperV(c, HyperVXML), err
	case HyperVVMCX:
		c, err := hyperv.ReadVMCX(r, size)
		return fromHyperV(c, HyperVVMCX), err
	}
	return nil, &UnsupportedError{Input: name, Reason: "format not recognised (" + describe(head) + "); name it with --from " + strings.Join(FormatNames, "|")}
}

func fromVMX(c *vmware.Config) *Result {
	if c == nil {
		return nil
	}
	r := &Result{Format: VMX, Convention: ConvVMware, ID: c.ID, Warnings: c.Warnings, Name: c.DisplayName}
	r.identity("uuid.bios", c.UUIDBios)
	r.identity("vc.uuid", c.VCUUID)
	if c.GenIDLine > 0 || c.GenIDXLine > 0 {
		r.Where = lines(c.GenIDLine, c.GenIDXLine)
	}
	r.VM = fields(
		Field{"display_name", "displayName", c.DisplayName},
		Field{"uuid_bios", "uuid.bios", c.UUIDBios},
		Field{"uuid_location", "uuid.location", c.UUIDLocation},
		Field{"vc_uuid", "vc.uuid", c.VCUUID},
		Field{"guest_os", "guestOS", c.GuestOS},
	)
	return r
}

func fromLibvirt(d *libvirt.Domain) *Result {
	if d == nil {
		return nil
	}
	r := &Result{Format: LibvirtXML, ID: d.ID, Convention: Convention(d.Convention), Name: d.Name, Target: d.Type == "qemu" || d.Type == "kvm"}
	r.identity("uuid", d.UUID)
	switch {
	case d.QEMUArgs != nil:
		r.Where = fmt.Sprintf("<qemu:commandline>, line %d", d.QEMUArgs.Line)
	case d.GenID != nil:
		r.Where = fmt.Sprintf("line %d", d.GenID.Line)
	}
	r.VM = fields(
		Field{"name", "name", d.Name},
		Field{"uuid", "uuid", d.UUID},
		Field{"domain_type", "type", d.Type},
	)
	if (d.Type == "qemu" || d.Type == "kvm") && !d.ACPI {
		r.Warnings = append(r.Warnings, "the domain has no <acpi/> under <features>: libvirt then starts QEMU without ACPI and the guest sees no generation ID at all; add <features><acpi/></features>")
	}
	if d.Convention == libvirt.ConvVMware {
		r.Warnings = append(r.Warnings, "this <genid> was written by libvirt's VMX/ESX driver; on QEMU/KVM the domain needs the guid shown above (genid-migrate rewrite does it)")
	}
	return r
}

func fromHyperV(c *hyperv.Config, format Format) *Result {
	if c == nil {
		return nil
	}
	r := &Result{Format: format, Convention: ConvHyperV, ID: c.ID, Name: c.Name, NoVM: c.Kind != hyperv.KindVM && c.Kind != ""}
	r.identity("global_id", c.GlobalID)
	switch {
	case c.Line > 0:
		r.Where = fmt.Sprintf("line %d", c.Line)
	case c.Offset > 0:
		r.Where = fmt.Sprintf("offset %#x", c.Offset)
	}
	version := ""
	if c.Version > 0 {
		version = fmt.Sprintf("%d.%d (%d)", c.Version>>8, c.Version&0xff, c.Version)
	}
	r.VM = fields(
		Field{"name", "name", c.Name},
		Field{"global_id", "global_id", c.GlobalID},
		Field{"version", "version", version},
		Field{"generation", "generation", c.Generation()},
	)
	if f := c.Container; f != nil {
		if f.Header.Offset != 0 && f.Headers[0].Err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("file header A is not valid (%v); copy B was used", f.Headers[0].Err))
		}
		if f.Journal.Replayed > 0 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("Hyper-V left %d pending journal entries; they were replayed in memory (the file was not changed)", f.Journal.Replayed))
		}
	}
	return r
}

// checkpoint flags a Hyper-V configuration kept under Snapshots/.
func checkpoint(r *Result, path string) {
	if hyperv.IsCheckpointPath(path) {
		r.Checkpoint = true
		r.Warnings = append(r.Warnings, "this is a checkpoint's configuration (under Snapshots/): the VM's current ID is in its configuration under Virtual Machines/")
	}
}

func fromProxmox(c *proxmox.Config, name string) *Result {
	if c == nil {
		return nil
	}
	r := &Result{Format: Proxmox, Convention: ConvQEMU, ID: c.ID, Name: c.Name, Target: true}
	r.identity("smbios1", c.SMBIOSUUID)
	if c.State != proxmox.Absent {
		r.Where = fmt.Sprintf("line %d", c.Line)
	}
	vmid := strings.TrimSuffix(baseName(name), ".conf")
	if !isDigits(vmid) {
		vmid = ""
	}
	r.VM = fields(
		Field{"name", "name", c.Name},
		Field{"vmid", "VMID", vmid},
		Field{"smbios_uuid", "smbios1 uuid", c.SMBIOSUUID},
	)
	for _, s := range c.Snapshots {
		r.Snapshots = append(r.Snapshots, Snapshot{Name: s.Name, Line: s.Line, State: string(s.State), ID: s.ID})
	}
	return r
}

func fromQEMU(c *qemu.Config) *Result {
	if c == nil {
		return nil
	}
	r := &Result{Format: QEMU, Convention: ConvQEMU, ID: c.ID, Name: c.Name, Target: true}
	r.identity("-uuid", c.UUID)
	switch {
	case c.Line > 0:
		r.Where = fmt.Sprintf("line %d", c.Line)
	case c.Arg > 0:
		r.Where = fmt.Sprintf("argument %d", c.Arg)
	}
	r.VM = fields(
		Field{"name", "-name", c.Name},
		Field{"uuid", "-uuid", c.UUID},
		Field{"program", "program", c.Program},
	)
	return r
}

// literals are the formats a value can be given in on the command line,
// with the parser and the convention of each.
var literals = map[Format]struct {
	parse func(string) (genid.ID, error)
	conv  Convention
}{
	VMX:        {genid.ParseVMXPair, ConvVMware},
	GUID:       {genid.ParseGUIDInput, ConvQEMU},
	Windows:    {genid.ParseWindows, ConvWindows},
	HyperV:     {genid.ParseHyperV, ConvHyperV},
	GuestBytes: {genid.ParseGuestBytes, ConvGuestBytes},
	XenLiteral: {genid.ParseXen, ConvXen},
}

// Literal reads a value given with a flag: flag is its format.
func Literal(format Format, value string) (*Result, error) {
	l, ok := literals[format]
	if !ok {
		return nil, fmt.Errorf("no literal form for %q", format)
	}
	id, err := l.parse(value)
	conv := l.conv
	input := "--" + string(format) + " " + value
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", format, err)
	}
	if id.IsZero() {
		return nil, fmt.Errorf("--%s %s: %w: the value is all zeros, which every hypervisor treats as none", format, value, genid.ErrZero)
	}
	return &Result{Input: input, Format: format, Convention: conv, ID: id}, nil
}

func lines(a, b int) string {
	switch {
	case a == 0:
		return fmt.Sprintf("line %d", b)
	case b == 0:
		return fmt.Sprintf("line %d", a)
	case a == b:
		return fmt.Sprintf("line %d", a)
	case a > b:
		a, b = b, a
	}
	return fmt.Sprintf("lines %d, %d", a, b)
}

func fields(fs ...Field) []Field {
	var out []Field
	for _, f := range fs {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
