package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/inventory"
)

// blockingItem is a file whose read never returns until released, as a
// read from a dead NFS server or a stuck FUSE file system.
type blockingItem struct {
	path    string
	release chan struct{}
}

func (b blockingItem) Path() string { return b.path }

func (b blockingItem) Read([]byte) inventory.Batch {
	<-b.release
	return inventory.Batch{Skipped: true}
}

type listSource []inventory.Item

func (l listSource) Items(_ context.Context, yield func(inventory.Item) bool) error {
	for _, it := range l {
		if !yield(it) {
			break
		}
	}
	return nil
}

// TestReadTimeout: items that are not read within the timeout become
// error records, in their place, and the audit reads everything else,
// even when every worker is stuck at once.
func TestReadTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var items listSource
	for i := 0; i < 5; i++ { // more stuck items than workers
		items = append(items, blockingItem{"stuck" + string(rune('a'+i)), release})
	}
	dir := t.TempDir()
	var paths []string
	for _, f := range []string{"a.vmx", "b.vmx"} {
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, []byte(".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	start := time.Now()
	var order []string
	res, err := Run(append([]inventory.Source{items}, files(t, paths...)...), Options{Workers: 2, ReadTimeout: 50 * time.Millisecond, Emit: func(r *Record) error {
		order = append(order, r.Path+":"+string(r.Status))
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %s", el)
	}
	want := "stucka:error stuckb:error stuckc:error stuckd:error stucke:error " + dir + "/a.vmx:ok " + dir + "/b.vmx:ok"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("records %s\nwant    %s", got, want)
	}
	for _, e := range res.Entries[:5] {
		if !strings.Contains(e.Message, "no data within 50ms (a hung network or FUSE file system?); not read") {
			t.Errorf("%s: %q", e.Path, e.Message)
		}
	}
}
