package vmcx_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
	"github.com/genid-migrate/genid-migrate/vmcx"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// FuzzNewFile checks, for any input: errors carry an offset or are I/O
// errors; a file that opens has a tree whose every key is found again by
// its own path, whose every value reads without panicking, and whose walk
// from any key reaches a root.
func FuzzNewFile(f *testing.F) {
	// Small seeds: the fuzzer slows down badly on inputs of tens of KB, and
	// a minimal container (five pages) exercises every structure.
	minimal := vmcxbuild.Node("configuration", vmcxbuild.Node("global_settings", vmcxbuild.Node("devices", vmcxbuild.String("generation_id", idNew))))
	for _, opt := range []vmcxbuild.Options{{}, {Sequence: [2]uint16{1, 2}}, {TrimLog: true}} {
		if b, _, err := vmcxbuild.Build(minimal, opt); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		file, err := open(b)
		if err != nil {
			var fe *vmcx.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error without an offset: %v", err)
			}
			if fe.Offset < 0 || fe.Offset > int64(len(b))+1<<41 {
				t.Fatalf("offset %#x outside the file", fe.Offset)
			}
			return
		}
		for _, k := range file.Keys {
			depth := 0
			for p := k; p.Parent != nil; p = p.Parent {
				if depth++; depth > 64 {
					t.Fatal("walk to the root does not end")
				}
			}
			if !contains(file.Lookup(k.Path()), k) {
				t.Fatalf("key at %#x not found by its path %q", k.Offset, k.Path())
			}
			if k.Offset < 0 || k.Offset >= int64(len(b))+1<<20 {
				t.Fatalf("key offset %#x outside the file", k.Offset)
			}
			_, _ = k.Value()
		}
	})
}

// TestOpenReadsLittle opens a 4 GiB sparse file whose first pages are a
// real configuration and checks that little is allocated: the container's
// structures only, not the rest of the file. (Timing is in
// BenchmarkOpenSparse4GiB.)
func TestOpenReadsLittle(t *testing.T) {
	name := sparse(t)
	allocs := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			f, err := vmcx.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	if per := allocs.AllocedBytesPerOp(); per > 10<<20 {
		t.Errorf("opening a 4 GiB file allocates %d bytes, want under 10 MB", per)
	}
}

// sparse writes a 4 GiB sparse file starting with a real sample (or a
// synthetic configuration when the samples are absent outside CI).
func sparse(t testing.TB) string {
	t.Helper()
	var head []byte
	if dir, ok := testenv.OptionalSamples(t, ".."); ok {
		b, err := os.ReadFile(filepath.Join(dir, "dissect-test.vmcx"))
		if err != nil {
			t.Fatal(err)
		}
		head = b
	} else {
		head, _, _ = vmcxbuild.Build(vm(idNew), vmcxbuild.Options{})
	}
	name := filepath.Join(t.TempDir(), "big.vmrs")
	if err := os.WriteFile(name, head, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(name, 4<<30); err != nil {
		t.Skipf("cannot make a 4 GiB sparse file here: %v", err)
	}
	return name
}

// BenchmarkOpenSparse4GiB and BenchmarkOpenSmall compare opening a 4 GiB
// file with opening the same configuration on its own: they should cost
// the same (go test -bench Open -benchmem ./vmcx).
func BenchmarkOpenSparse4GiB(b *testing.B) { benchOpen(b, sparse(b)) }

func BenchmarkOpenSmall(b *testing.B) {
	head, _, _ := vmcxbuild.Build(vm(idNew), vmcxbuild.Options{})
	if s, err := os.ReadFile(filepath.Join("..", "..", "shared", "samples", "hyperv", "dissect-test.vmcx")); err == nil {
		head = s
	}
	name := filepath.Join(b.TempDir(), "small.vmcx")
	os.WriteFile(name, head, 0o644)
	benchOpen(b, name)
}

func benchOpen(b *testing.B, name string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := vmcx.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

func BenchmarkNewFileInMemory(b *testing.B) {
	head, _, _ := vmcxbuild.Build(vm(idNew), vmcxbuild.Options{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := vmcx.NewFile(bytes.NewReader(head), int64(len(head))); err != nil {
			b.Fatal(err)
		}
	}
}

// inPlace is content in memory that NewFile reads in place.
type inPlace struct {
	*bytes.Reader
	b []byte
}

func (m inPlace) Bytes() []byte { return m.b }

// BenchmarkNewFileInPlace is BenchmarkNewFileInMemory for content that
// NewFile reads in place ([vmcx.InMemory]), as an audit gives it.
func BenchmarkNewFileInPlace(b *testing.B) {
	head, _, _ := vmcxbuild.Build(vm(idNew), vmcxbuild.Options{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := vmcx.NewFile(inPlace{bytes.NewReader(head), head}, int64(len(head))); err != nil {
			b.Fatal(err)
		}
	}
}

// onlyPaths are the keys a generation ID reader builds.
var onlyPaths = []string{"configuration/properties/name", "configuration/properties/global_id", "configuration/properties/version", "configuration/properties/subtype", "configuration/global_settings/devices/generation_id"}

// FuzzNewFileOnly checks that NewFileOnly fails exactly when NewFile
// fails, with the same error, and otherwise finds at each path the keys
// NewFile finds there, alike in every field, with the same roots,
// headers, journal, tables and count of unknown entries.
func FuzzNewFileOnly(f *testing.F) {
	minimal := vmcxbuild.Node("configuration", vmcxbuild.Node("properties", vmcxbuild.String("name", "n"), vmcxbuild.Int("version", 2304)),
		vmcxbuild.Node("global_settings", vmcxbuild.Node("devices", vmcxbuild.String("generation_id", idNew), vmcxbuild.String("generation_id", idNew))))
	for _, opt := range []vmcxbuild.Options{{}, {Sequence: [2]uint16{1, 2}}, {TrimLog: true}} {
		if b, _, err := vmcxbuild.Build(minimal, opt); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		full, err1 := vmcx.NewFile(bytes.NewReader(b), int64(len(b)))
		only, err2 := vmcx.NewFileOnly(bytes.NewReader(b), int64(len(b)), onlyPaths...)
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			t.Fatalf("errors differ: NewFile %v, NewFileOnly %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		if full.Header != only.Header || full.Journal != only.Journal || !reflect.DeepEqual(full.Tables, only.Tables) || !reflect.DeepEqual(full.Objects, only.Objects) || full.Unknown() != only.Unknown() {
			t.Fatal("container facts differ")
		}
		same := func(a, b []*vmcx.Key) {
			t.Helper()
			if len(a) != len(b) {
				t.Fatalf("%d keys and %d", len(a), len(b))
			}
			for i := range a {
				va, ea := a[i].Value()
				vb, eb := b[i].Value()
				if a[i].Name != b[i].Name || a[i].Offset != b[i].Offset || a[i].Type != b[i].Type || a[i].Sequence != b[i].Sequence || a[i].Path() != b[i].Path() ||
					!reflect.DeepEqual(va, vb) || fmt.Sprint(ea) != fmt.Sprint(eb) {
					t.Fatalf("key %d differs: %+v / %+v", i, a[i], b[i])
				}
			}
		}
		same(full.Roots(), only.Roots())
		for _, p := range onlyPaths {
			same(full.Lookup(p), only.Lookup(p))
		}
	})
}

// BenchmarkNewFileOnly reads a configuration of the size and shape real
// ones have (80 KiB, some 450 keys) in place, building only the keys a
// generation ID reader needs: the cost of a .vmcx in an audit.
func BenchmarkNewFileOnly(b *testing.B) {
	spec := vmcxbuild.VM{Name: "hv", GlobalID: "6D5A1F43-0B3E-4C2B-9A17-2F1E3D4C5B6A", GenerationID: idNew, Gen2: true}
	head, _, err := vmcxbuild.Build(spec.Tree(), vmcxbuild.Options{Sequence: [2]uint16{25, 24}, LogSize: 0x9000, ExtraObjects: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(head)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vmcx.NewFileOnly(inPlace{bytes.NewReader(head), head}, int64(len(head)), onlyPaths...); err != nil {
			b.Fatal(err)
		}
	}
}
