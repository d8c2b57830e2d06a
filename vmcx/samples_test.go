package vmcx_test

import (
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// sharedSamples returns the directory of the real Hyper-V samples kept
// beside the project (never copied into it: several are AGPL-3.0), or skips
// the test when it is absent outside CI.
func sharedSamples(t testing.TB) string {
	t.Helper()
	return testenv.Samples(t, "..")
}
