package audit

import (
	"fmt"
	"io"
	"strings"
)

// WriteFixScript writes a POSIX sh script with the fix of every finding
// that has one (a mismatch: the target does not carry its source's ID),
// each commented with the finding, for a person to review and run; audit
// never runs it. about is a line for the header, such as the command that
// made the report. It returns how many fixes it wrote.
func (r *Result) WriteFixScript(w io.Writer, about string) (int, error) {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	n := 0
	for _, f := range r.Findings {
		if f.Fix != "" {
			n++
		}
	}
	line("#!/bin/sh")
	line("# Fixes for an audit's findings, written by genid-migrate; review before running.")
	line("# %s", oneLine(about))
	line("# %d fixes. Each makes a target carry its source's generation ID, so that the guest sees", n)
	line("# the bytes it saw before the move. Stop a VM before changing its definition: the guest")
	line("# sees a new ID only after a full power-off and start.")
	line("set -eu")
	for _, f := range r.Findings {
		if f.Fix == "" {
			continue
		}
		line("")
		line("# %s: %s", f.Kind, oneLine(f.Message))
		for i, p := range f.Paths {
			role := "source"
			if i > 0 {
				role = "target"
			}
			line("#   %s: %s", role, oneLine(p))
		}
		for _, d := range f.Diagnosis {
			line("#   cause: %s", oneLine(d.Explanation))
		}
		if strings.HasPrefix(f.Fix, "qm ") {
			line("#   run on the Proxmox node that holds the VM, as root, with the VM stopped")
		}
		if oneLine(f.Fix) != f.Fix {
			line("# (not written as a command: a path holds a control character; run the fix by hand)")
			continue
		}
		line("%s", f.Fix)
	}
	if n == 0 {
		line("")
		line("# No finding has a fix to run.")
	}
	_, err := io.WriteString(w, b.String())
	return n, err
}

// oneLine keeps text on one line of the script.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return '?'
		}
		return r
	}, s)
}
