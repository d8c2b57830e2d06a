package xmlscan

import (
	"bytes"
	"encoding/binary"
)

// PlainASCII reports whether b holds only printable ASCII, tab, LF and CR:
// text whose bytes are its characters and that XML allows everywhere.
func PlainASCII(b []byte) bool {
	const (
		high  = 0x8080808080808080
		ones  = 0x0101010101010101
		space = 0x2020202020202020
	)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&high != 0 {
			return false
		}
		// A byte below 0x20 sets its high bit in (w-space)&^w, and 0x7f
		// sets it in w+ones; only then are the eight bytes looked at one
		// by one, exactly.
		if ((w-space)&^w|(w+ones))&high != 0 && !plainBytes(b[i:i+8]) {
			return false
		}
	}
	return plainBytes(b[i:])
}

func plainBytes(b []byte) bool {
	for _, c := range b {
		if c >= 0x7f || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// SimpleName reports whether b is an XML name of the plain ASCII kind: a
// letter or '_', then letters, digits, '_', '-' or '.'.
func SimpleName(b []byte) bool {
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

// SplitName splits a plain name into its prefix and local part: a
// [SimpleName], or two joined by one ':'.
func SplitName(b []byte) (prefix, local []byte, ok bool) {
	for i, c := range b {
		if c == ':' {
			p, l := b[:i], b[i+1:]
			return p, l, SimpleName(p) && SimpleName(l)
		}
	}
	return nil, b, SimpleName(b)
}

// Byte classes of names, for scanName.
const (
	badByte   = iota // not in a plain name
	startByte        // a letter or '_': may start a name or a part
	nameByte         // a digit, '-' or '.': only after the first
	colonByte        // ':' between prefix and local part
	endByte          // white space or '=': ends the name
	slashByte        // '/': ends a tag's name (<name/>), not an attribute's
)

var nameClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = startByte, startByte
	}
	t['_'] = startByte
	for c := '0'; c <= '9'; c++ {
		t[c] = nameByte
	}
	t['-'], t['.'] = nameByte, nameByte
	t[':'] = colonByte
	t[' '], t['\t'], t['\r'], t['\n'], t['='] = endByte, endByte, endByte, endByte, endByte
	t['/'] = slashByte
	return t
}()

// scanName reads the name at the start of b in one pass: its length (up to
// white space, '=', or, for a tag's name, '/') and its split, ok when it
// is a plain name as [SplitName] takes it.
func scanName(b []byte, tag bool) (n int, prefix, local []byte, ok bool) {
	colon := -1
	atStart := true // at the first byte of the name or of its local part
loop:
	for ; n < len(b); n++ {
		switch nameClass[b[n]] {
		case startByte:
			atStart = false
		case nameByte:
			if atStart {
				return n, nil, nil, false
			}
		case colonByte:
			if colon >= 0 || atStart {
				return n, nil, nil, false
			}
			colon, atStart = n, true
		case endByte:
			break loop
		case slashByte:
			if tag {
				break loop
			}
			return n, nil, nil, false
		default:
			return n, nil, nil, false
		}
	}
	if atStart {
		return n, nil, nil, false // empty, or nothing after ':'
	}
	if colon >= 0 {
		return n, b[:colon], b[colon+1 : n], true
	}
	return n, nil, b[:n], true
}

// An Attr is an attribute of a plain tag, as written.
type Attr struct{ Name, Value []byte }

// PlainAttrs reads the attributes that follow a tag's name (or a processing
// instruction's target) and appends them to out: each preceded by white
// space, a plain name ([SplitName]), '=' with optional white space around
// it, and a value in single or double quotes holding no '<' or '&'; then
// only white space. Anything else gives ok = false, for a full parser.
func PlainAttrs(b []byte, out []Attr) (attrs []Attr, ok bool) {
	for {
		t := trimSpaceLeft(b)
		if len(t) == 0 {
			return out, true
		}
		if len(t) == len(b) {
			return nil, false // no white space before the attribute
		}
		n, _, _, ok := scanName(t, false)
		if !ok {
			return nil, false
		}
		name := t[:n]
		t = trimSpaceLeft(t[n:])
		if len(t) == 0 || t[0] != '=' {
			return nil, false
		}
		t = trimSpaceLeft(t[1:])
		if len(t) == 0 || t[0] != '\'' && t[0] != '"' {
			return nil, false
		}
		end := bytes.IndexByte(t[1:], t[0])
		if end < 0 {
			return nil, false
		}
		value := t[1 : 1+end]
		for _, c := range value { // values are short: one loop for both
			if c == '<' || c == '&' {
				return nil, false
			}
		}
		out = append(out, Attr{name, value})
		b = t[2+end:]
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}
