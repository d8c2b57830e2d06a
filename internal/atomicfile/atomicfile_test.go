package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "dom.xml")
	if err := os.WriteFile(p, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	res, err := Replace(p, []byte("old\n"), []byte("new\n"), ".bak")
	backup := res.Backup
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new\n" {
		t.Errorf("file holds %q", b)
	}
	if b, _ := os.ReadFile(backup); backup != p+".bak" || string(b) != "old\n" {
		t.Errorf("backup %s holds %q", backup, b)
	}
	for _, f := range []string{p, backup} {
		if st, _ := os.Stat(f); st.Mode().Perm() != 0o640 {
			t.Errorf("%s mode %v, want 0640", f, st.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d files, want 2 (no temporary files left)", len(entries))
	}
}

func TestReplaceRefusesAChangedFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "dom.xml")
	os.WriteFile(p, []byte("changed by someone else\n"), 0o644)
	_, err := Replace(p, []byte("what we read\n"), []byte("new\n"), "")
	if err == nil || !strings.Contains(err.Error(), "changed while it was being edited") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "changed by someone else\n" {
		t.Errorf("file holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
}

func TestReplaceFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.xml")
	link := filepath.Join(dir, "link.xml")
	os.WriteFile(real, []byte("old"), 0o600)
	if err := os.Symlink("real.xml", link); err != nil {
		t.Skip(err)
	}
	if _, err := Replace(link, []byte("old"), []byte("new"), ""); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}

func TestReplaceMissingDirectoryLeavesNothing(t *testing.T) {
	if _, err := Replace(filepath.Join(t.TempDir(), "nope", "dom.xml"), nil, []byte("x"), ""); err == nil {
		t.Fatal("no error for a missing file")
	}
}

// TestConcurrentReplace: of many processes' worth of concurrent edits of
// one file from the same original, exactly one lands and every other is
// refused with a message; none is lost silently.
func TestConcurrentReplace(t *testing.T) {
	for trial := 0; trial < 200; trial++ {
		p := filepath.Join(t.TempDir(), "dom.xml")
		os.WriteFile(p, []byte("old\n"), 0o644)
		const n = 2
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func(i int) {
				_, err := Replace(p, []byte("old\n"), []byte(fmt.Sprintf("new %d\n", i)), "")
				errs <- err
			}(i)
		}
		ok := 0
		for i := 0; i < n; i++ {
			if err := <-errs; err == nil {
				ok++
			} else if !strings.Contains(err.Error(), "changed while it was being edited") {
				t.Fatalf("trial %d: %v", trial, err)
			}
		}
		if ok != 1 {
			t.Fatalf("trial %d: %d edits reported success", trial, ok)
		}
	}
}

// TestStaleTempRemoved: a temporary file a killed run left is removed by
// the next edit of the same file, and said.
func TestStaleTempRemoved(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "dom [1].xml")
	os.WriteFile(p, []byte("old\n"), 0o644)
	stale := filepath.Join(dir, ".dom [1].xml"+tmpMarker+"123456")
	os.WriteFile(stale, []byte("half"), 0o644)
	backup := filepath.Join(dir, ".dom [1].xml.bak"+tmpMarker+"7")
	os.WriteFile(backup, []byte("half a backup"), 0o644)
	mine := filepath.Join(dir, ".dom [1].xml.tmp-9") // not this package's name
	os.WriteFile(mine, []byte("someone else's"), 0o644)
	res, err := Replace(p, []byte("old\n"), []byte("new\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 2 {
		t.Errorf("removed %q", res.Removed)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file this package did not make was removed")
	}
}
