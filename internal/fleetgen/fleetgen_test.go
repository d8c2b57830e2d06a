package fleetgen

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, err := Generate(filepath.Join(dir, "a"), 200, 9)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(filepath.Join(dir, "b"), 200, 9)
	if err != nil {
		t.Fatal(err)
	}
	strip := func(p *Plants, root string) string {
		return strings.ReplaceAll(strings.Join(append(append(p.Missing, p.Malformed...), p.NoVM...), ","), root, "")
	}
	if a.Configs != b.Configs || a.Files != b.Files || a.Bytes != b.Bytes || strip(a, filepath.Join(dir, "a")) != strip(b, filepath.Join(dir, "b")) || !reflect.DeepEqual(len(a.Mismatch), len(b.Mismatch)) {
		t.Errorf("the same seed gave different inventories: %+v / %+v", a, b)
	}
	if _, err := Generate(filepath.Join(dir, "a"), 1, 1); err == nil {
		t.Error("Generate wrote into an existing directory")
	}
}
