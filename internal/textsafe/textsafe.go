// Package textsafe makes text from inputs (file names, VM names, values)
// safe to print: a crafted name must not move the cursor, clear the
// screen, forge lines of output or a spreadsheet formula.
package textsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean reports whether s is valid UTF-8 without control characters.
func Clean(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unicode.IsControl(r) || r == 0x2028 || r == 0x2029 {
			return false
		}
		i += n
	}
	return true
}

// Quote returns s unchanged when it is clean, else quoted with its control
// characters and invalid bytes escaped as Go does ("dc01\x1b[2J"), as ls
// and git show such names.
func Quote(s string) string {
	if Clean(s) {
		return s
	}
	return strconv.Quote(s)
}

// Controls escapes the control characters of a message other than line
// feeds and tabs, and its invalid UTF-8 bytes, as \xHH, keeping the rest:
// for messages that are several lines on purpose.
func Controls(s string) string {
	if Clean(strings.NewReplacer("\n", "", "\t", "").Replace(s)) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || r == 0x2028 || r == 0x2029:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Escape escapes every control character (line feeds and tabs too) and
// invalid UTF-8 byte of s as \xHH or \n, keeping the rest: for a value
// that must stay on one line, such as a CSV cell.
func Escape(s string) string {
	if Clean(s) {
		return s
	}
	q := strconv.Quote(s)
	return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}

// Path returns a path for JSON that keeps different paths different: a
// path that is valid UTF-8 without a backslash is itself; otherwise each
// backslash is doubled and each byte that is not UTF-8 written as \xHH
// (encoding/json would turn every such byte into U+FFFD, so that two
// different file names read the same).
func Path(p string) string {
	if utf8.ValidString(p) && !strings.Contains(p, `\`) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(p[i])|0x100, 16)[1:])
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}

// CSVCell makes s a safe CSV cell: control characters escaped ([Escape]),
// and a spreadsheet formula neutralised as OWASP recommends for CSV
// exports: a cell that starts with =, +, -, @, a tab or a carriage return
// gets a leading single quote.
func CSVCell(s string) string {
	s = Escape(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
