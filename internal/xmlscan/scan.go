// Package xmlscan reads the plain subset of XML that hypervisors and the
// tools around them write (printable ASCII, plain names and attributes,
// comments, processing instructions, the predefined entities and
// character references) one token at a time, in one pass and without
// allocating per token. Anything outside the subset (CDATA, a DOCTYPE,
// non-ASCII bytes, an unknown entity) makes the [Scanner] give up, and the
// caller uses a full parser, which also reports errors with their line.
// The readers' fast paths are filters over this one tokenizer; each keeps
// a differential fuzz test against its full parser.
package xmlscan

import (
	"bytes"
	"unicode/utf8"
)

// Kind is the kind of a token.
type Kind uint8

// The kinds of tokens.
const (
	StartElement Kind = iota + 1 // <name attr='v'> or <name/>
	EndElement                   // </name>, or the end of <name/>
	CharData                     // text between tags (references not decoded)
	Comment                      // <!-- … -->
	ProcInst                     // <?target …?>
)

// A Token is one piece of the document. Its slices point into the
// document, and Attrs into a buffer the next call reuses.
type Token struct {
	Kind        Kind
	Prefix      []byte // StartElement, EndElement: the name's prefix, nil if none
	Local       []byte // StartElement, EndElement: the local name; ProcInst: the target
	Attrs       []Attr // StartElement, ProcInst: the attributes (pseudo-attributes), as written
	PlainAttrs  bool   // ProcInst: its body read as plain attributes (an XML declaration must)
	SelfClosing bool   // StartElement written as <name/>; an EndElement follows at once
	Data        []byte // CharData: the text; Comment: the body; ProcInst: what follows the target
	Start, End  int    // the token's bytes are doc[Start:End]
	Depth       int    // elements open around the token, the token's own included for Start/EndElement
}

// A Scanner reads tokens from a document.
type Scanner struct {
	doc      []byte
	pos      int
	maxDepth int
	stack    [][]byte // open elements' names as written
	roots    int
	selfEnd  bool // the last token was a self-closing StartElement: its EndElement is next
	attrs    []Attr
	failed   bool

	// Lines are counted lazily, forward from the last position asked.
	linePos, line int
}

// New returns a scanner of doc that gives up past maxDepth nested
// elements, or at once if doc is not printable ASCII (with tab, LF, CR).
func New(doc []byte, maxDepth int) *Scanner {
	return &Scanner{doc: doc, maxDepth: maxDepth, failed: !PlainASCII(doc), line: 1}
}

// Next returns the next token. ok is false at the end of the document or
// when the scanner gives up; [Scanner.Complete] tells which.
func (s *Scanner) Next() (tok Token, ok bool) {
	ok = s.Scan(&tok)
	return tok, ok
}

// Scan is [Scanner.Next] into *tok: a loop that reuses one Token neither
// copies nor clears it per token. Scan sets the fields the token's kind
// uses (see [Token]); the others keep what an earlier token left.
func (s *Scanner) Scan(tok *Token) bool {
	if s.failed {
		return false
	}
	if s.selfEnd { // the end of <name/>
		s.selfEnd = false
		name := s.stack[len(s.stack)-1]
		depth := len(s.stack)
		s.stack = s.stack[:len(s.stack)-1]
		prefix, local := splitChecked(name)
		tok.Kind, tok.Prefix, tok.Local, tok.Start, tok.End, tok.Depth = EndElement, prefix, local, s.pos, s.pos, depth
		return true
	}
	if s.pos >= len(s.doc) {
		return false
	}
	rest := s.doc[s.pos:]
	if rest[0] != '<' {
		lt := bytes.IndexByte(rest, '<')
		if lt < 0 {
			lt = len(rest)
		}
		text := rest[:lt]
		if len(s.stack) == 0 {
			if !isBlank(text) {
				return s.fail() // text outside the root
			}
		} else if !plainText(text) {
			return s.fail()
		}
		tok.Kind, tok.Data, tok.Start, tok.End, tok.Depth = CharData, text, s.pos, s.pos+lt, len(s.stack)
		s.pos += lt
		return true
	}
	start := s.pos
	var second byte // what follows '<' tells the kind of markup
	if len(rest) > 1 {
		second = rest[1]
	}
	switch {
	case second == '!' && bytes.HasPrefix(rest, []byte("<!--")):
		end := bytes.Index(rest[4:], []byte("-->"))
		if end < 0 {
			return s.fail()
		}
		body := rest[4 : 4+end]
		if bytes.Contains(body, []byte("--")) || bytes.HasSuffix(body, []byte("-")) {
			return s.fail()
		}
		s.pos += 4 + end + 3
		tok.Kind, tok.Data, tok.Start, tok.End, tok.Depth = Comment, body, start, s.pos, len(s.stack)
		return true
	case second == '?':
		end := bytes.Index(rest[2:], []byte("?>"))
		if end < 0 {
			return s.fail()
		}
		pi := rest[2 : 2+end]
		n := nameEnd(pi)
		target := pi[:n]
		if !SimpleName(target) || n < len(pi) && !isSpace(pi[n]) {
			return s.fail()
		}
		attrs, ok := PlainAttrs(pi[n:], s.attrs[:0])
		s.attrs = attrs
		s.pos += 2 + end + 2
		tok.Kind, tok.Local, tok.Data, tok.Start, tok.End, tok.Depth, tok.PlainAttrs, tok.Attrs = ProcInst, target, pi[n:], start, s.pos, len(s.stack), ok, nil
		if ok {
			tok.Attrs = attrs
		}
		return true
	case second == '!':
		return s.fail() // DOCTYPE, CDATA
	case second == '/':
		gt := bytes.IndexByte(rest, '>')
		if gt < 0 || len(s.stack) == 0 {
			return s.fail()
		}
		name := trimSpaceRight(rest[2:gt])
		if !bytes.Equal(name, s.stack[len(s.stack)-1]) {
			return s.fail()
		}
		depth := len(s.stack)
		s.stack = s.stack[:len(s.stack)-1]
		s.pos += gt + 1
		prefix, local := splitChecked(name)
		tok.Kind, tok.Prefix, tok.Local, tok.Start, tok.End, tok.Depth = EndElement, prefix, local, start, s.pos, depth
		return true
	}
	// A start tag.
	gt := bytes.IndexByte(rest, '>')
	if gt < 0 {
		return s.fail()
	}
	tag := rest[1:gt]
	self := len(tag) > 0 && tag[len(tag)-1] == '/'
	if self {
		tag = tag[:len(tag)-1]
	}
	n, prefix, local, ok := scanName(tag, true)
	if !ok {
		return s.fail()
	}
	attrs, ok := PlainAttrs(tag[n:], s.attrs[:0])
	if !ok {
		return s.fail()
	}
	s.attrs = attrs
	if len(s.stack) == 0 {
		if s.roots++; s.roots > 1 {
			return s.fail()
		}
	}
	if len(s.stack)+1 > s.maxDepth {
		return s.fail()
	}
	s.stack = append(s.stack, tag[:n])
	s.pos += gt + 1
	s.selfEnd = self
	tok.Kind, tok.Prefix, tok.Local, tok.Attrs, tok.SelfClosing, tok.Start, tok.End, tok.Depth = StartElement, prefix, local, attrs, self, start, s.pos, len(s.stack)
	return true
}

// splitChecked splits a name already checked by SplitName (an open
// element's) into its prefix and local part.
func splitChecked(name []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return nil, name
}

func (s *Scanner) fail() bool {
	s.failed = true
	return false
}

// Complete reports whether the scanner read the whole document as one
// well-formed root element: Next returned false at the end, not because
// it gave up.
func (s *Scanner) Complete() bool {
	return !s.failed && s.pos >= len(s.doc) && !s.selfEnd && len(s.stack) == 0 && s.roots == 1
}

// Line returns the 1-based line of the byte at pos. Lines are counted
// forward from the position last asked, so asking in document order costs
// one pass over the document in all.
func (s *Scanner) Line(pos int) int {
	pos = min(max(pos, 0), len(s.doc))
	if pos < s.linePos {
		s.linePos, s.line = 0, 1
	}
	s.line += bytes.Count(s.doc[s.linePos:pos], []byte{'\n'})
	s.linePos = pos
	return s.line
}

// plainText reports whether character data is well formed: no "]]>", and
// every '&' starts one of the five predefined entity references or a
// character reference to a character XML allows. Text between tags is
// short and rarely holds either byte: one loop looks for both.
func plainText(b []byte) bool {
	for i, c := range b {
		if c == '&' || c == ']' {
			return plainTextFrom(b[i:])
		}
	}
	return true
}

// plainTextFrom is plainText from the first '&' or ']' on.
func plainTextFrom(b []byte) bool {
	if bytes.Contains(b, []byte("]]>")) {
		return false
	}
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return true
		}
		n := refLen(b[i:])
		if n == 0 {
			return false
		}
		b = b[i+n:]
	}
}

// refLen returns the length of the reference at the start of b, or 0 if
// it is not a predefined entity or a valid character reference.
func refLen(b []byte) int {
	semi := bytes.IndexByte(b, ';')
	if semi < 2 {
		return 0
	}
	name := b[1:semi]
	switch string(name) {
	case "lt", "gt", "amp", "apos", "quot":
		return semi + 1
	}
	r, ok := charRef(name)
	if !ok || !isXMLChar(r) {
		return 0
	}
	return semi + 1
}

// Unescape decodes the references in character data that [plainText]
// accepted, as an XML parser does; text without '&' is returned as it is.
func Unescape(b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		semi := bytes.IndexByte(b[i:], ';')
		name := b[i+1 : i+semi]
		switch string(name) {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "apos":
			out = append(out, '\'')
		case "quot":
			out = append(out, '"')
		default:
			r, _ := charRef(name)
			out = utf8.AppendRune(out, r)
		}
		b = b[i+semi+1:]
	}
}

// charRef reads "#123" or "#x1F" (as XML writes them: no sign, no space).
func charRef(name []byte) (rune, bool) {
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	var r int64
	for _, c := range digits {
		var d int64
		switch {
		case '0' <= c && c <= '9':
			d = int64(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = int64(c-'A') + 10
		default:
			return 0, false
		}
		r = r*int64(base) + d
	}
	if r > 0x10FFFF {
		return 0, false
	}
	return rune(r), true
}

// isXMLChar reports whether r is a character XML 1.0 allows.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
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

func isBlank(b []byte) bool { return len(trimSpaceLeft(b)) == 0 }

func trimSpaceRight(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
