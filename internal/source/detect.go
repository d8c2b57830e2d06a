package source

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	vmxLine     = regexp.MustCompile(`^[A-Za-z0-9_.:\[\]-]+\s*=\s*"`)
	proxmoxLine = regexp.MustCompile(`^([a-z][a-z_]*\d*:\s|\[[^\]]+\]\s*$)`)
)

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
	joined := string(text)
	if strings.Contains(joined, "\\\n") || strings.Contains(joined, "\\\r\n") {
		joined = strings.NewReplacer("\\\r\n", " ", "\\\n", " ").Replace(joined) // shell continuations
	}
	for joined != "" {
		var l string
		l, joined, _ = strings.Cut(joined, "\n")
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		switch {
		case vmxLine.MatchString(l):
			return VMX
		case proxmoxLine.MatchString(l):
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
