package genidmigrate_test

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// guestBytes is the 16 bytes a QEMU guest sees for a guid= value, by the
// test's own arithmetic (docs/byte-order.md: the first three fields
// byte-swapped), not the module's.
func guestBytes(t *testing.T, guid string) string {
	b, err := hex.DecodeString(strings.ReplaceAll(guid, "-", ""))
	if err != nil || len(b) != 16 {
		t.Fatalf("expected.tsv: %q is not a GUID", guid)
	}
	b[0], b[1], b[2], b[3] = b[3], b[2], b[1], b[0]
	b[4], b[5] = b[5], b[4]
	b[6], b[7] = b[7], b[6]
	return hex.EncodeToString(b)
}

// TestCorpus reads the real-world corpus (corpus/SOURCES.md): every file
// against the value its own project's tool recorded, then the whole
// corpus through an audit.
func TestCorpus(t *testing.T) {
	f, err := os.Open("corpus/expected.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	expected := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			cols := strings.Split(l, "\t")
			expected[filepath.Join("corpus", cols[0])] = cols[1]
		}
	}
	counts := map[string]int{}
	for path, want := range expected {
		res, err := formats.ReadFile(path, nil, nil)
		status := formats.StatusOf(res, err)
		switch want {
		case "skip":
			if err == nil || formats.ExitCode(err) != formats.ExitMalformed {
				t.Errorf("%s: a look-alike read as %s: %v", path, status, err)
			}
		case "none", "auto":
			if w := map[string]formats.Status{"none": formats.StatusMissing, "auto": formats.StatusAuto}[want]; status != w {
				t.Errorf("%s: %s (%v), want %s", path, status, err, w)
			}
		default:
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			if got, w := res.ID.GuestBytes(), guestBytes(t, want); got != w {
				t.Errorf("%s: guest bytes %s, the tool's guid %s gives %s", path, got, want, w)
			}
		}
		counts[want]++
	}
	ids := len(expected) - counts["skip"] - counts["none"] - counts["auto"]
	t.Logf("corpus: %d files: %d IDs checked against their tools' output, %d without an ID, %d auto, %d look-alikes", len(expected), ids, counts["none"], counts["auto"], counts["skip"])

	sources, err := inventory.Files("corpus")
	if err != nil {
		t.Fatal(err)
	}
	res, err := audit.Run(sources, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Configs != len(expected)-counts["skip"] {
		t.Errorf("audit: %d records for %d configurations", res.Summary.Configs, len(expected)-counts["skip"])
	}
	for _, e := range res.Entries {
		if strings.HasPrefix(e.Message, audit.InternalError) {
			t.Errorf("%s: %s", e.Path, e.Message)
		}
	}
	for _, fd := range res.Findings {
		switch fd.Kind {
		case "missing":
			if w := expected[fd.Paths[0]]; w != "none" && w != "auto" {
				t.Errorf("audit: missing %s, which has an ID (%s)", fd.Paths[0], w)
			}
		default:
			t.Errorf("audit: %s finding: %s %v", fd.Kind, fd.Message, fd.Paths)
		}
	}
	t.Logf("audit: %d configurations, %d skipped, findings %v", res.Summary.Configs, res.Summary.Skipped, res.Summary.Findings)
}
