package libvirt

import (
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/internal/qemuargs"
	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

// QEMUNamespace is the namespace of libvirt's <qemu:commandline>.
const QEMUNamespace = "http://libvirt.org/schemas/domain/qemu/1.0"

// The conventions of libvirt's drivers: how a domain's <genid> text maps
// to guest bytes.
const (
	ConvQEMU   = genid.ConvQEMU          // qemu and kvm domains: QEMU guid=
	ConvVMware = genid.ConvLibvirtVMware // vmware domains: libvirt's VMX/ESX driver
)

// A Domain is what a report needs from a domain's XML.
type Domain struct {
	Type       string           // the domain's type attribute
	Name       string           // <name>
	UUID       string           // <uuid>, as written
	HWUUID     string           // <hwuuid>, as written: the hardware (SMBIOS) UUID where libvirt's ESX driver puts uuid.bios
	ID         genid.ID         // the ID the guest sees (zero if none)
	Convention genid.Convention // how ID was derived from the text

	ACPI bool // <features><acpi/> is present: without it QEMU runs with no ACPI, so the guest sees no generation ID

	GenID     *Element // the <genid> element, nil if absent
	QEMUArgs  *Element // the <qemu:commandline> element holding a vmgenid device, nil if none
	GenIDText string   // the text of <genid> as written, if present
}

// An Element locates an element of the document.
type Element struct {
	Line       int   // 1-based line of its start tag
	Start, End int64 // its byte span
	Empty      bool  // <genid/> or only white space
}

// Read parses domain XML from r.
func Read(r io.Reader) (*Domain, error) {
	b, err := bounded.ReadAll(r, bounded.MaxFileSize, 0, "a libvirt domain")
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// ReadFile is [Read] on a named file; errors carry the name.
func ReadFile(name string) (*Domain, error) { return bounded.Parse(name, "a libvirt domain", Parse) }

// RunsOnQEMU reports whether libvirt's QEMU driver runs the domain
// (type qemu or kvm): its <genid> is QEMU's guid=, and it is a migration's
// target.
func (d *Domain) RunsOnQEMU() bool { return d.Type == "qemu" || d.Type == "kvm" }

// Reading returns what the domain holds in the shape every reader shares.
// The VM is identified by <uuid>, and by <hwuuid> when present (libvirt's
// ESX driver puts vCenter's instance UUID in <uuid> and the BIOS UUID
// there, so a .vmx pairs on either). A domain that runs on QEMU without
// <features><acpi/> gets a warning: libvirt then starts QEMU without ACPI
// and the guest sees no generation ID.
func (d *Domain) Reading() *genid.Reading {
	if d == nil {
		return nil
	}
	r := &genid.Reading{ID: d.ID, Convention: d.Convention, Name: d.Name, Target: d.RunsOnQEMU()}
	r.SetIdentity("uuid", d.UUID)
	r.SetIdentity("hwuuid", d.HWUUID)
	switch {
	case d.QEMUArgs != nil:
		r.Where = fmt.Sprintf("<qemu:commandline>, line %d", d.QEMUArgs.Line)
	case d.GenID != nil:
		r.Where = genid.Lines(d.GenID.Line, 0)
	}
	r.AddFields(
		genid.Field{Key: "name", Label: "name", Value: d.Name},
		genid.Field{Key: "uuid", Label: "uuid", Value: d.UUID},
		genid.Field{Key: "hwuuid", Label: "hwuuid", Value: d.HWUUID},
		genid.Field{Key: "domain_type", Label: "type", Value: d.Type},
	)
	if d.RunsOnQEMU() && !d.ACPI {
		r.Warnings = append(r.Warnings, NoACPIWarning)
	}
	if d.Convention == ConvVMware {
		r.Warnings = append(r.Warnings, "this <genid> was written by libvirt's VMX/ESX driver; on QEMU/KVM the domain needs the guid shown above (genid-migrate rewrite does it)")
	}
	return r
}

// NoACPIWarning is said of a qemu or kvm domain without <features><acpi/>.
const NoACPIWarning = "the domain has no <acpi/> under <features>: libvirt then starts QEMU without ACPI and the guest sees no generation ID at all; add <features><acpi/></features>"

// Parse reads domain XML. The returned Domain is non-nil whenever the XML
// is a domain, also when the error is [genid.ErrNotFound] or a problem with
// the ID, so that callers can still name the VM and rewrite the document.
func Parse(doc []byte) (*Domain, error) {
	if len(doc) > bounded.MaxFileSize {
		return nil, bounded.TooLarge(bounded.MaxFileSize, "a libvirt domain")
	}
	o, ok := scan(doc)
	if !ok {
		var err error
		if o, err = parseOutline(doc); err != nil {
			return nil, err
		}
	}
	return o.domain()
}

// An outline is what Parse needs of a document: the root element and its
// children, where they are, and the few values read from them. It comes
// from the fast scanner for documents in the plain shape libvirt and the
// tools around it write, and from encoding/xml and etree otherwise; both
// give the same outline for a document both read.
type outline struct {
	root      xmlspan.Element
	children  []xmlspan.Element
	typ       string    // the root's type attribute
	acpi      bool      // features/acpi exists
	name      string    // text of the last unprefixed <name>, trimmed
	uuid      string    // text of the last unprefixed <uuid>, trimmed
	hwuuid    string    // text of the last unprefixed <hwuuid>, trimmed
	genids    []int     // indices of the unprefixed <genid> children
	genidText string    // all the text in the first <genid>
	cmdlines  []cmdline // <qemu:commandline> children
}

// A cmdline is a <qemu:commandline> child of the root and its arguments.
type cmdline struct {
	child int
	args  []string
}

// maxDepth is the deepest nesting of elements read; libvirt's domains are
// a handful of levels deep.
const maxDepth = 1024

// depthLine returns the line of the first element nested deeper than
// limit, for the message.
func depthLine(doc []byte, limit int) int {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return 0
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > limit {
				line, _ := d.InputPos()
				return line
			}
		case xml.EndElement:
			depth--
		}
	}
}

// parseOutline reads the outline with encoding/xml (for byte spans) and
// etree (for structure).
func parseOutline(doc []byte) (*outline, error) {
	spans, err := xmlspan.Scan(doc)
	if err != nil {
		var se *xmlspan.SyntaxError
		if errors.As(err, &se) {
			return nil, &genid.InputError{Line: se.Line, Err: errors.New("XML syntax error: " + se.Msg)}
		}
		return nil, err
	}
	o := &outline{root: spans.Root}
	if spans.Root.Prefix != "" || spans.Root.Local != "domain" {
		return o, nil // domain() reports it
	}
	x := etree.NewDocument()
	x.ReadSettings.MaxDepth = maxDepth
	if err := x.ReadFromBytes(doc); err != nil {
		if errors.Is(err, etree.ErrMaxDepth) {
			return nil, &genid.InputError{Line: depthLine(doc, maxDepth), Err: fmt.Errorf("elements nested more than %d deep: not a libvirt domain (libvirt's are a few levels deep)", maxDepth)}
		}
		return nil, &genid.InputError{Err: err}
	}
	root := x.Root()
	children := root.ChildElements()
	if len(children) != len(spans.Children) {
		return nil, &genid.InputError{Line: spans.Root.Line, Err: errors.New("the document's structure could not be read consistently")}
	}
	o.children = spans.Children
	o.typ = root.SelectAttrValue("type", "")
	o.acpi = root.FindElement("features/acpi") != nil
	for i, c := range children {
		if c.Space != "" {
			if c.Tag == "commandline" && c.NamespaceURI() == QEMUNamespace {
				var args []string
				for _, a := range c.ChildElements() {
					if a.Tag == "arg" && a.NamespaceURI() == QEMUNamespace {
						args = append(args, a.SelectAttrValue("value", ""))
					}
				}
				o.cmdlines = append(o.cmdlines, cmdline{i, args})
			}
			continue
		}
		switch c.Tag {
		case "name":
			o.name = strings.TrimSpace(c.Text())
		case "uuid":
			o.uuid = strings.TrimSpace(c.Text())
		case "hwuuid":
			o.hwuuid = strings.TrimSpace(c.Text())
		case "genid":
			if len(o.genids) == 0 {
				o.genidText = allText(c)
			}
			o.genids = append(o.genids, i)
		}
	}
	return o, nil
}

// domain interprets the outline.
func (o *outline) domain() (*Domain, error) {
	if o.root.Prefix != "" || o.root.Local != "domain" {
		return nil, &genid.InputError{Line: o.root.Line, Err: fmt.Errorf("the root element is <%s>, not <domain>: not a libvirt domain", o.root.Local)}
	}
	if o.typ == "" && o.name == "" && o.uuid == "" && len(o.genids) == 0 && len(o.cmdlines) == 0 {
		// libvirt requires the type attribute and <name>; other XML has
		// <domain> roots too (GlassFish's and Payara's domain.xml).
		return nil, &genid.InputError{Line: o.root.Line, Err: fmt.Errorf("%w: a <domain> without a type attribute, <name>, <uuid> or <genid>, such as an application server's domain.xml, not a libvirt domain", genid.ErrNotVM)}
	}
	d := &Domain{Type: o.typ, ACPI: o.acpi, Name: o.name, UUID: o.uuid, HWUUID: o.hwuuid}
	genids := o.genids
	at := func(i int, empty bool) *Element {
		s := o.children[i]
		return &Element{Line: s.Line, Start: s.Start, End: s.End, Empty: empty}
	}
	if len(genids) > 1 {
		return d, &genid.InputError{Line: o.children[genids[1]].Line, Key: "genid", Err: errors.New("element 'genid' can only appear once (libvirt refuses the domain)")}
	}
	if len(genids) == 1 {
		d.GenIDText = o.genidText
		d.GenID = at(genids[0], strings.TrimSpace(d.GenIDText) == "")
	}

	// A vmgenid device passed through <qemu:commandline>.
	var cmdID genid.ID
	var cmdErr error
	for _, c := range o.cmdlines {
		info, err := qemuargs.Scan(c.args)
		if err == nil && len(info.Devices) == 0 {
			continue
		}
		if d.QEMUArgs != nil {
			return d, &genid.InputError{Line: o.children[c.child].Line, Key: "qemu:commandline", Err: errors.New("a second vmgenid device: QEMU allows at most one")}
		}
		d.QEMUArgs = at(c.child, false)
		if err == nil {
			cmdID, _, err = info.GenID()
		}
		var ae *qemuargs.ArgError
		if errors.As(err, &ae) {
			err = ae.Err
		}
		cmdErr = err
	}
	if d.GenID != nil && d.QEMUArgs != nil {
		return d, &genid.InputError{Line: d.QEMUArgs.Line, Key: "qemu:commandline", Err: fmt.Errorf("a vmgenid device here and <genid> on line %d: QEMU allows one vmgenid device, so the domain would not start", d.GenID.Line)}
	}

	switch {
	case d.QEMUArgs != nil:
		if d.Type != "qemu" && d.Type != "kvm" {
			return d, &genid.InputError{Line: d.QEMUArgs.Line, Key: "qemu:commandline", Err: fmt.Errorf("QEMU arguments in a type='%s' domain", d.Type)}
		}
		d.Convention = ConvQEMU
		if cmdErr != nil {
			if errors.Is(cmdErr, genid.ErrNotFound) {
				return d, fmt.Errorf("%w in <qemu:commandline> (line %d)", cmdErr, d.QEMUArgs.Line)
			}
			return d, &genid.InputError{Line: d.QEMUArgs.Line, Key: "qemu:commandline", Err: cmdErr}
		}
		d.ID = cmdID
		return d, nil
	case d.GenID == nil:
		return d, fmt.Errorf("%w: the domain has no <genid> element", genid.ErrNotFound)
	}

	switch d.Type {
	case "qemu", "kvm":
		d.Convention = ConvQEMU
	case "vmware":
		d.Convention = ConvVMware
	case "":
		return d, &genid.InputError{Line: o.root.Line, Key: "domain", Err: errors.New("no type attribute: the meaning of <genid> depends on the domain type")}
	default:
		return d, &genid.InputError{Line: d.GenID.Line, Key: "genid", Err: fmt.Errorf("%w: <genid> in a type='%s' domain: which bytes its guest sees is not established (qemu, kvm and vmware are)", genid.ErrUnsupported, d.Type)}
	}
	if d.GenID.Empty {
		return d, fmt.Errorf("%w: <genid/> is empty, so libvirt generates a new ID when the domain is defined (line %d)", genid.ErrGenerated, d.GenID.Line)
	}
	u, err := ParseUUID(d.GenIDText)
	if err != nil {
		return d, &genid.InputError{Line: d.GenID.Line, Key: "genid", Err: fmt.Errorf("%q: %v (libvirt reports \"malformed genid element\")", d.GenIDText, err)}
	}
	if d.Convention == ConvVMware {
		d.ID = genid.FromLibvirtVMwareUUID(u)
	} else {
		d.ID = genid.FromUUIDBytes(u)
	}
	if d.ID.IsZero() {
		return d, fmt.Errorf("%w: <genid> is all zeros, which guests read as no ID (line %d)", genid.ErrZero, d.GenID.Line)
	}
	return d, nil
}

// allText concatenates the text of e and its descendants, as XPath
// string() does.
func allText(e *etree.Element) string {
	var b strings.Builder
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, t := range e.Child {
			switch t := t.(type) {
			case *etree.CharData:
				b.WriteString(t.Data)
			case *etree.Element:
				walk(t)
			}
		}
	}
	walk(e)
	return b.String()
}

// ParseUUID reads UUID text as libvirt's virUUIDParse does: leading white
// space skipped; then 16 bytes, each two contiguous hex digits, with any
// number of '-' or ' ' before each; then only white space.
func ParseUUID(s string) ([16]byte, error) {
	var u [16]byte
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	for n := 0; n < 16; {
		if i >= len(s) {
			return u, fmt.Errorf("only %d of 16 bytes", n)
		}
		if s[i] == '-' || s[i] == ' ' {
			i++
			continue
		}
		if i+1 >= len(s) {
			return u, fmt.Errorf("byte %d is not two hex digits", n+1)
		}
		if _, err := hex.Decode(u[n:n+1], []byte(s[i:i+2])); err != nil {
			return u, fmt.Errorf("byte %d is not two hex digits", n+1)
		}
		n++
		i += 2
	}
	for ; i < len(s); i++ {
		if !isSpace(s[i]) {
			rest := s[i:]
			if len(rest) > 20 {
				rest = rest[:20] + "…"
			}
			return u, fmt.Errorf("unexpected %q after the 16th byte", rest)
		}
	}
	return u, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
