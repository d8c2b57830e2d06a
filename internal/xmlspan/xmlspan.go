// Package xmlspan finds where the root element's children sit in an XML
// document, as byte offsets, so that one child can be replaced or one
// inserted without re-serialising anything else.
package xmlspan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// An Element is the root element or one of its children.
type Element struct {
	Prefix, Local string // the name as written: prefix (may be "") and local name
	Start, End    int64  // [Start, End) runs from its '<' to the end of its end tag
	Line          int    // 1-based line of Start
	SelfClosing   bool   // written as <x/>
}

// A Doc is the root element and its children, in document order.
type Doc struct {
	Root     Element
	Children []Element
}

// A SyntaxError reports malformed XML at a line.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: XML syntax error: %s", e.Line, e.Msg)
}

// NewDecoder returns a strict decoder over doc that accepts an XML
// declaration naming one of encodings (compared without case) and refuses
// any other. The bytes are passed through undecoded: right when they are
// already UTF-8, or when only offsets matter.
func NewDecoder(doc []byte, encodings ...string) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		for _, e := range encodings {
			if strings.EqualFold(label, e) {
				return r, nil
			}
		}
		return nil, fmt.Errorf("encoding %q is not supported", label)
	}
	return d
}

// ErrorAt returns the line of an error d's Token or RawToken returned, and
// its message without encoding/xml's "XML syntax error on line N: " prefix.
func ErrorAt(d *xml.Decoder, err error) (line int, msg string) {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Line, se.Msg
	}
	line, _ = d.InputPos()
	return line, err.Error()
}

// Scan reads doc and returns the spans of the root element and its
// children. It checks that the document is well formed (tags match, one
// root) but resolves no namespaces.
func Scan(doc []byte) (*Doc, error) {
	// Offsets are all this package needs, so Latin-1 passes through too.
	d := NewDecoder(doc, "utf-8", "us-ascii", "ascii", "iso-8859-1", "latin1")
	var (
		out   Doc
		stack []xml.Name
		cur   Element
		roots int
	)
	// Lines are counted forward from the last offset asked, which only
	// grows: one pass over the document in all.
	var lineOff int64
	lineNo := 1
	line := func(off int64) int {
		off = min(max(off, 0), int64(len(doc)))
		if off < lineOff {
			lineOff, lineNo = 0, 1
		}
		lineNo += bytes.Count(doc[lineOff:off], []byte{'\n'})
		lineOff = off
		return lineNo
	}
	for {
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, msg := ErrorAt(d, err)
			return nil, &SyntaxError{Line: l, Msg: msg}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := Element{Prefix: t.Name.Space, Local: t.Name.Local, Start: start, Line: line(start)}
			switch len(stack) {
			case 0:
				roots++
				if roots > 1 {
					return nil, &SyntaxError{Line: line(start), Msg: "more than one root element"}
				}
				out.Root = e
			case 1:
				cur = e
			}
			stack = append(stack, t.Name)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != t.Name {
				return nil, &SyntaxError{Line: line(start), Msg: fmt.Sprintf("unexpected end tag </%s>", qualified(t.Name))}
			}
			stack = stack[:len(stack)-1]
			end := d.InputOffset()
			switch len(stack) {
			case 1:
				cur.End = end
				cur.SelfClosing = end == start // the decoder synthesises the end of <x/>
				out.Children = append(out.Children, cur)
			case 0:
				out.Root.End = end
				out.Root.SelfClosing = end == start
			}
		case xml.CharData:
			if trimmed := bytes.TrimLeft(t, " \t\r\n"); len(stack) == 0 && len(trimmed) > 0 {
				return nil, &SyntaxError{Line: line(start + int64(len(t)-len(trimmed))), Msg: "text outside the root element"}
			}
		}
	}
	if roots == 0 {
		return nil, &SyntaxError{Line: line(int64(len(doc))), Msg: "no root element"}
	}
	if len(stack) > 0 {
		return nil, &SyntaxError{Line: line(int64(len(doc))), Msg: fmt.Sprintf("unexpected end of file: <%s> is not closed", qualified(stack[len(stack)-1]))}
	}
	return &out, nil
}

func qualified(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
