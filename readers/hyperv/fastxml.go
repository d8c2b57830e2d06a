package hyperv

import (
	"bytes"
	"strings"
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

func wanted(path []string) bool {
	for _, w := range wantedPaths {
		if len(path) <= len(w) {
			match := true
			for i := range path {
				if path[i] != w[i] {
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
	for _, c := range text { // plain ASCII only; the full parser checks the rest
		if c >= 0x7f || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return t, false
		}
	}
	var (
		path  []string
		nodes []*xmlNode // parallel to path; nil when the element is not kept
		top   *xmlNode
		line  = 1
		i     = 0
	)
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
		line += bytes.Count(chunk, []byte{'\n'})
		i += lt
		rest := text[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return t, false
			}
			line += bytes.Count(rest[:4+end+3], []byte{'\n'})
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
			line += bytes.Count(rest[:end], []byte{'\n'})
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
		tagLine := line
		line += bytes.Count(tag, []byte{'\n'})
		i += gt + 1
		if len(tag) > 0 && tag[0] == '/' { // end tag
			name := string(bytes.TrimRight(tag[1:], " \t\r\n"))
			if len(path) == 0 || path[len(path)-1] != name {
				return t, false
			}
			path, nodes = path[:len(path)-1], nodes[:len(nodes)-1]
			continue
		}
		self := len(tag) > 0 && tag[len(tag)-1] == '/'
		if self {
			tag = tag[:len(tag)-1]
		}
		name, attrs, found := bytes.Cut(tag, []byte(" "))
		if !found {
			name, attrs, _ = bytes.Cut(tag, []byte("\t"))
		}
		if !simpleName(name) {
			return t, false
		}
		if len(path) == 0 && top != nil {
			return t, false // a second root
		}
		typ, ok := typeAttr(attrs)
		if !ok {
			return t, false
		}
		path = append(path, string(name))
		var n *xmlNode
		if wanted(path) {
			n = &xmlNode{name: path[len(path)-1], line: tagLine, typ: typ}
			if len(path) == 1 {
				top = n
			} else if p := nodes[len(nodes)-1]; p != nil {
				p.children = append(p.children, n)
			}
		} else if len(path) == 1 {
			top = &xmlNode{name: path[0], line: tagLine}
			n = top
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

// typeAttr returns the value of a type="…" attribute among attrs.
func typeAttr(attrs []byte) (string, bool) {
	typ := ""
	s := strings.TrimSpace(string(attrs))
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return "", false
		}
		key := strings.TrimSpace(s[:eq])
		if !simpleName([]byte(key)) {
			return "", false
		}
		rest := strings.TrimLeft(s[eq+1:], " \t\r\n")
		if rest == "" || rest[0] != '"' && rest[0] != '\'' {
			return "", false
		}
		end := strings.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return "", false
		}
		val := rest[1 : 1+end]
		if strings.ContainsAny(val, "&<") {
			return "", false
		}
		after := rest[2+end:]
		if after != "" && !strings.ContainsAny(after[:1], " \t\r\n") {
			return "", false // no space after the value
		}
		if key == "type" {
			typ = val
		}
		s = strings.TrimLeft(after, " \t\r\n")
	}
	return typ, true
}

// simpleName reports whether b is an XML name of the plain ASCII kind Hyper-V
// writes: a letter or '_', then letters, digits, '_', '-' or '.'.
func simpleName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case i > 0 && ('0' <= c && c <= '9' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// simplePI accepts a processing instruction the full parser would: a plain
// target, and for the XML declaration (only before the root) version 1.0
// and an encoding the reader decodes.
func simplePI(pi []byte, beforeRoot bool) bool {
	target, rest, _ := bytes.Cut(pi, []byte(" "))
	if !simpleName(target) {
		return false
	}
	if !strings.EqualFold(string(target), "xml") {
		return true
	}
	if string(target) != "xml" || !beforeRoot {
		return false
	}
	attrs := map[string]string{}
	s := strings.TrimSpace(string(rest))
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return false
		}
		key := strings.TrimSpace(s[:eq])
		v := strings.TrimLeft(s[eq+1:], " ")
		if v == "" || v[0] != '"' && v[0] != '\'' {
			return false
		}
		end := strings.IndexByte(v[1:], v[0])
		if end < 0 {
			return false
		}
		attrs[key] = v[1 : 1+end]
		s = strings.TrimLeft(v[2+end:], " ")
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
