package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// TestManPages: generate --man writes a page per command that groff
// renders without a warning, the same bytes every time, with the exit
// table in it and, for a command with --json, its JSON fields.
func TestManPages(t *testing.T) {
	groff := testenv.Tool(t, "groff", "groff-base")
	a, b := t.TempDir(), t.TempDir()
	runCLI(t, "generate", "--man", a)
	runCLI(t, "generate", "--man", b)
	pages, _ := filepath.Glob(filepath.Join(a, "*.1"))
	if len(pages) < 9 {
		t.Fatalf("pages: %q", pages)
	}
	for _, p := range pages {
		x, _ := os.ReadFile(p)
		y, _ := os.ReadFile(filepath.Join(b, filepath.Base(p)))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", filepath.Base(p))
		}
		cmd := exec.Command(groff, "-ww", "-man", "-Tutf8", p)
		cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Errorf("%s: %v %s", filepath.Base(p), err, stderr.String())
		}
		if filepath.Base(p) != "genid-migrate-generate.1" && !bytes.Contains(out, []byte("EXIT STATUS")) {
			t.Errorf("%s has no exit status table", filepath.Base(p))
		}
		command := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "genid-migrate-"), ".1")
		if tables := jsonDocs[command]; len(tables) > 0 {
			for _, f := range tables[0].Fields {
				if !bytes.Contains(x, []byte(`\fB`+f.Name+`\fP`)) {
					t.Errorf("%s: no JSON field %s", filepath.Base(p), f.Name)
				}
			}
			if !bytes.Contains(x, []byte(".SH JSON OUTPUT\n")) {
				t.Errorf("%s has no JSON OUTPUT section", filepath.Base(p))
			}
		}
	}
}

// TestBashCompletion loads the script in a real bash and completes
// commands, flags and flag values.
func TestBashCompletion(t *testing.T) {
	bash := realTool(t, "bash")
	script := filepath.Join(t.TempDir(), "genid-migrate.bash")
	runCLI(t, "generate", "--completion", "bash", script)
	for _, tc := range []struct{ words, want string }{
		{"genid-migrate conv", "convert"},
		{"genid-migrate convert --to qe", "qemu qemu-json"},
		{"genid-migrate audit --fail", "--fail-on"},
		{"genid-migrate audit --fail-on mis", "mismatch missing"},
		{"genid-migrate show --format vm", "vmx"},
		{"genid-migrate plan --pa", "--pairs --password-file"},
	} {
		words := strings.Fields(tc.words)
		prog := "source " + script + "; complete -p genid-migrate >/dev/null || exit 9; COMP_WORDS=(" + tc.words + "); COMP_CWORD=" + string(rune('0'+len(words)-1)) + "; _genid_migrate; echo \"${COMPREPLY[*]}\""
		out, err := exec.Command(bash, "-c", prog).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("%q: %q %v, want %q", tc.words, out, err, tc.want)
		}
	}
}
