package formats

import (
	"regexp"
	"strings"
	"testing"
)

// The line shapes as regular expressions: the reference the hand-written
// matchers are checked against.
var (
	vmxLineRE     = regexp.MustCompile(`^[A-Za-z0-9_.:\[\]-]+\s*=\s*"`)
	proxmoxLineRE = regexp.MustCompile(`^([a-z][a-z_]*\d*:\s|\[[^\]]+\]\s*$)`)
)

// FuzzDetectLines checks the line matchers against their regular
// expressions, and firstLine against joining shell continuations over the
// whole text before cutting it into lines.
func FuzzDetectLines(f *testing.F) {
	for _, s := range []string{
		"vm.genid = \"5\"\n", "scsi0:0.present = \"TRUE\"", "vmgenid: 1", "[snap]  ", "[]", "a:b",
		"qemu-system-x86_64 \\\n -device vmgenid \\\r\n -m 1\nx", "a \\\\\nb", "#c\\\nd\ne",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range strings.Split(s, "\n") {
			if got, want := vmxLine(l), vmxLineRE.MatchString(l); got != want {
				t.Fatalf("vmxLine(%q) = %v, the expression says %v", l, got, want)
			}
			if got, want := proxmoxLine(l), proxmoxLineRE.MatchString(l); got != want {
				t.Fatalf("proxmoxLine(%q) = %v, the expression says %v", l, got, want)
			}
		}
		joined := strings.NewReplacer("\\\r\n", " ", "\\\n", " ").Replace(s)
		want := strings.SplitAfter(joined, "\n")
		text := []byte(s)
		for i := 0; len(text) > 0; i++ {
			got := firstLine(&text)
			if i >= len(want) || got != strings.TrimSuffix(want[i], "\n") {
				t.Fatalf("line %d of %q: %q; joined first, %q", i, s, got, want)
			}
		}
	})
}
