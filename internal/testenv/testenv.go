// Package testenv is what tests ask of the machine they run on: real tools
// (QEMU, libvirt, diff), the real Hyper-V samples kept beside the
// repository, and time. Outside CI a test whose needs are not met skips
// with the reason; under CI=true it fails, because CI installs everything.
// Every time limit of a test that runs real components derives from
// [Timeout], the one knob for a slow or loaded machine.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// CI reports whether the tests run under CI=true.
func CI() bool { return os.Getenv("CI") == "true" }

// Missing skips the test, or under CI fails it, because something it
// needs is absent; the message says what and how to get it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if CI() {
		t.Fatalf("required in CI: "+format, args...)
	}
	t.Skipf("skipped: "+format, args...)
}

// Tool returns the path of the executable name, or calls [Missing] naming
// the Debian package that provides it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s is not installed (apt-get install %s)", name, pkg)
	}
	return p
}

// File checks that path exists, or calls [Missing] with why it is needed.
func File(t testing.TB, path, why string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, "%s: %v", why, err)
	}
}

// samplesDir is where the real Hyper-V samples are, from the module root:
// beside the repository, never in it (several are AGPL-3.0).
const samplesDir = "../shared/samples/hyperv"

// Samples returns the directory of the real Hyper-V samples, given the
// test's path to the module root ("..", "../.."), or calls [Missing].
func Samples(t testing.TB, root string) string {
	t.Helper()
	dir, ok := OptionalSamples(t, root)
	if !ok {
		Missing(t, "the real Hyper-V samples are not at %s", dir)
	}
	return dir
}

// OptionalSamples is [Samples] for tests that fall back to synthetic
// containers outside CI: it reports whether the samples are there, and
// under CI requires them.
func OptionalSamples(t testing.TB, root string) (string, bool) {
	t.Helper()
	dir := filepath.Join(root, filepath.FromSlash(samplesDir))
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		if CI() {
			t.Fatalf("required in CI: the real Hyper-V samples: %v", err)
		}
		return dir, false
	}
	return dir, true
}

// Timeout returns base scaled by GENID_TEST_TIMEOUT_SCALE (a number, 1 if
// unset): the bases are generous for two loaded cores, and the scale is
// for slower machines.
func Timeout(base time.Duration) time.Duration {
	if f, err := strconv.ParseFloat(os.Getenv("GENID_TEST_TIMEOUT_SCALE"), 64); err == nil && f > 0 {
		return time.Duration(float64(base) * f)
	}
	return base
}
