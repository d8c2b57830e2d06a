package audit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/fleetgen"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// files returns the inventory of paths, failing the test if one is missing.
func files(tb testing.TB, paths ...string) []inventory.Source {
	tb.Helper()
	s, err := inventory.Files(paths...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestPlantsFoundExactly generates an inventory and checks that audit's
// findings are exactly what the generator planted: no misses, no false
// positives.
func TestPlantsFoundExactly(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		dir := filepath.Join(t.TempDir(), "inv")
		plants, err := fleetgen.Generate(dir, 1500, seed)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(files(t, dir), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		var dups, mism []string
		mistakes := map[string]string{}
		for _, f := range res.Findings {
			switch f.Kind {
			case "duplicate":
				dups = append(dups, strings.Join(sorted(f.Paths), "|"))
			case "mismatch":
				k := f.Paths[0] + "|" + f.Paths[1]
				mism = append(mism, k)
				mistakes[k] = "unrelated"
				if len(f.Diagnosis) > 0 {
					mistakes[k] = f.Diagnosis[0].Mistake
				}
			default:
				got[f.Kind] = append(got[f.Kind], f.Paths[0])
			}
		}
		var wantDups, wantMism []string
		for _, g := range plants.Duplicate {
			wantDups = append(wantDups, strings.Join(sorted(g), "|"))
		}
		for _, m := range plants.Mismatch {
			k := m[0] + "|" + m[1]
			wantMism = append(wantMism, k)
			if mistakes[k] != m[2] && mistakes[k] != "" {
				t.Errorf("seed %d: %s diagnosed %s, planted %s", seed, k, mistakes[k], m[2])
			}
		}
		status := map[Status][]string{}
		for _, e := range res.Entries {
			status[e.Status] = append(status[e.Status], e.Path)
		}
		checks := []struct {
			what      string
			got, want []string
		}{
			{"duplicate", dups, wantDups},
			{"mismatch", mism, wantMism},
			{"missing", got["missing"], plants.Missing},
			{"malformed", got["malformed"], plants.Malformed},
			{"incomplete", got["incomplete"], plants.Incomplete},
			{"error", got["error"], nil},
			{"no-vm records", status[StatusNoVM], plants.NoVM},
			{"checkpoint records", status[StatusCheckpoint], plants.Checkpoint},
		}
		for _, c := range checks {
			if !reflect.DeepEqual(sorted(c.got), sorted(c.want)) {
				t.Errorf("seed %d: %s: found %d, planted %d\nfound   %q\nplanted %q", seed, c.what, len(c.got), len(c.want), sorted(c.got), sorted(c.want))
			}
		}
		if res.Summary.Configs != plants.Configs {
			t.Errorf("seed %d: %d records, %d configurations planted", seed, res.Summary.Configs, plants.Configs)
		}
		if len(plants.Duplicate) == 0 || len(plants.Mismatch) == 0 || len(plants.Malformed) == 0 || len(plants.Backups) == 0 {
			t.Errorf("seed %d: the inventory lacks some plant kinds: %+v", seed, plants)
		}
		t.Logf("seed %d: %d configurations; found exactly %d duplicate, %d mismatch, %d missing, %d malformed, %d incomplete", seed, plants.Configs, len(dups), len(mism), len(plants.Missing), len(plants.Malformed), len(plants.Incomplete))
	}
}

// golden runs an audit of a small generated inventory, with relative
// paths, through a writer.
func golden(t *testing.T, name string, newWriter func(*bytes.Buffer) Writer) {
	t.Helper()
	var buf bytes.Buffer
	w := newWriter(&buf)
	res, err := Run(files(t, "inv"), Options{Emit: w.Record})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(res); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(testdataDir, name)
	if os.Getenv("GENID_UPDATE_GOLDEN") != "" {
		os.WriteFile(file, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (GENID_UPDATE_GOLDEN=1 writes it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the golden file (GENID_UPDATE_GOLDEN=1 rewrites it)\n%s", name, buf.String())
	}
}

var testdataDir string

func TestGoldenOutputs(t *testing.T) {
	var err error
	testdataDir, err = filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if _, err := fleetgen.Generate("inv", 40, 3); err != nil {
		t.Fatal(err)
	}
	golden(t, "golden.txt", func(b *bytes.Buffer) Writer { return &TextWriter{W: b, All: true} })
	golden(t, "golden.json", func(b *bytes.Buffer) Writer { return NewJSONWriter(b) })
	golden(t, "golden.jsonl", func(b *bytes.Buffer) Writer { return NewJSONLWriter(b) })
	golden(t, "golden.csv", func(b *bytes.Buffer) Writer { return NewCSVWriter(b) })
}

// TestMerge: per-site JSONL reports, merged, give the same records and
// findings as one audit of everything.
func TestMerge(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, err := fleetgen.Generate("inv", 300, 4); err != nil {
		t.Fatal(err)
	}
	whole, err := Run(files(t, "inv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range whole.Entries {
		if strings.HasPrefix(e.Message, InternalError) {
			t.Errorf("%s: %s", e.Path, e.Message)
		}
	}
	sites := []string{"inv/hyperv", "inv/hyperv-2012", "inv/libvirt", "inv/proxmox", "inv/vmware"}
	var reports []string
	for i, s := range sites {
		if _, err := os.Stat(s); err != nil {
			continue
		}
		var buf bytes.Buffer
		w := NewJSONLWriter(&buf)
		res, err := Run(files(t, s), Options{Emit: w.Record})
		if err != nil {
			t.Fatal(err)
		}
		w.Finish(res)
		name := filepath.Join("reports", string(rune('a'+i))+".jsonl")
		os.MkdirAll("reports", 0o755)
		os.WriteFile(name, buf.Bytes(), 0o644)
		reports = append(reports, name)
	}
	merged, err := Run(files(t, reports...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if merged.Summary.Reports != len(reports) || merged.Summary.Configs != whole.Summary.Configs {
		t.Fatalf("merged %d reports, %d records; whole %d", merged.Summary.Reports, merged.Summary.Configs, whole.Summary.Configs)
	}
	key := func(es []Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Path+" "+string(e.Status)+" "+e.Identity+" "+e.Role)
		}
		return sorted(out)
	}
	if !reflect.DeepEqual(key(merged.Entries), key(whole.Entries)) {
		t.Error("merged records differ from the whole audit's")
	}
	fkey := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Kind+" "+strings.Join(f.Paths, ","))
		}
		return sorted(out)
	}
	if !reflect.DeepEqual(fkey(merged.Findings), fkey(whole.Findings)) {
		t.Errorf("merged findings differ:\n%q\n%q", fkey(merged.Findings), fkey(whole.Findings))
	}
}

// FuzzDecodeReport: whatever decodes, written back as JSONL, decodes to the
// same records.
func FuzzDecodeReport(f *testing.F) {
	f.Add("{\"type\":\"header\",\"schema_version\":1}\n{\"type\":\"record\",\"path\":\"a.vmx\",\"format\":\"vmx\",\"status\":\"ok\",\"guest_bytes\":\"c52c51090a948789b950f54f631015e8\"}\n{\"type\":\"summary\"}\n")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		recs, err := inventory.DecodeReport(strings.NewReader(in), "r.jsonl")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		w := NewJSONLWriter(&buf)
		for _, r := range recs {
			w.Record(r)
		}
		w.Finish(&Result{Summary: Summary{}})
		again, err := inventory.DecodeReport(&buf, "r.jsonl")
		if err != nil {
			t.Fatalf("re-reading our own output: %v", err)
		}
		if !reflect.DeepEqual(recs, again) {
			t.Fatalf("round trip changed the records:\n%+v\n%+v", recs, again)
		}
	})
}

type panicky struct{}

func (panicky) Read([]byte) inventory.Batch { panic("a reader bug") }
func (panicky) Path() string                { return "vm/broken.vmx" }

type panickySource struct{}

func (panickySource) Items(_ context.Context, yield func(inventory.Item) bool) error {
	yield(panicky{})
	return nil
}

// TestPanicIsolated: a reader that panics gives an error record naming
// the file, and the audit goes on.
func TestPanicIsolated(t *testing.T) {
	src, err := inventory.Files("testdata")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(append([]inventory.Source{panickySource{}}, src...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Entries[0]
	if e.Path != "vm/broken.vmx" || e.Status != StatusError || !strings.HasPrefix(e.Message, InternalError) || len(res.Entries) < 2 {
		t.Errorf("%+v (%d entries)", e, len(res.Entries))
	}
}
