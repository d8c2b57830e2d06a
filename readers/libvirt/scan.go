package libvirt

import (
	"bytes"
	"strings"

	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

// maxScanDepth is the deepest nesting the fast scanner follows; deeper
// documents go to the full parsers, which have limits of their own.
const maxScanDepth = 256

// scan reads the outline of a domain in one pass over its bytes, for
// documents in the plain shape libvirt, virt-install and virt-v2v write.
// It gives up (ok = false) on anything it does not handle simply: bytes
// outside printable ASCII, entity and character references, CDATA,
// DOCTYPE, an XML declaration other than version 1.0 in UTF-8, comments or
// processing instructions inside <name>, <uuid> or <genid>, elements
// inside them, a <commandline> in a namespace, attributes without space
// between them, and anything malformed. Parse then uses the full parsers,
// which also report errors with their line. For every document it
// accepts, the outline equals the full parsers' (FuzzParse checks it).
func scan(doc []byte) (*outline, bool) {
	if !xmlspan.PlainASCII(doc) {
		return nil, false
	}
	if bytes.IndexByte(doc, '&') >= 0 || bytes.Contains(doc, []byte("]]>")) {
		return nil, false
	}
	o := &outline{}
	var (
		stack    [][]byte // open elements' names as written
		roots    int
		line     = 1 // line of doc[pos]
		pos      = 0
		child    xmlspan.Element
		textOf   string // "name", "uuid" or "genid" while inside one at depth 1
		textFrom int    // where its text starts
		features bool   // the open depth-1 element is a <features>
		attrBuf  []xmlspan.Attr
	)
	advance := func(to int) {
		line += bytes.Count(doc[pos:to], []byte{'\n'})
		pos = to
	}
	for pos < len(doc) {
		lt := bytes.IndexByte(doc[pos:], '<')
		if lt < 0 {
			if len(stack) > 0 || !isBlank(doc[pos:]) {
				return nil, false
			}
			break
		}
		if len(stack) == 0 && !isBlank(doc[pos:pos+lt]) {
			return nil, false // text outside the root
		}
		advance(pos + lt)
		rest := doc[pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 || textOf != "" {
				return nil, false
			}
			body := rest[4 : 4+end]
			if bytes.Contains(body, []byte("--")) || bytes.HasSuffix(body, []byte("-")) {
				return nil, false
			}
			advance(pos + 4 + end + 3)
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest[2:], []byte("?>"))
			if end < 0 || textOf != "" || !simplePI(rest[2:2+end], pos == 0) {
				return nil, false
			}
			advance(pos + 2 + end + 2)
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			return nil, false
		case bytes.HasPrefix(rest, []byte("</")):
			gt := bytes.IndexByte(rest, '>')
			if gt < 0 || len(stack) == 0 {
				return nil, false
			}
			name := bytes.TrimRight(rest[2:gt], " \t\r\n")
			if !bytes.Equal(name, stack[len(stack)-1]) {
				return nil, false
			}
			start := pos
			advance(pos + gt + 1)
			stack = stack[:len(stack)-1]
			if len(stack) == 1 {
				if textOf != "" {
					o.setText(textOf, doc[textFrom:start])
					textOf = ""
				}
				child.End = int64(pos)
				o.children = append(o.children, child)
				features = false
			}
			if len(stack) == 0 {
				o.root.End = int64(pos)
			}
			continue
		}
		// A start tag.
		if textOf != "" {
			return nil, false // an element inside <name>, <uuid> or <genid>
		}
		gt := bytes.IndexByte(rest, '>')
		if gt < 0 {
			return nil, false
		}
		tag := rest[1:gt]
		self := len(tag) > 0 && tag[len(tag)-1] == '/'
		if self {
			tag = tag[:len(tag)-1]
		}
		n := nameEnd(tag)
		prefix, local, ok := xmlspan.SplitName(tag[:n])
		if !ok {
			return nil, false
		}
		if attrBuf, ok = xmlspan.PlainAttrs(tag[n:], attrBuf[:0]); !ok {
			return nil, false
		}
		depth := len(stack)
		switch depth {
		case 0:
			if roots++; roots > 1 {
				return nil, false
			}
			o.root = xmlspan.Element{Prefix: string(prefix), Local: string(local), Start: int64(pos), Line: line}
			if !o.rootAttrs(attrBuf) {
				return nil, false
			}
		case 1:
			child = xmlspan.Element{Prefix: string(prefix), Local: string(local), Start: int64(pos), Line: line}
			if len(prefix) > 0 && string(local) == "commandline" {
				return nil, false // maybe <qemu:commandline>: namespaces are the full parser's
			}
			features = string(local) == "features"
		case 2:
			if features && string(local) == "acpi" {
				o.acpi = true
			}
		}
		advance(pos + gt + 1)
		if depth+1 > maxScanDepth {
			return nil, false
		}
		if self {
			switch depth {
			case 1:
				if child.Prefix == "" && (child.Local == "name" || child.Local == "uuid" || child.Local == "genid") {
					o.setText(child.Local, nil)
				}
				child.End = int64(pos)
				child.SelfClosing = true
				o.children = append(o.children, child)
			case 0:
				return nil, false // an empty root
			}
			continue
		}
		stack = append(stack, tag[:n])
		if depth == 1 && child.Prefix == "" && (child.Local == "name" || child.Local == "uuid" || child.Local == "genid") {
			textOf, textFrom = child.Local, pos
		}
	}
	if roots != 1 || len(stack) != 0 {
		return nil, false
	}
	if o.root.Prefix != "" || o.root.Local != "domain" {
		return nil, false // the full parsers report it
	}
	return o, true
}

// setText records the text of a depth-1 <name>, <uuid> or <genid>, which
// holds nothing but text, with line ends normalised as XML does.
func (o *outline) setText(which string, raw []byte) {
	text := normalizeNewlines(string(raw))
	switch which {
	case "name":
		o.name = strings.TrimSpace(text)
	case "uuid":
		o.uuid = strings.TrimSpace(text)
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
func (o *outline) rootAttrs(attrs []xmlspan.Attr) bool {
	found := false
	for i, a := range attrs {
		for _, b := range attrs[:i] {
			if bytes.Equal(a.Name, b.Name) {
				return false
			}
		}
		if _, local, _ := xmlspan.SplitName(a.Name); string(local) == "type" && !found {
			o.typ, found = normalizeNewlines(string(a.Value)), true
		}
	}
	return true
}

// nameEnd returns the length of the name at the start of b.
func nameEnd(b []byte) int {
	for i, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '=' || c == '/' {
			return i
		}
	}
	return len(b)
}

// simplePI accepts a processing instruction with a plain target; the XML
// declaration only at the start of the document, as version 1.0, with no
// encoding or UTF-8, and optionally standalone.
func simplePI(pi []byte, atStart bool) bool {
	n := nameEnd(pi)
	target := pi[:n]
	if !xmlspan.SimpleName(target) {
		return false
	}
	if !strings.EqualFold(string(target), "xml") {
		return len(pi) == n || pi[n] == ' ' || pi[n] == '\t' || pi[n] == '\r' || pi[n] == '\n'
	}
	if string(target) != "xml" || !atStart {
		return false
	}
	attrs, ok := xmlspan.PlainAttrs(pi[n:], nil)
	if !ok || len(attrs) == 0 || string(attrs[0].Name) != "version" || string(attrs[0].Value) != "1.0" {
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

func isBlank(b []byte) bool { return len(bytes.TrimLeft(b, " \t\r\n")) == 0 }

// normalizeNewlines turns CRLF and lone CR into LF, as XML parsers do.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
