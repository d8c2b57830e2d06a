package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// s, when one is close enough to be a typo, else "".
func didYouMean(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD && d <= max(1, len(c)/3) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return ` (did you mean "` + best + `"?)`
}

// editDistance is the optimal-string-alignment distance of a and b:
// insertions, deletions, substitutions and swaps of neighbours cost 1.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// flagSuggestion adds to urfave/cli's "flag provided but not defined: -x"
// the closest of the command's flags.
func flagSuggestion(c *cli.Context, err error) string {
	msg := err.Error()
	bad, ok := strings.CutPrefix(msg, "flag provided but not defined: ")
	if !ok || c == nil || c.Command == nil {
		return msg
	}
	if name := strings.TrimLeft(bad, "-"); len(name) > 1 {
		bad = "--" + name // urfave/cli prints one dash whatever was typed
	}
	var names []string
	for _, f := range c.Command.Flags {
		names = append(names, f.Names()...)
	}
	if s := didYouMean(strings.TrimLeft(bad, "-"), names); s != "" {
		return "unknown flag " + bad + strings.Replace(s, `"`, `"--`, 1)
	}
	return "unknown flag " + bad
}

// interspersed moves the flags that follow a command's arguments in front
// of them, as people type them (show X.vmx --json, rewrite dom.xml --from
// X.vmx): urfave/cli stops reading flags at the first argument, and would
// take --json for a file name. Which flags take a value comes from the
// command's own flag set; "--" still ends the flags, and "-" is an
// argument (standard input).
func interspersed(app *cli.App, args []string) []string {
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" {
		i++ // the application's own flags (--help, --version) take no value
	}
	if i >= len(args) {
		return args
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, positional []string
	rest := args[i+1:]
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		if a == "--" {
			positional = append([]string{"--"}, append(positional, rest[j+1:]...)...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			flags = append(flags, a)
			if takesValue[name] && !hasValue && j+1 < len(rest) {
				flags = append(flags, rest[j+1])
				j++
			}
			continue
		}
		positional = append(positional, a)
	}
	out := append([]string{}, args[:i+1]...)
	return append(append(out, flags...), positional...)
}
