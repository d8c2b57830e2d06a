package hyperv

import (
	"bytes"
	"strings"

	"github.com/genid-migrate/genid-migrate/internal/xmlscan"
)

// resolvedPaths are the keys the resolver reads (resolve); the fast XML
// scanner and the container reader keep only these and their ancestors.
var resolvedPaths = []string{
	"configuration/properties/name",
	"configuration/properties/global_id",
	"configuration/properties/version",
	"configuration/properties/subtype",
	GenerationIDPath,
}

// wantedPaths are resolvedPaths split into names.
var wantedPaths = func() [][]string {
	var out [][]string
	for _, p := range resolvedPaths {
		out = append(out, strings.Split(p, "/"))
	}
	return out
}()

// wanted reports whether the element at path, whose parent is kept, is
// kept too.
func wanted(path [][]byte) bool {
	for _, w := range wantedPaths {
		if len(path) <= len(w) && string(path[len(path)-1]) == w[len(path)-1] {
			match := true
			for i := range path[:len(path)-1] {
				if string(path[i]) != w[i] {
					match = false
					break
				}
			}
			if match {
				return true
			}
		}
	}
	return false
}

// scanXML builds the part of the tree the resolver needs, quickly: a
// filter over the shared tokenizer (package xmlscan), which checks that
// tags nest and match and gives up on anything outside plain XML. The
// filter gives up too on prefixed element names, references in text it
// keeps, and an XML declaration the full parser would not take; the
// caller then uses the full parser, which also reports errors with their
// line. For every document it accepts, the values read equal the full
// parser's (FuzzReadXML checks it).
func scanXML(text []byte) (t xmlTree, ok bool) {
	s := xmlscan.New(text, maxXMLDepth)
	var (
		path  [][]byte   // open elements' names, as slices of text
		nodes []*xmlNode // parallel to path; nil when the element is not kept
		top   *xmlNode
	)
	var tok xmlscan.Token
	for s.Scan(&tok) {
		switch tok.Kind {
		case xmlscan.CharData:
			if n := nodes; len(n) > 0 && n[len(n)-1] != nil {
				if bytes.IndexByte(tok.Data, '&') >= 0 {
					return t, false // references in kept text: the full parser decodes them
				}
				n[len(n)-1].text.Write(tok.Data)
			}
		case xmlscan.ProcInst:
			if !simplePI(tok, top == nil) {
				return t, false
			}
		case xmlscan.StartElement:
			if tok.Prefix != nil {
				return t, false
			}
			path = append(path, tok.Local)
			var n *xmlNode
			switch {
			case len(path) == 1:
				// An element's line is the line its start tag ends on, as
				// the full parser reports it.
				top = &xmlNode{name: string(tok.Local), line: s.Line(tok.End)}
				if wanted(path) {
					top.typ = string(typeAttr(tok.Attrs))
				}
				n = top
			case nodes[len(nodes)-1] != nil && wanted(path):
				n = &xmlNode{name: string(tok.Local), line: s.Line(tok.End), typ: string(typeAttr(tok.Attrs))}
				p := nodes[len(nodes)-1]
				p.children = append(p.children, n)
			}
			nodes = append(nodes, n)
		case xmlscan.EndElement:
			path, nodes = path[:len(path)-1], nodes[:len(nodes)-1]
		}
	}
	if !s.Complete() {
		return t, false
	}
	return xmlTree{top}, true
}

// typeAttr returns the value of the last attribute whose local name is
// type, as the full parser takes it.
func typeAttr(attrs []xmlscan.Attr) []byte {
	var typ []byte
	for _, a := range attrs {
		if _, local, _ := xmlscan.SplitName(a.Name); string(local) == "type" {
			typ = a.Value
		}
	}
	return typ
}

// simplePI accepts a processing instruction the full parser would: any
// but the XML declaration, and that only before the root, as version 1.0,
// in an encoding the reader decodes.
func simplePI(t xmlscan.Token, beforeRoot bool) bool {
	if !strings.EqualFold(string(t.Local), "xml") {
		return true
	}
	if string(t.Local) != "xml" || !beforeRoot || !t.PlainAttrs {
		return false
	}
	attrs := map[string]string{}
	for _, a := range t.Attrs {
		attrs[string(a.Name)] = string(a.Value)
	}
	if attrs["version"] != "1.0" {
		return false
	}
	switch strings.ToLower(attrs["encoding"]) {
	case "", "utf-16", "utf-16le", "utf-16be", "unicode", "utf-8", "us-ascii":
		return true
	}
	return false
}
