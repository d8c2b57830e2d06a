package audit

import (
	"context"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

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
// VMs (no disk images) through the audit's per-file path, grouped by what
// the file is (a format, or "skipped"): the cost of one file of each kind.
// Each iteration also opens and reads the same file whole with plain
// system calls, the least any reader must do, timed apart: x-read is the
// audit's cost over that floor for the format (target: 2 or less).
func BenchmarkReadOne(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "inv")
	if _, err := fleetgen.GenerateWith(dir, fleetgen.Options{VMs: 300, Seed: 7}); err != nil {
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
	buf := make([]byte, 8<<10, 128<<10)
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
	raw := make([]byte, 1<<20)
	for _, k := range kinds {
		its := byKind[k]
		b.Run(k, func(b *testing.B) {
			b.ReportAllocs()
			var audit, floor time.Duration
			i := 0
			for b.Loop() {
				it := its[i%len(its)]
				i++
				t0 := time.Now()
				it.Read(buf)
				t1 := time.Now()
				readRaw(b, it.(interface{ Path() string }).Path(), raw)
				audit, floor = audit+t1.Sub(t0), floor+time.Since(t1)
			}
			b.ReportMetric(float64(floor.Nanoseconds())/float64(b.N), "read-ns/op")
			b.ReportMetric(float64(audit)/float64(floor), "x-read")
		})
	}
}

// readRaw opens and reads a file whole with plain system calls.
func readRaw(b *testing.B, path string, buf []byte) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	for {
		n, err := syscall.Read(fd, buf)
		if n <= 0 || err != nil {
			break
		}
	}
	syscall.Close(fd)
}
