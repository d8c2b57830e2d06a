package hyperv

import (
	"bytes"
	"strings"

	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

// wantedPaths are the elements the resolver reads; the fast scanner keeps
// only these and their ancestors.
var wantedPaths = [][]string{
	{"configuration", "properties", "name"},
	{"configuration", "properties", "global_id"},
	{"configuration", "properties", "version"},
	{"configuration", "properties", "subtype"},
	{"configuration", "global_settings", "devices", "generation_id"},
}

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

// scanXML builds the part of the tree the resolver needs, quickly. It checks
// that tags nest and match, but gives up (ok = false) on anything it does
// not handle simply (DOCTYPE, CDATA, entities in kept text, unquoted
// attributes, malformed tags); the caller then uses the full parser, which
// also reports errors with their line.
func scanXML(text []byte) (t xmlTree, ok bool) {
	if !xmlspan.PlainASCII(text) { // the full parser checks the rest
		return t, false
	}
	var (
		path  [][]byte   // open elements' names, as slices of text
		nodes []*xmlNode // parallel to path; nil when the element is not kept
		top   *xmlNode
		i     = 0
		// Lines are counted only up to the kept elements, when one is made;
		// an element's line is the line its start tag ends on, as the full
		// parser reports it.
		line, counted = 1, 0
	)
	lineAt := func(pos int) int {
		line += bytes.Count(text[counted:pos], []byte{'\n'})
		counted = pos
		return line
	}
	for i < len(text) {
		lt := bytes.IndexByte(text[i:], '<')
		if lt < 0 {
			if len(bytes.TrimSpace(text[i:])) > 0 {
				return t, false
			}
			break
		}
		chunk := text[i : i+lt]
		if n := nodes; len(n) > 0 && n[len(n)-1] != nil {
			if bytes.IndexByte(chunk, '&') >= 0 {
				return t, false // entities: leave them to the full parser
			}
			n[len(n)-1].text.Write(chunk)
		} else if len(path) == 0 && len(bytes.TrimSpace(chunk)) > 0 {
			return t, false
		}
		i += lt
		rest := text[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return t, false
			}
			i += 4 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest[2:], []byte("?>"))
			if end < 0 {
				return t, false
			}
			end += 2
			if !simplePI(rest[2:end], len(path) == 0 && top == nil) {
				return t, false
			}
			i += end + 2
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			return t, false
		}
		gt := bytes.IndexByte(rest, '>')
		if gt < 0 {
			return t, false
		}
		tag := rest[1:gt]
		i += gt + 1
		if len(tag) > 0 && tag[0] == '/' { // end tag
			name := trimSpaceRight(tag[1:])
			if len(path) == 0 || !bytes.Equal(path[len(path)-1], name) {
				return t, false
			}
			path, nodes = path[:len(path)-1], nodes[:len(nodes)-1]
			continue
		}
		self := len(tag) > 0 && tag[len(tag)-1] == '/'
		if self {
			tag = tag[:len(tag)-1]
		}
		name, attrs := tag, []byte(nil)
		for j, c := range tag {
			if isSpace(c) {
				name, attrs = tag[:j], tag[j:]
				break
			}
		}
		if !xmlspan.SimpleName(name) {
			return t, false
		}
		if len(path) == 0 && top != nil {
			return t, false // a second root
		}
		typ, ok := typeAttr(attrs)
		if !ok {
			return t, false
		}
		path = append(path, name)
		var n *xmlNode
		switch {
		case len(path) == 1:
			top = &xmlNode{name: string(name), line: lineAt(i)}
			if wanted(path) {
				top.typ = string(typ)
			}
			n = top
		case nodes[len(nodes)-1] != nil && wanted(path):
			n = &xmlNode{name: string(name), line: lineAt(i), typ: string(typ)}
			p := nodes[len(nodes)-1]
			p.children = append(p.children, n)
		}
		nodes = append(nodes, n)
		if len(path) > maxXMLDepth {
			return t, false
		}
		if self {
			path, nodes = path[:len(path)-1], nodes[:len(nodes)-1]
		}
	}
	if top == nil || len(path) != 0 {
		return t, false
	}
	return xmlTree{top}, true
}

// typeAttr checks the attributes that follow a tag's name and returns the
// value of the last one whose local name is type, as the full parser takes
// it.
func typeAttr(attrs []byte) ([]byte, bool) {
	var buf [4]xmlspan.Attr
	as, ok := xmlspan.PlainAttrs(attrs, buf[:0])
	if !ok {
		return nil, false
	}
	var typ []byte
	for _, a := range as {
		if _, local, _ := xmlspan.SplitName(a.Name); string(local) == "type" {
			typ = a.Value
		}
	}
	return typ, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimSpaceRight(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// simplePI accepts a processing instruction the full parser would: a plain
// target, and for the XML declaration (only before the root) version 1.0
// and an encoding the reader decodes.
func simplePI(pi []byte, beforeRoot bool) bool {
	target, _, _ := bytes.Cut(pi, []byte(" "))
	if !xmlspan.SimpleName(target) {
		return false
	}
	if !strings.EqualFold(string(target), "xml") {
		return true
	}
	if string(target) != "xml" || !beforeRoot {
		return false
	}
	as, ok := xmlspan.PlainAttrs(pi[len(target):], nil)
	if !ok {
		return false
	}
	attrs := map[string]string{}
	for _, a := range as {
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
