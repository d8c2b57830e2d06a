package source

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// spaces are the characters \s matches in regular expressions.
const spaces = " \t\n\f\r"

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// vmxLine matches /^[A-Za-z0-9_.:\[\]-]+\s*=\s*"/: a key, '=' and an
// opening quote.
func vmxLine(l string) bool {
	i := 0
	for i < len(l) && isVMXKeyByte(l[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	rest := strings.TrimLeft(l[i:], spaces)
	if rest == "" || rest[0] != '=' {
		return false
	}
	rest = strings.TrimLeft(rest[1:], spaces)
	return rest != "" && rest[0] == '"'
}

func isVMXKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '[' || c == ']' || c == '-'
}

// proxmoxLine matches /^([a-z][a-z_]*\d*:\s|\[[^\]]+\]\s*$)/: a key and a
// colon followed by white space, or a section header.
func proxmoxLine(l string) bool {
	if l == "" {
		return false
	}
	if l[0] == '[' {
		end := strings.IndexByte(l, ']')
		return end > 1 && strings.TrimLeft(l[end+1:], spaces) == ""
	}
	i := 0
	if l[i] < 'a' || l[i] > 'z' {
		return false
	}
	for i++; i < len(l) && ('a' <= l[i] && l[i] <= 'z' || l[i] == '_'); i++ {
	}
	for ; i < len(l) && '0' <= l[i] && l[i] <= '9'; i++ {
	}
	return i+1 < len(l) && l[i] == ':' && isSpace(l[i+1])
}

// vmcxSignature is the file header signature 0x01282014 of a Hyper-V .vmcx
// or .vmrs file, at offset 0 (header A) or 0x1000 (header B).
const vmcxSignature = 0x01282014

// Detect names the format of a file from its first bytes, or returns
// Unrecognized. It looks at content only, never at the file name.
func Detect(head []byte) Format {
	if len(head) >= 4 && binary.LittleEndian.Uint32(head) == vmcxSignature ||
		len(head) >= 0x1004 && binary.LittleEndian.Uint32(head[0x1000:]) == vmcxSignature {
		return HyperVVMCX
	}
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return HyperVXML // UTF-16 with a BOM: only Hyper-V writes such configurations
	}
	text := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if trimmed := bytes.TrimLeft(text, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '<' {
		switch xmlRoot(trimmed) {
		case "domain":
			return LibvirtXML
		case "configuration":
			return HyperVXML
		}
		return Unrecognized
	}
	if bytes.IndexByte(text, 0) >= 0 {
		if bytes.Contains(text, []byte("-device\x00")) || looksLikeQEMU(string(text[:bytes.IndexByte(text, 0)])) {
			return QEMU
		}
		return Unrecognized
	}
	// Only the first line that is not blank or a comment decides: find it
	// without copying the rest.
	for len(text) > 0 {
		l := firstLine(&text)
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		switch {
		case vmxLine(l):
			return VMX
		case proxmoxLine(l):
			return Proxmox
		}
		words := strings.Fields(l)
		for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
			words = words[1:] // environment assignments before the program
		}
		if len(words) > 0 && (looksLikeQEMU(words[0]) || strings.HasPrefix(words[0], "-")) {
			return QEMU
		}
		return Unrecognized
	}
	return Unrecognized
}

// firstLine cuts the first line off *text and returns it, joined with the
// lines that follow while it ends in a shell continuation (a backslash
// before LF or CRLF, which becomes a space).
func firstLine(text *[]byte) string {
	var b strings.Builder
	for {
		l, rest, found := bytes.Cut(*text, []byte{'\n'})
		*text = rest
		cont := found && bytes.HasSuffix(l, []byte("\\"))
		crcont := found && bytes.HasSuffix(l, []byte("\\\r"))
		switch {
		case crcont:
			l = l[:len(l)-2]
		case cont:
			l = l[:len(l)-1]
		}
		if !cont && !crcont {
			if b.Len() == 0 {
				return string(l)
			}
			b.Write(l)
			return b.String()
		}
		b.Write(l)
		b.WriteByte(' ')
	}
}

func looksLikeQEMU(program string) bool {
	base := baseName(strings.Trim(program, `'"`))
	return strings.HasPrefix(base, "qemu") || base == "kvm"
}

// xmlRoot returns the local name of the first element in an XML prefix.
func xmlRoot(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for i := 0; i < 64; i++ {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

// describe says in a few words what an unrecognised file looks like.
func describe(head []byte) string {
	switch {
	case len(head) == 0:
		return "empty file"
	case !utf8.Valid(head) || bytes.IndexByte(head, 0) >= 0:
		return fmt.Sprintf("binary data starting % x", head[:min(len(head), 8)])
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(head)), "\n")
	if len(first) > 40 {
		first = first[:40] + "…"
	}
	return fmt.Sprintf("text starting %q", first)
}
