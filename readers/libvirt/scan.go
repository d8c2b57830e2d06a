package libvirt

import (
	"bytes"
	"strings"

	"github.com/genid-migrate/genid-migrate/internal/xmlscan"
	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

// maxScanDepth is the deepest nesting the fast scanner follows; deeper
// documents go to the full parsers, which have limits of their own.
const maxScanDepth = 256

// scan reads the outline of a domain in one pass over its bytes, for
// documents in the plain shape libvirt, virt-install and virt-v2v write:
// a filter over the shared tokenizer (package xmlscan), which gives up on
// anything outside plain XML. The filter gives up too on an XML
// declaration other than version 1.0 in UTF-8, comments, processing
// instructions or elements inside <name>, <uuid>, <hwuuid> or <genid>, a
// <commandline> in a namespace, and an empty root. Parse then uses the
// full parsers, which also report errors with their line. For every
// document it accepts, the outline equals the full parsers' (FuzzParse
// checks it).
func scan(doc []byte) (*outline, bool) {
	s := xmlscan.New(doc, maxScanDepth)
	o := &outline{}
	var (
		child    xmlspan.Element
		textOf   string // "name", "uuid", "hwuuid" or "genid" while inside one at depth 2
		textFrom int    // where its text starts
		features bool   // the open depth-2 element is a <features>
	)
	var tok xmlscan.Token
	for s.Scan(&tok) {
		switch tok.Kind {
		case xmlscan.Comment:
			if textOf != "" {
				return nil, false
			}
		case xmlscan.ProcInst:
			if textOf != "" || !simplePI(tok) {
				return nil, false
			}
		case xmlscan.StartElement:
			if textOf != "" {
				return nil, false // an element inside <name>, <uuid>, <hwuuid> or <genid>
			}
			switch tok.Depth {
			case 1:
				if tok.SelfClosing {
					return nil, false // an empty root
				}
				o.root = xmlspan.Element{Prefix: string(tok.Prefix), Local: string(tok.Local), Start: int64(tok.Start), Line: s.Line(tok.Start)}
				if !o.rootAttrs(tok.Attrs) {
					return nil, false
				}
			case 2:
				child = xmlspan.Element{Prefix: string(tok.Prefix), Local: string(tok.Local), Start: int64(tok.Start), Line: s.Line(tok.Start)}
				if len(tok.Prefix) > 0 && string(tok.Local) == "commandline" {
					return nil, false // maybe <qemu:commandline>: namespaces are the full parser's
				}
				features = string(tok.Local) == "features"
				text := child.Prefix == "" && (child.Local == "name" || child.Local == "uuid" || child.Local == "hwuuid" || child.Local == "genid")
				switch {
				case tok.SelfClosing:
					if text {
						o.setText(child.Local, nil)
					}
					child.End, child.SelfClosing = int64(tok.End), true
					o.children = append(o.children, child)
				case text:
					textOf, textFrom = child.Local, tok.End
				}
			case 3:
				if features && string(tok.Local) == "acpi" {
					o.acpi = true
				}
			}
		case xmlscan.EndElement:
			switch {
			case tok.Depth == 2 && tok.Start == tok.End:
				// The end of a self-closing child, recorded at its start.
			case tok.Depth == 2:
				if textOf != "" {
					o.setText(textOf, doc[textFrom:tok.Start])
					textOf = ""
				}
				child.End = int64(tok.End)
				o.children = append(o.children, child)
				features = false
			case tok.Depth == 1:
				o.root.End = int64(tok.End)
			}
		}
	}
	if !s.Complete() || o.root.Prefix != "" || o.root.Local != "domain" {
		return nil, false // the full parsers read or report it
	}
	return o, true
}

// setText records the text of a depth-2 <name>, <uuid> or <genid>, which
// holds nothing but text, as an XML parser gives it: line ends normalised,
// then references decoded.
func (o *outline) setText(which string, raw []byte) {
	text := string(xmlscan.Unescape([]byte(normalizeNewlines(string(raw)))))
	switch which {
	case "name":
		o.name = strings.TrimSpace(text)
	case "uuid":
		o.uuid = strings.TrimSpace(text)
	case "hwuuid":
		o.hwuuid = strings.TrimSpace(text)
	case "genid":
		if len(o.genids) == 0 {
			o.genidText = text
		}
		o.genids = append(o.genids, len(o.children))
	}
}

// rootAttrs takes the root's type attribute as etree's SelectAttrValue
// does: the first attribute named type, whatever its prefix. Two
// attributes of the same name are left to the full parsers.
func (o *outline) rootAttrs(attrs []xmlscan.Attr) bool {
	found := false
	for i, a := range attrs {
		for _, b := range attrs[:i] {
			if bytes.Equal(a.Name, b.Name) {
				return false
			}
		}
		if _, local, _ := xmlscan.SplitName(a.Name); string(local) == "type" && !found {
			o.typ, found = normalizeNewlines(string(a.Value)), true
		}
	}
	return true
}

// simplePI accepts a processing instruction the full parsers read alike:
// any but the XML declaration, and that only at the very start of the
// document, as version 1.0, with no encoding or UTF-8, and optionally
// standalone.
func simplePI(t xmlscan.Token) bool {
	if !strings.EqualFold(string(t.Local), "xml") {
		return true
	}
	if string(t.Local) != "xml" || t.Start != 0 || !t.PlainAttrs {
		return false
	}
	attrs := t.Attrs
	if len(attrs) == 0 || string(attrs[0].Name) != "version" || string(attrs[0].Value) != "1.0" {
		return false
	}
	for _, a := range attrs[1:] {
		switch string(a.Name) {
		case "encoding":
			if !strings.EqualFold(string(a.Value), "utf-8") {
				return false
			}
		case "standalone":
			if v := string(a.Value); v != "yes" && v != "no" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// normalizeNewlines turns CRLF and lone CR into LF, as XML parsers do.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
