package vmcxbuild

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

// XML renders a key tree as a Hyper-V 2012 R2 XML configuration: one
// element per key, leaves with type="string|integer|bool|bytes", nodes
// without a type, two-space indentation, lines ending in newline (callers
// choose CRLF and the encoding; see UTF16LE).
func XML(root *Key) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-16\" standalone=\"yes\"?>\n")
	var write func(k *Key, depth int)
	write = func(k *Key, depth int) {
		ind := strings.Repeat("  ", depth)
		if k.Type == TypeNode {
			b.WriteString(ind + "<" + k.Name + ">\n")
			for _, c := range k.Children {
				write(c, depth+1)
			}
			b.WriteString(ind + "</" + k.Name + ">\n")
			return
		}
		typ, text := "string", ""
		switch k.Type {
		case TypeString:
			n := binary.LittleEndian.Uint32(k.Value)
			u := make([]uint16, n/2)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(k.Value[4+2*i:])
			}
			text = string(utf16.Decode(u))
		case TypeInt:
			typ, text = "integer", strconv.FormatInt(int64(binary.LittleEndian.Uint64(k.Value)), 10)
		case TypeUInt:
			typ, text = "integer", strconv.FormatUint(binary.LittleEndian.Uint64(k.Value), 10)
		case TypeDouble:
			typ, text = "double", strconv.FormatFloat(math.Float64frombits(binary.LittleEndian.Uint64(k.Value)), 'g', -1, 64)
		case TypeBool:
			typ, text = "bool", "False"
			if binary.LittleEndian.Uint32(k.Value) != 0 {
				text = "True"
			}
		case TypeBytes:
			typ, text = "bytes", base64.StdEncoding.EncodeToString(k.Value[4:])
		}
		var esc strings.Builder
		xml.EscapeText(&esc, []byte(text))
		b.WriteString(ind + "<" + k.Name + " type=\"" + typ + "\">" + esc.String() + "</" + k.Name + ">\n")
	}
	write(root, 0)
	return b.String()
}

// UTF16LE encodes s as UTF-16LE with a byte order mark, as Hyper-V writes
// its XML, turning line ends into CRLF.
func UTF16LE(s string) []byte {
	s = strings.ReplaceAll(s, "\n", "\r\n")
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2+2*len(u))
	b[0], b[1] = 0xff, 0xfe
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2+2*i:], c)
	}
	return b
}
