package qemu

import (
	"errors"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
)

// splitShell splits text into words as a POSIX shell would, without
// expansions: blanks separate words; '…' is literal; "…" is literal except
// for \" \\ \$ \` and \newline; a backslash outside quotes escapes the next
// character, and backslash-newline joins lines; # at the start of a word
// comments to the end of the line; newlines and ; separate commands, whose
// words are all returned. $ is kept as written.
func splitShell(text string) ([]Arg, error) {
	var args []Arg
	var cur strings.Builder
	inWord := false
	line, start := 1, 1
	begin := func() {
		if !inWord {
			inWord, start = true, line
		}
	}
	end := func() {
		if inWord {
			args = append(args, Arg{Value: cur.String(), Line: start})
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			end()
			line++
		case c == ' ' || c == '\t' || c == '\r' || c == ';':
			end()
		case c == '#' && !inWord:
			for i+1 < len(text) && text[i+1] != '\n' {
				i++
			}
		case c == '\\':
			if i+1 == len(text) {
				begin()
				cur.WriteByte('\\')
				break
			}
			i++
			if text[i] == '\n' {
				line++
				break
			}
			if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
				line++
				break
			}
			begin()
			cur.WriteByte(text[i])
		case c == '\'':
			begin()
			j := strings.IndexByte(text[i+1:], '\'')
			if j < 0 {
				return nil, &genid.InputError{Line: line, Err: errors.New("unterminated single quote")}
			}
			quoted := text[i+1 : i+1+j]
			cur.WriteString(quoted)
			line += strings.Count(quoted, "\n")
			i += j + 1
		case c == '"':
			begin()
			opened := line
			closed := false
			for i++; i < len(text); i++ {
				d := text[i]
				if d == '"' {
					closed = true
					break
				}
				if d == '\n' {
					line++
				}
				if d == '\\' && i+1 < len(text) {
					switch text[i+1] {
					case '"', '\\', '$', '`':
						cur.WriteByte(text[i+1])
						i++
						continue
					case '\n':
						line++
						i++
						continue
					}
				}
				cur.WriteByte(d)
			}
			if !closed {
				return nil, &genid.InputError{Line: opened, Err: errors.New("unterminated double quote")}
			}
		default:
			begin()
			cur.WriteByte(c)
		}
	}
	end()
	return args, nil
}
