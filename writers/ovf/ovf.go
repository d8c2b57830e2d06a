// Package ovf writes a generation ID into an OVF descriptor, for a deploy
// to vSphere (a move back to VMware) and for planning an import: vm.genid
// and vm.genidX as vmw:ExtraConfig elements of the VirtualHardwareSection,
// in VMware's convention (signed decimal, low half first), byte for byte:
// nothing else in the descriptor changes. A manifest (.mf) that lists the
// descriptor's digest is updated to match ([Manifest]).
package ovf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/ascii"
)

// The namespaces involved.
const (
	envelopeNS = "http://schemas.dmtf.org/ovf/envelope/1"
	vmwareNS   = "http://www.vmware.com/schema/ovf"
)

// An Edit describes the change [SetGenID] made: the bytes [Start, OldEnd)
// of the input became [Start, NewEnd) of the output.
type Edit struct {
	Inserted bool // an element was absent and was inserted
	Line     int  // line of vm.genid's element in the output
	Start    int64
	OldEnd   int64
	NewEnd   int64
}

// element is a start tag met in the descriptor.
type element struct {
	start, end int64             // the tag's bytes
	line       int               // its line
	ns         map[string]string // prefixes in scope inside it
}

// a change is one splice of the document.
type change struct {
	at, end int64
	text    string
}

// SetGenID returns the descriptor with vm.genid and vm.genidX set to id:
// existing vmw:ExtraConfig elements get the new value in their vmw:value
// attribute; missing ones are added after the other key's element, or
// after the section's last element, each on a line of its own indented
// like it, with namespace declarations of their own where the document
// binds no prefix to VMware's or the envelope's namespace. A key set twice
// is refused.
func SetGenID(doc []byte, id genid.ID) ([]byte, Edit, error) {
	g, x := id.VMX()
	values := [2]string{strconv.FormatInt(g, 10), strconv.FormatInt(x, 10)}
	keys := [2]string{"vm.genid", "vm.genidX"}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var (
		stack        []element
		found        [2]*element
		sectionDepth = -1 // where the open VirtualHardwareSection is in stack
		sections     int
		last         *element // the section's last child element
		lastEnd      int64    // where it ends
		line         = 1
		lineOff      int64
	)
	lineAt := func(off int64) int {
		line += bytes.Count(doc[lineOff:off], []byte{'\n'})
		lineOff = off
		return line
	}
	for {
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, Edit{}, fmt.Errorf("not a well-formed descriptor: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := element{start: start, end: d.InputOffset(), line: lineAt(start), ns: map[string]string{}}
			if len(stack) > 0 {
				for p, u := range stack[len(stack)-1].ns {
					e.ns[p] = u
				}
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					e.ns[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					e.ns[""] = a.Value
				}
			}
			child := sectionDepth >= 0 && len(stack) == sectionDepth+1
			switch {
			case t.Name.Local == "VirtualHardwareSection" && e.ns[t.Name.Space] == envelopeNS:
				sections++
				sectionDepth = len(stack)
			case child && t.Name.Local == "ExtraConfig" && e.ns[t.Name.Space] == vmwareNS:
				for _, a := range t.Attr {
					if a.Name.Local != "key" || e.ns[a.Name.Space] != vmwareNS {
						continue
					}
					for i, k := range keys {
						if ascii.EqualFold(a.Value, k) {
							if found[i] != nil {
								return nil, Edit{}, fmt.Errorf("line %d: %s is set twice (line %d too): which one a deploy uses is not certain; remove one", e.line, k, found[i].line)
							}
							c := e
							found[i] = &c
						}
					}
				}
			}
			if child {
				c := e
				last = &c
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch {
			case sectionDepth >= 0 && len(stack) == sectionDepth+1:
				lastEnd = d.InputOffset()
			case len(stack) == sectionDepth:
				sectionDepth = -1
			}
		}
	}
	switch {
	case sections == 0:
		return nil, Edit{}, errors.New("the descriptor has no VirtualHardwareSection to hold vmw:ExtraConfig")
	case sections > 1:
		return nil, Edit{}, fmt.Errorf("the descriptor has %d VirtualHardwareSections (a vApp); edit one VM's descriptor", sections)
	}
	var changes []change
	for i := range found {
		if found[i] == nil {
			continue
		}
		vs, ve, ok := valueSpan(doc[found[i].start:found[i].end], found[i].ns)
		if !ok {
			return nil, Edit{}, fmt.Errorf("line %d: the %s element has no vmw:value to set", found[i].line, keys[i])
		}
		changes = append(changes, change{found[i].start + vs, found[i].start + ve, values[i]})
	}
	inserted := false
	if found[0] == nil || found[1] == nil {
		var after *element
		var at int64
		switch {
		case found[0] != nil:
			after, at = found[0], found[0].end
		case found[1] != nil:
			after, at = found[1], found[1].end
		case last != nil:
			after, at = last, lastEnd
		default:
			return nil, Edit{}, errors.New("the VirtualHardwareSection holds no element to add vmw:ExtraConfig after")
		}
		ls := int64(bytes.LastIndexByte(doc[:after.start], '\n') + 1)
		indent := doc[ls:after.start]
		if len(bytes.Trim(indent, " \t")) != 0 {
			indent = nil
		}
		nl := "\n"
		if i := bytes.IndexByte(doc[after.start:], '\n'); i > 0 && doc[after.start+int64(i)-1] == '\r' {
			nl = "\r\n"
		}
		var text strings.Builder
		for i := range found {
			if found[i] == nil {
				text.WriteString(nl + string(indent) + extraConfig(after.ns, keys[i], values[i]))
			}
		}
		changes = append(changes, change{at, at, text.String()})
		inserted = true
	}
	// Apply the splices in order; the edit's span covers them all.
	sortChanges(changes)
	var out []byte
	prev := int64(0)
	for _, c := range changes {
		out = append(out, doc[prev:c.at]...)
		out = append(out, c.text...)
		prev = c.end
	}
	newEnd := int64(len(out))
	out = append(out, doc[prev:]...)
	e := Edit{Inserted: inserted, Start: changes[0].at, OldEnd: changes[len(changes)-1].end, NewEnd: newEnd}
	if found[0] != nil {
		e.Line = found[0].line
	} else {
		ins := changes[len(changes)-1]
		e.Line = bytes.Count(out[:ins.at], []byte{'\n'}) + 2
	}
	return out, e, nil
}

func sortChanges(c []change) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j].at < c[j-1].at; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
}

// extraConfig writes one element, with the prefixes in scope, declaring
// its own where none is bound.
func extraConfig(ns map[string]string, key, value string) string {
	vmw, ovf, decl := prefixFor(ns, vmwareNS), prefixFor(ns, envelopeNS), ""
	if vmw == "" {
		vmw, decl = "vmw", ` xmlns:vmw="`+vmwareNS+`"`
	}
	if ovf == "" {
		ovf, decl = "ovf", decl+` xmlns:ovf="`+envelopeNS+`"`
	}
	return "<" + vmw + ":ExtraConfig" + decl + " " + ovf + `:required="false" ` + vmw + `:key="` + key + `" ` + vmw + `:value="` + value + `"/>`
}

// prefixFor returns a non-empty prefix bound to uri, "" if none is.
func prefixFor(ns map[string]string, uri string) string {
	best := ""
	for p, u := range ns {
		if u == uri && p != "" && (best == "" || p < best) {
			best = p
		}
	}
	return best
}

// valueSpan finds the vmw:value attribute's value in a start tag.
func valueSpan(tag []byte, ns map[string]string) (int64, int64, bool) {
	i := 1
	for i < len(tag) && !isSpace(tag[i]) && tag[i] != '/' && tag[i] != '>' {
		i++
	}
	for {
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] == '/' || tag[i] == '>' {
			return 0, 0, false
		}
		n := i
		for i < len(tag) && !isSpace(tag[i]) && tag[i] != '=' {
			i++
		}
		name := string(tag[n:i])
		for i < len(tag) && (isSpace(tag[i]) || tag[i] == '=') {
			i++
		}
		if i >= len(tag) {
			return 0, 0, false
		}
		q := tag[i]
		end := bytes.IndexByte(tag[i+1:], q)
		if end < 0 {
			return 0, 0, false
		}
		vs, ve := int64(i+1), int64(i+1+end)
		i = int(ve) + 1
		if p, local, ok := strings.Cut(name, ":"); ok && local == "value" && ns[p] == vmwareNS {
			return vs, ve, true
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
