package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/genid-migrate/genid-migrate/inventory"
)

// TestHostileTree: loops, dangling links, oversized and oddly named files
// become records with a reason, never a crash or a silent skip.
func TestHostileTree(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	vmx := "displayName = \"x\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n"
	must(os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "a", "b", "ok.vmx"), []byte(vmx), 0o644))
	must(os.Symlink("..", filepath.Join(dir, "a", "b", "loop")))                        // a directory loop
	must(os.Symlink("nowhere.vmx", filepath.Join(dir, "a", "dangling.vmx")))            // a dangling link
	must(os.WriteFile(filepath.Join(dir, "a", "odd-\xff\xfe.vmx"), []byte(vmx), 0o644)) // not UTF-8
	big := filepath.Join(dir, "a", "big.vmx")
	pad := strings.Repeat("pad.key = \"0123456789abcdef0123456789abcdef\"\n", (65<<20)/43+1)
	must(os.WriteFile(big, []byte(vmx+pad), 0o644)) // over the 64 MiB limit for a text configuration
	locked := filepath.Join(dir, "a", "locked.vmx")
	must(os.WriteFile(locked, []byte(vmx), 0o000))
	pipe := filepath.Join(dir, "a", "pipe.vmx")
	must(syscall.Mkfifo(pipe, 0o644)) // opening it would wait for a writer
	res, err := Run(files(t, dir, pipe), Options{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Entry{}
	for _, e := range res.Entries {
		byName[filepath.Base(e.Path)] = e
	}
	want := map[string]string{
		"ok.vmx":           string(StatusOK),
		"dangling.vmx":     "symbolic link",
		"big.vmx":          "over the 64 MiB limit",
		"odd-\xff\xfe.vmx": "not valid UTF-8",
		"pipe.vmx":         "a named pipe, not a regular file", // given as an argument
	}
	for name, w := range want {
		e, ok := byName[name]
		if !ok {
			t.Errorf("no record for %q (records: %v)", name, res.Entries)
			continue
		}
		if string(e.Status) != w && !strings.Contains(e.Message, w) {
			t.Errorf("%q: %s %q, want %q", name, e.Status, e.Message, w)
		}
	}
	// In the tree the pipe is skipped and counted; as an argument it is a
	// record. The directory link inside the tree is not followed (find -H).
	if _, ok := byName["loop"]; ok || res.Summary.Skipped != 2 || res.Summary.Files != res.Summary.Configs+2 {
		t.Errorf("summary %+v: want the pipe in the tree and the link skipped and counted", res.Summary)
	}

	// With --follow, links are followed, loops found, and a link into /proc
	// or onto another filesystem is not entered.
	must(os.Symlink("/proc", filepath.Join(dir, "a", "proc")))
	srcs, err := inventory.Open(context.Background(), []string{dir}, inventory.Options{Follow: true})
	must(err)
	res, err = Run(srcs, Options{})
	must(err)
	byName = map[string]Entry{}
	for _, e := range res.Entries {
		byName[filepath.Base(e.Path)] = e
	}
	if e := byName["loop"]; !strings.Contains(e.Message, "already scanned") {
		t.Errorf("--follow: the loop: %+v", e)
	}
	if e := byName["proc"]; !strings.Contains(e.Message, "kernel interface: not followed") {
		t.Errorf("--follow: /proc: %+v", e)
	}
	if os.Geteuid() != 0 { // root reads anything
		if e := byName["locked.vmx"]; e.Status != StatusError || !strings.Contains(e.Message, "permission denied") {
			t.Errorf("locked.vmx: %s %q", e.Status, e.Message)
		}
	}
}
