package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputInjection: names and values from files cannot move the
// cursor, clear the screen, forge lines of output or a spreadsheet
// formula, in any text output.
func TestOutputInjection(t *testing.T) {
	dir := t.TempDir()
	evil := filepath.Join(dir, "evil\x1b[2J\rname.vmx")
	os.WriteFile(evil, []byte("config.version = \"8\"\ndisplayName = \"dc01|1B]0;pwned|07|0D|0Aforged: line\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n"), 0o644)
	formula := filepath.Join(dir, "formula.vmx")
	os.WriteFile(formula, []byte("config.version = \"8\"\ndisplayName = \"=HYPERLINK(1)\"\nvm.genid = \"3\"\nvm.genidX = \"4\"\n"), 0o644)
	broken := filepath.Join(dir, "bad\x1b[31m.vmx")
	os.WriteFile(broken, []byte("config.version = \"8\"\nvm.genid = \"0x1\"\nvm.genidX = \"2\"\n"), 0o644)
	bin := realBinary(t)
	for _, args := range [][]string{
		{"show", evil},
		{"show", broken},
		{"audit", "--all", "--fail-on", "none", dir},
		{"audit", "--csv", "--fail-on", "none", dir},
		{"audit", "--json", "--fail-on", "none", dir},
	} {
		out, _ := exec.Command(bin, args...).CombinedOutput()
		s := string(out)
		if strings.ContainsAny(s, "\x1b\r\x07") {
			t.Errorf("%s: a control character reached the output:\n%q", args[0], s)
		}
		if strings.Contains(s, "\nforged: line") {
			t.Errorf("%s: a forged line:\n%s", args[0], s)
		}
		if args[1] == "--csv" && strings.Contains(s, ",=HYPERLINK") {
			t.Errorf("csv: a formula cell:\n%s", s)
		}
	}
}
