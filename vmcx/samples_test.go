package vmcx_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedSamples returns the directory of the real Hyper-V samples kept
// beside the project (never copied into it: several are AGPL-3.0), or skips
// the test when it is absent outside CI.
func sharedSamples(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "samples", "hyperv")
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the real Hyper-V samples are required in CI: %v", err)
		}
		t.Skipf("real Hyper-V samples not found (%v)", err)
	}
	return dir
}
