package formats

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// SniffSize is how much of a file detection looks at.
const SniffSize = 8 << 10

// A Head is the first bytes of a file, as the rows' sniffers see them. It
// works out what several sniffers ask (the XML root, the first line) once.
type Head struct {
	b    []byte
	text []byte // b without a UTF-8 byte order mark

	rootDone, lineDone bool
	root, line         string
}

// NewHead returns the Head of a file whose first bytes are b (up to
// [SniffSize]; more are not looked at).
func NewHead(b []byte) *Head {
	return &Head{b: b, text: bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))}
}

// Bytes returns the bytes as given.
func (h *Head) Bytes() []byte { return h.b }

// Container reports whether the bytes start a Hyper-V container.
func (h *Head) Container() bool { return vmcx.Sniff(h.b) }

// UTF16 reports whether the bytes start with a UTF-16 byte order mark:
// only Hyper-V writes configurations so.
func (h *Head) UTF16() bool {
	return bytes.HasPrefix(h.b, []byte{0xff, 0xfe}) || bytes.HasPrefix(h.b, []byte{0xfe, 0xff})
}

// XMLRoot returns the local name of the root element when the text is XML
// (its first byte that is not white space is '<'), else "".
func (h *Head) XMLRoot() string {
	if !h.rootDone {
		h.rootDone = true
		if t := bytes.TrimLeft(h.text, " \t\r\n"); len(t) > 0 && t[0] == '<' {
			h.root = xmlRoot(t)
		}
	}
	return h.root
}

// FirstLine returns the first line of text that is not blank or a comment
// (# …), joined with the lines that continue it (a trailing backslash),
// trimmed; "" for XML, binary data (any NUL byte) or text without one.
func (h *Head) FirstLine() string {
	if !h.lineDone {
		h.lineDone = true
		text := h.text
		if bytes.IndexByte(text, 0) >= 0 {
			return ""
		}
		if t := bytes.TrimLeft(text, " \t\r\n"); len(t) > 0 && t[0] == '<' {
			return ""
		}
		for len(text) > 0 {
			l := strings.TrimSpace(firstLine(&text))
			if l != "" && l[0] != '#' {
				h.line = l
				break
			}
		}
	}
	return h.line
}

// Detect returns the format of a file whose first bytes are head, by
// content only (never by its name), or nil.
func Detect(head []byte) *Format {
	h := NewHead(head)
	for _, f := range table {
		if f.Sniff(h) {
			return f
		}
	}
	return nil
}

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

// qemuHead recognises a QEMU command line: NUL-separated arguments (as in
// /proc/PID/cmdline) with a -device or a QEMU program first, or a first
// line that starts with a QEMU program (after environment assignments) or
// with an option.
func qemuHead(h *Head) bool {
	text := h.text
	if i := bytes.IndexByte(text, 0); i >= 0 {
		if t := bytes.TrimLeft(text, " \t\r\n"); len(t) > 0 && t[0] == '<' {
			return false
		}
		return bytes.Contains(text, []byte("-device\x00")) || looksLikeQEMU(string(text[:i]))
	}
	words := strings.Fields(h.FirstLine())
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		words = words[1:] // environment assignments before the program
	}
	return len(words) > 0 && (looksLikeQEMU(words[0]) || strings.HasPrefix(words[0], "-"))
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
	base := strings.Trim(program, `'"`)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
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

// Describe says in a few words what an unrecognised file looks like.
func Describe(head []byte) string {
	if disk := diskImage(head); disk != "" {
		return "a disk image (" + disk + "), not a configuration: read the VM's configuration file beside it"
	}
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

// kubevirtHead recognises a KubeVirt manifest, YAML or JSON: text (no NUL,
// not XML) that names a kubevirt.io API group or label and has an
// apiVersion key, in YAML ("apiVersion:" at the start of a line, "- " list
// items included) or JSON ("apiVersion" quoted).
func kubevirtHead(h *Head) bool {
	t := h.text
	if bytes.IndexByte(t, 0) >= 0 || h.XMLRoot() != "" || !bytes.Contains(t, []byte("kubevirt.io/")) && !bytes.Contains(t, []byte("libguestfs.org/genid")) {
		return false
	}
	if bytes.Contains(t, []byte(`"apiVersion"`)) {
		return true
	}
	for len(t) > 0 {
		l := strings.TrimLeft(firstLine(&t), " -")
		if strings.HasPrefix(l, "apiVersion:") {
			return true
		}
	}
	return false
}

// DetectFile is [Detect] for a file that may hold more than its first
// bytes: when head, the file's first bytes, holds nothing telling (blank
// lines, # comments, an XML declaration and comments), the rest of the
// file is skipped over up to its first telling line, which is detected
// instead. A configuration padded with comments is recognised wherever
// its evidence stands, within [bounded.MaxFileSize].
func DetectFile(r io.ReaderAt, size int64, head []byte) *Format {
	if f := Detect(head); f != nil {
		return f
	}
	if int64(len(head)) >= size {
		return nil
	}
	// A small buffer: most heads are telling at their first byte.
	if _, padded := telling(bufio.NewReaderSize(bytes.NewReader(head), 16)); !padded {
		return nil
	}
	off, padded := telling(bufio.NewReaderSize(io.NewSectionReader(r, 0, min(size, bounded.MaxFileSize)), 64<<10))
	if padded || off <= 0 {
		return nil
	}
	window := make([]byte, SniffSize)
	n, err := r.ReadAt(window, off)
	if err != nil && err != io.EOF {
		return nil
	}
	return Detect(window[:n])
}

// telling returns the offset of the first telling line (or XML element)
// of a text, or padded = true when the text ends first: it skips blank
// lines, lines whose first non-blank character is '#', a UTF-8 byte order
// mark, and XML declarations, processing instructions, comments and
// DOCTYPEs. Binary data (a NUL byte) is telling at once.
func telling(r *bufio.Reader) (off int64, padded bool) {
	var pos int64
	next := func() (byte, bool) {
		c, err := r.ReadByte()
		if err != nil {
			return 0, false
		}
		pos++
		return c, true
	}
	skipUntil := func(end string) bool { // past the next occurrence of end
		matched := 0
		for {
			c, ok := next()
			if !ok {
				return false
			}
			switch {
			case c == end[matched]:
				matched++
			case c == end[0]:
				matched = 1
			default:
				matched = 0
			}
			if matched == len(end) {
				return true
			}
		}
	}
	if b, _ := r.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		r.Discard(3)
		pos = 3
	}
	lineStart := pos
	for {
		c, ok := next()
		if !ok {
			return 0, true
		}
		switch c {
		case '\n':
			lineStart = pos
		case ' ', '\t', '\r', '\f', '\v':
		case '#': // only white space before it on its line: a comment
			if !skipUntil("\n") {
				return 0, true
			}
			lineStart = pos
		case '<':
			b, _ := r.Peek(8)
			switch {
			case bytes.HasPrefix(b, []byte("!--")):
				if !skipUntil("-->") {
					return 0, true
				}
			case bytes.HasPrefix(b, []byte("?")):
				if !skipUntil("?>") {
					return 0, true
				}
			case bytes.HasPrefix(b, []byte("!DOCTYPE")):
				if !skipUntil(">") {
					return 0, true
				}
			default:
				return pos - 1, false
			}
		case 0:
			return pos - 1, false
		default:
			return lineStart, false
		}
	}
}

// diskImage names the disk image format whose signature head starts with
// (or, for a VMDK descriptor, whose first line it is), or "".
func diskImage(head []byte) string {
	for _, d := range []struct{ magic, name string }{
		{"KDMV", "VMDK sparse extent"},
		{"COWD", "VMDK ESX sparse extent"},
		{"# Disk DescriptorFile", "VMDK descriptor"},
		{"QFI\xfb", "qcow2"},
		{"vhdxfile", "VHDX"},
		{"conectix", "VHD"},
		{"<<< Oracle VM VirtualBox Disk Image >>>", "VDI"},
	} {
		if bytes.HasPrefix(head, []byte(d.magic)) {
			return d.name
		}
	}
	return ""
}
