package hyperv

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

const maxXMLDepth = 256

// xmlNode is one element of a Hyper-V XML configuration.
type xmlNode struct {
	name     string
	typ      string // the type attribute: string, integer, bool, bytes; "" for nodes
	text     strings.Builder
	line     int
	children []*xmlNode
}

type xmlTree struct{ top *xmlNode }

func (t xmlTree) root() string { return t.top.name }

func (t xmlTree) lookup(path string) []leaf {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 0 || parts[0] != t.top.name {
		return nil
	}
	nodes := []*xmlNode{t.top}
	for _, p := range parts[1:] {
		var next []*xmlNode
		for _, n := range nodes {
			for _, c := range n.children {
				if c.name == p {
					next = append(next, c)
				}
			}
		}
		nodes = next
	}
	var out []leaf
	for _, n := range nodes {
		out = append(out, xmlLeaf{n})
	}
	return out
}

type xmlLeaf struct{ n *xmlNode }

func (l xmlLeaf) str() (string, error) {
	if l.n.typ != "string" {
		return "", l.wrongType()
	}
	return l.n.text.String(), nil
}

func (l xmlLeaf) wrongType() error {
	t := l.n.typ
	if t == "" {
		t = "node"
	}
	return fmt.Errorf("<%s> has type %q, want \"string\"", l.n.name, t)
}

func (l xmlLeaf) integer() (int64, bool) {
	if l.n.typ != "integer" {
		return 0, false
	}
	return atoi(l.n.text.String())
}

func (l xmlLeaf) pos() (int, int64) { return l.n.line, 0 }

// parseXML builds the element tree of UTF-8 text.
func parseXML(text []byte) (xmlTree, error) {
	// The text is already UTF-8 (DecodeText), whatever the declaration says.
	d := xmlspan.NewDecoder(text, "utf-16", "utf-16le", "utf-16be", "unicode", "utf-8", "us-ascii")
	var stack []*xmlNode
	var top *xmlNode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, msg := xmlspan.ErrorAt(d, err)
			return xmlTree{}, &genid.InputError{Line: line, Err: fmt.Errorf("XML syntax error: %s", msg)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := d.InputPos()
			n := &xmlNode{name: t.Name.Local, line: line}
			for _, a := range t.Attr {
				if a.Name.Local == "type" {
					n.typ = a.Value
				}
			}
			if len(stack) == 0 {
				if top != nil {
					return xmlTree{}, &genid.InputError{Line: line, Err: errors.New("more than one root element")}
				}
				top = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			if len(stack) >= maxXMLDepth {
				return xmlTree{}, &genid.InputError{Line: line, Err: fmt.Errorf("elements nested deeper than %d", maxXMLDepth)}
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if top == nil {
		return xmlTree{}, &genid.InputError{Line: 1, Err: errors.New("no root element")}
	}
	return xmlTree{top}, nil
}

// An Entry is one element of an XML configuration, for listing.
type Entry struct {
	Path  string // key names from the root, joined with "/"
	Type  string // the type attribute; "node" for elements without one
	Value string // the text, white space trimmed; "" for nodes
	Line  int
}

// WalkXML lists every element of an XML configuration in document order.
func WalkXML(r io.Reader) ([]Entry, error) {
	b, err := bounded.ReadAll(r, bounded.MaxFileSize, 0, "a Hyper-V configuration")
	if err != nil {
		return nil, err
	}
	text, err := DecodeText(b)
	if err != nil {
		return nil, &genid.InputError{Err: err}
	}
	t, err := parseXML(text)
	if err != nil {
		return nil, err
	}
	var out []Entry
	var walk func(n *xmlNode, prefix string)
	walk = func(n *xmlNode, prefix string) {
		e := Entry{Path: strings.TrimPrefix(prefix+"/"+n.name, "/"), Type: n.typ, Line: n.line}
		if e.Type == "" {
			e.Type = "node"
		} else {
			e.Value = strings.TrimSpace(n.text.String())
		}
		out = append(out, e)
		for _, c := range n.children {
			walk(c, e.Path)
		}
	}
	walk(t.top, "")
	return out, nil
}
