package udiff

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// TestAgainstDiff compares with GNU diff -u on the same files (headers
// aside, which carry timestamps).
func TestAgainstDiff(t *testing.T) {
	testenv.Tool(t, "diff", "diffutils")
	base := "<domain>\n  <name>a</name>\n  <uuid>u</uuid>\n  <memory>1</memory>\n  <vcpu>1</vcpu>\n  <os/>\n  <devices/>\n  <x/>\n</domain>\n"
	tests := []struct{ a, b string }{
		{base, strings.Replace(base, "  <uuid>u</uuid>\n", "  <uuid>u</uuid>\n  <genid>g</genid>\n", 1)},
		{base, strings.Replace(base, "<vcpu>1</vcpu>", "<vcpu>2</vcpu>", 1)},
		{base, strings.Replace(base, "<name>a</name>", "<name>b</name>", 1)},
		{base, strings.Replace(base, "</domain>\n", "</domain>", 1)},
		{"a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"},
		{"one\n", "one\ntwo\n"},
		{"x\n", "y\n"},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.WriteFile(a, []byte(tc.a), 0o644)
		os.WriteFile(b, []byte(tc.b), 0o644)
		out, _ := exec.Command("diff", "-u", a, b).Output()
		want := out[bytes.Index(out, []byte("\n@@"))+1:]
		got := Diff("a", "b", []byte(tc.a), []byte(tc.b))
		got = got[strings.Index(got, "\n@@")+1:]
		if got != string(want) {
			t.Errorf("case %d:\ngot:\n%s\ndiff -u:\n%s", i, got, want)
		}
	}
	if Diff("a", "b", []byte("same"), []byte("same")) != "" {
		t.Error("equal texts give a diff")
	}
}
