package inventory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// items lists what an inventory yields, reading each item.
func items(t *testing.T, sources []Source) []*Record {
	t.Helper()
	var recs []*Record
	buf := make([]byte, 8<<10)
	for _, s := range sources {
		err := s.Items(context.Background(), func(it Item) bool {
			recs = append(recs, it.Read(buf).Records...)
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return recs
}

// TestOpen: paths are file trees read in walk order, a directory named
// twice is read once, a registered scheme goes to its package and an
// unknown one is refused.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	vmx := "displayName = \"x\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n"
	for _, name := range []string{"b.vmx", "a/c.vmx", "a.vmx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(vmx), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sources, err := Open([]string{dir, filepath.Join(dir, "a")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range items(t, sources) {
		got = append(got, strings.TrimPrefix(r.Path, dir)+" "+string(r.Status)+" "+r.Message)
	}
	want := []string{"/a/c.vmx ok ", "/a.vmx ok ", "/b.vmx ok ", "/a error already scanned as " + filepath.Join(dir, "a") + " (a symbolic link loop?)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("records\n%q\nwant\n%q", got, want)
	}

	if _, err := Open([]string{"nope://host/"}); err == nil || !strings.Contains(err.Error(), "no inventory reads nope:// URIs") {
		t.Errorf("unknown scheme: %v", err)
	}
	Register("test-inventory", func(uri string) (Source, error) { return nil, errors.New("opened " + uri) })
	if _, err := Open([]string{"test-inventory://x/"}); err == nil || err.Error() != "opened test-inventory://x/" {
		t.Errorf("registered scheme: %v", err)
	}
	if _, err := Open([]string{filepath.Join(dir, "missing")}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing path: %v", err)
	}
}
