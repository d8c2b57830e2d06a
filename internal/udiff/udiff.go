// Package udiff writes a unified diff of two texts that differ in one
// region, as a single hunk with three lines of context: the shape of every
// change genid-migrate makes.
package udiff

import (
	"fmt"
	"strings"
)

const context = 3

// Diff returns the unified diff turning a into b, with the file names in
// its header, or "" if they are equal. Differences in several places are
// shown as one hunk spanning them.
func Diff(aName, bName string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	al, bl := lines(string(a)), lines(string(b))
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	start := max(pre-context, 0)
	aEnd := min(len(al)-suf+context, len(al))
	bEnd := min(len(bl)-suf+context, len(bl))
	var w strings.Builder
	fmt.Fprintf(&w, "--- %s\n+++ %s\n", aName, bName)
	fmt.Fprintf(&w, "@@ -%s +%s @@\n", span(start, aEnd-start), span(start, bEnd-start))
	for _, l := range al[start:pre] {
		line(&w, ' ', l)
	}
	for _, l := range al[pre : len(al)-suf] {
		line(&w, '-', l)
	}
	for _, l := range bl[pre : len(bl)-suf] {
		line(&w, '+', l)
	}
	for _, l := range al[len(al)-suf : aEnd] {
		line(&w, ' ', l)
	}
	return w.String()
}

// span formats a hunk range: 1-based start and length, with diff's
// conventions for one line (no length) and none (the line before).
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func line(w *strings.Builder, mark byte, l string) {
	w.WriteByte(mark)
	w.WriteString(l)
	if !strings.HasSuffix(l, "\n") {
		w.WriteString("\n\\ No newline at end of file\n")
	}
}

// lines splits s after each newline, keeping line ends.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.SplitAfter(s, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}
