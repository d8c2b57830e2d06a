package vmware

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/fleetgen"
)

// BenchmarkReadBytes reads the .vmx files of a generated inventory (about
// 150 lines each, as ESXi writes them), one after another.
func BenchmarkReadBytes(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "inv")
	if _, err := fleetgen.GenerateWith(dir, fleetgen.Options{VMs: 200, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "vmware", "*", "*", "*.vmx"))
	var files [][]byte
	size := 0
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
		size += len(data)
	}
	b.SetBytes(int64(size / len(files)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ReadBytes(files[i%len(files)])
		i++
	}
}

// TestReadFastOnInventory: on every .vmx of a generated inventory (as ESXi
// writes them, with notes, backups, clones, missing, half and malformed
// IDs) the one-pass reader answers, and answers as the full parser does.
func TestReadFastOnInventory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "inv")
	if _, err := fleetgen.GenerateWith(dir, fleetgen.Options{VMs: 600, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(p, ".vmx") || strings.HasSuffix(p, ".vmx.bak")) {
			names = append(names, p)
		}
		return nil
	})
	if len(names) < 300 {
		t.Fatalf("only %d .vmx files generated", len(names))
	}
	errs := 0
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		c1, err1, ok := readFast(data)
		if !ok {
			t.Errorf("%s: the one-pass reader gave up", n)
			continue
		}
		c2, err2 := readFull(data)
		if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(c1, c2) {
			t.Errorf("%s: fast %+v %v, full %+v %v", n, c1, err1, c2, err2)
		}
		if err1 != nil {
			errs++
		}
	}
	if errs == 0 {
		t.Error("no file with a missing, half or malformed ID among them")
	}
}
