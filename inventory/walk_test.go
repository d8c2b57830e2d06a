package inventory

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWalkMatchesWalkDir: the walker lists a tree's files in the order,
// and with the paths, that filepath.WalkDir gives (the standard library
// as the reference), for roots spelled in several ways, with links to
// files and directories (not followed), a named pipe, empty directories
// and names that sort in byte order.
func TestWalkMatchesWalkDir(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"b", "a", "B", "a.b", "a-b", "z\xff", "é", "_x", "10", "9"}
	for i, n := range names {
		d := filepath.Join("inv", n, names[(i+3)%len(names)])
		must(os.MkdirAll(d, 0o755))
		for j := 0; j < 3; j++ {
			must(os.WriteFile(filepath.Join(d, fmt.Sprintf("%s-%d.vmx", names[(i+j)%len(names)], j)), []byte("x"), 0o644))
		}
		must(os.WriteFile(filepath.Join("inv", n, "top"), nil, 0o644))
	}
	must(os.MkdirAll(filepath.Join("inv", "empty", "deeper"), 0o755))
	must(os.Symlink("../a", filepath.Join("inv", "b", "to-a")))
	must(os.Symlink("top", filepath.Join("inv", "b", "to-top")))
	must(syscall.Mkfifo(filepath.Join("inv", "a", "pipe"), 0o644))

	for _, root := range []string{"inv", "inv/", "./inv", "./inv//", filepath.Join(base, "inv"), "inv/../inv"} {
		var want []string
		filepath.WalkDir(strings.TrimRight(root, "/")+"/", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				want = append(want, p)
			}
			return nil
		})
		var got []string
		srcs, err := Files(root)
		must(err)
		for _, s := range srcs {
			must(s.Items(context.Background(), func(it Item) bool {
				got = append(got, it.(*file).path)
				return true
			}))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("root %q:\n got %q\nwant %q", root, got, want)
		}
	}
}
