package vmware

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/ascii"
)

// An Edit describes the change [SetGenID] made: the bytes [Start, OldEnd)
// of the input became [Start, NewEnd) of the output; everything before
// Start and after OldEnd is unchanged.
type Edit struct {
	Inserted bool  // a key was absent and was inserted
	Line     int   // line of vm.genid in the output
	Start    int64 // first changed byte
	OldEnd   int64 // end of the changed bytes in the input
	NewEnd   int64 // end of the changed bytes in the output
}

// key is one of the ID's keys as found in a file.
type key struct {
	line       int   // 1-based
	start, end int64 // the value's bytes, between its quotes
	lineEnd    int64 // the end of the line, before its LF
}

// SetGenID returns the .vmx text doc with vm.genid and vm.genidX set to
// id's signed decimals, changing no other byte: an existing value is
// replaced between its quotes (the key's spelling, the spaces and any
// comment after it stay); a missing key is inserted on a line of its own,
// after the other key if that is present, else at the end of the file,
// with the file's line ending. A key set twice is refused: which one
// VMware would use is not for this function to guess.
//
// SetGenID does not check an existing value; callers decide whether an
// edit is wanted.
func SetGenID(doc []byte, id genid.ID) ([]byte, Edit, error) {
	g, x := id.VMX()
	values := [2]string{strconv.FormatInt(g, 10), strconv.FormatInt(x, 10)}
	names := [2]string{"vm.genid", "vm.genidX"}
	var found [2]*key
	nl := "\n"
	line, pos := 0, 0
	for pos < len(doc) {
		line++
		end := bytes.IndexByte(doc[pos:], '\n')
		next := len(doc)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(doc)
		}
		text := doc[pos:end]
		if bytes.HasSuffix(text, []byte("\r")) {
			text = text[:len(text)-1]
			if line == 1 {
				nl = "\r\n" // the file's line ending, as its first line has it
			}
		}
		if i, k := matchKey(text); i >= 0 {
			k.line, k.start, k.end, k.lineEnd = line, int64(pos)+k.start, int64(pos)+k.end, int64(pos+len(text))
			if found[i] != nil {
				return nil, Edit{}, fmt.Errorf("line %d: %s is set twice (line %d too): which VMware uses is not certain; remove one", line, names[i], found[i].line)
			}
			found[i] = k
		}
		pos = next
	}
	switch {
	case found[0] != nil && found[1] != nil:
		a, b := found[0], found[1]
		if a.start > b.start {
			a, b = b, a
		}
		va, vb := values[0], values[1]
		if a != found[0] {
			va, vb = vb, va
		}
		var out []byte
		out = append(out, doc[:a.start]...)
		out = append(out, va...)
		out = append(out, doc[a.end:b.start]...)
		out = append(out, vb...)
		newEnd := int64(len(out))
		out = append(out, doc[b.end:]...)
		return out, Edit{Line: found[0].line, Start: a.start, OldEnd: b.end, NewEnd: newEnd}, nil
	case found[0] != nil || found[1] != nil:
		i := 0
		if found[0] == nil {
			i = 1
		}
		k, other := found[i], 1-i
		insert := nl + names[other] + " = \"" + values[other] + "\""
		var out []byte
		out = append(out, doc[:k.start]...)
		out = append(out, values[i]...)
		out = append(out, doc[k.end:k.lineEnd]...)
		out = append(out, insert...)
		newEnd := int64(len(out))
		out = append(out, doc[k.lineEnd:]...)
		line := k.line
		if i == 1 {
			line++
		}
		return out, Edit{Inserted: true, Line: line, Start: k.start, OldEnd: k.lineEnd, NewEnd: newEnd}, nil
	}
	// Neither: append both lines, after a line end if the file lacks one.
	start := int64(len(doc))
	prefix := ""
	switch {
	case len(doc) == 0 || doc[len(doc)-1] == '\n':
	case doc[len(doc)-1] == '\r':
		prefix = "\n" // the file ends in half a CRLF
	default:
		prefix = nl
	}
	insert := prefix + names[0] + " = \"" + values[0] + "\"" + nl + names[1] + " = \"" + values[1] + "\"" + nl
	out := append(append([]byte{}, doc...), insert...)
	return out, Edit{Inserted: true, Line: line + 1, Start: start, OldEnd: start, NewEnd: int64(len(out))}, nil
}

// matchKey reports whether a line sets vm.genid (0) or vm.genidX (1),
// keys compared ignoring ASCII case as VMware does, and where its quoted
// value is within the line.
func matchKey(l []byte) (int, *key) {
	t := bytes.TrimLeft(l, " \t")
	eq := bytes.IndexByte(t, '=')
	if eq < 0 {
		return -1, nil
	}
	name := strings.TrimRight(string(t[:eq]), " \t")
	i := -1
	switch {
	case ascii.EqualFold(name, "vm.genid"):
		i = 0
	case ascii.EqualFold(name, "vm.genidX"):
		i = 1
	default:
		return -1, nil
	}
	off := len(l) - len(t) + eq + 1
	rest := l[off:]
	q := bytes.IndexByte(rest, '"')
	if q < 0 || len(bytes.Trim(rest[:q], " \t")) != 0 {
		return -1, nil
	}
	close := bytes.IndexByte(rest[q+1:], '"')
	if close < 0 {
		return -1, nil
	}
	return i, &key{start: int64(off + q + 1), end: int64(off + q + 1 + close)}
}
