package libvirt

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

// An Edit describes the one change [SetGenID] made: the bytes [Start, OldEnd)
// of the input became [Start, NewEnd) of the output; everything before Start
// and after OldEnd is unchanged.
type Edit struct {
	Inserted bool  // <genid> was absent and was inserted
	Line     int   // line of the new <genid> in the output
	Start    int64 // first changed byte
	OldEnd   int64 // end of the changed bytes in the input
	NewEnd   int64 // end of the changed bytes in the output
}

// SetGenID returns doc with its <genid> set to id's QEMU GUID, changing no
// other byte: an existing element is replaced where it stands; a missing one
// is inserted on its own line after <uuid> (else after <name>), indented like
// that element and with the document's line ending. The document is not
// re-serialised, so comments, attribute quoting, entities, CRLF and
// namespaced elements stay as they are.
//
// SetGenID does not check the domain type or an existing value; callers
// decide whether an edit is wanted.
func SetGenID(doc []byte, id genid.ID) ([]byte, Edit, error) {
	spans, err := xmlspan.Scan(doc)
	if err != nil {
		return nil, Edit{}, err
	}
	if spans.Root.Prefix != "" || spans.Root.Local != "domain" {
		return nil, Edit{}, fmt.Errorf("the root element is <%s>, not <domain>", spans.Root.Local)
	}
	el, err := Element(id)
	if err != nil {
		return nil, Edit{}, err
	}
	var genids []xmlspan.Element
	var anchor *xmlspan.Element
	for i, c := range spans.Children {
		if c.Prefix != "" {
			continue
		}
		switch c.Local {
		case "genid":
			genids = append(genids, c)
		case "uuid":
			anchor = &spans.Children[i]
		case "name":
			if anchor == nil || anchor.Local != "uuid" {
				anchor = &spans.Children[i]
			}
		}
	}
	switch {
	case len(genids) > 1:
		return nil, Edit{}, fmt.Errorf("line %d: element 'genid' can only appear once", genids[1].Line)
	case len(genids) == 1:
		g := genids[0]
		out := splice(doc, g.Start, g.End, []byte(el))
		return out, Edit{Line: g.Line, Start: g.Start, OldEnd: g.End, NewEnd: g.Start + int64(len(el))}, nil
	case anchor == nil:
		return nil, Edit{}, errors.New("the domain has neither <uuid> nor <name> to place <genid> after")
	}
	lineStart := int64(bytes.LastIndexByte(doc[:anchor.Start], '\n') + 1)
	indent := doc[lineStart:anchor.Start]
	at := anchor.End
	insert := []byte(el)
	line := anchor.Line + bytes.Count(doc[anchor.Start:anchor.End], []byte{'\n'})
	if len(bytes.Trim(indent, " \t")) == 0 && lineStart > 0 {
		// The anchor starts its line: put <genid> on a line of its own after
		// the anchor's line (which may end in a comment).
		lineEnd := int64(len(doc))
		if i := bytes.IndexByte(doc[anchor.End:], '\n'); i >= 0 {
			lineEnd = anchor.End + int64(i)
		}
		if onlyComments(doc[anchor.End:lineEnd]) {
			nl := []byte("\n")
			if lineEnd > 0 && lineEnd < int64(len(doc)) && doc[lineEnd-1] == '\r' {
				lineEnd--
				nl = []byte("\r\n")
			}
			at = lineEnd
			insert = append(append(append([]byte{}, nl...), indent...), insert...)
			line++
		}
	}
	out := splice(doc, at, at, insert)
	return out, Edit{Inserted: true, Line: line, Start: at, OldEnd: at, NewEnd: at + int64(len(insert))}, nil
}

// onlyComments reports whether b holds nothing but white space and
// complete XML comments.
func onlyComments(b []byte) bool {
	for {
		b = bytes.TrimLeft(b, " \t\r")
		if len(b) == 0 {
			return true
		}
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return false
		}
		end := bytes.Index(b[4:], []byte("-->"))
		if end < 0 {
			return false
		}
		b = b[4+end+3:]
	}
}

func splice(doc []byte, start, end int64, with []byte) []byte {
	out := make([]byte, 0, int64(len(doc))-(end-start)+int64(len(with)))
	out = append(out, doc[:start]...)
	out = append(out, with...)
	return append(out, doc[end:]...)
}
