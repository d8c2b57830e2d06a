package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/fleetgen"
)

// TestAuditOutputStable audits a generated inventory (1 000 source VMs,
// seed 1, no disk images: the benchmark's make-up at a twentieth of its
// size) and compares the digests of the text, --json and --jsonl outputs
// with those the audit gave before its reading was made fast
// (testdata/audit-fleet.sha256): speed work must not change one byte.
// GENID_UPDATE_GOLDEN=1 rewrites the file, for a change of output that is
// meant.
func TestAuditOutputStable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "inv")
	if _, err := fleetgen.GenerateWith(dir, fleetgen.Options{VMs: 1000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(testdataDir(t), "audit-fleet.sha256")
	t.Chdir(dir) // paths in the output are relative, as the golden digests were taken
	var got strings.Builder
	for _, mode := range []string{"text", "json", "jsonl"} {
		args := []string{appName, "audit", "--fail-on", "none"}
		if mode != "text" {
			args = append(args, "--"+mode)
		}
		var stdout, stderr bytes.Buffer
		if code := run(append(args, "."), strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("audit %s: exit %d: %s", mode, code, stderr.String())
		}
		sum := sha256.Sum256(stdout.Bytes())
		fmt.Fprintf(&got, "%s %s %d\n", hex.EncodeToString(sum[:]), mode, stdout.Len())
	}
	if os.Getenv("GENID_UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("audit output changed (digest, mode, bytes):\n got %s\nwant %s", got.String(), want)
	}
}

// testdataDir returns this package's testdata directory, whatever the
// test's working directory is now.
func testdataDir(t *testing.T) string {
	t.Helper()
	_, err := os.Stat("testdata")
	if err != nil {
		t.Fatal("testdata not found from the package directory")
	}
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
