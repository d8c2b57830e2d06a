package audit

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/fleetgen"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// BenchmarkRun audits a generated inventory of 2 000 source VMs (about
// 3 200 configurations in 6 800 files, on a warm cache): the CPU cost of
// an audit without its output. With -cpuprofile it shows where an audit's
// time goes; tools/benchaudit compares whole runs with cat and grep.
func BenchmarkRun(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "inv")
	p, err := fleetgen.Generate(dir, 2000, 7)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Run(files(b, dir), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Configs != p.Configs {
			b.Fatalf("%d configurations read, %d generated", res.Summary.Configs, p.Configs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*p.Configs), "µs/config")
}

// BenchmarkReadOne reads every file of a generated inventory of 300 source
// VMs through the audit's per-file path, grouped by what the file is (a
// format, or "skipped"): the cost of one file of each kind.
func BenchmarkReadOne(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "inv")
	if _, err := fleetgen.Generate(dir, 300, 7); err != nil {
		b.Fatal(err)
	}
	var items []inventory.Item
	for _, s := range files(b, dir) {
		if err := s.Items(context.Background(), func(it inventory.Item) bool { items = append(items, it); return true }); err != nil {
			b.Fatal(err)
		}
	}
	byKind := map[string][]inventory.Item{}
	var kinds []string
	buf := make([]byte, 8<<10)
	for _, it := range items {
		batch := it.Read(buf)
		k := "skipped"
		if len(batch.Records) == 1 {
			k = batch.Records[0].Format
		}
		if byKind[k] == nil {
			kinds = append(kinds, k)
		}
		byKind[k] = append(byKind[k], it)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		its := byKind[k]
		b.Run(k, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				its[i%len(its)].Read(buf)
				i++
			}
		})
	}
}
