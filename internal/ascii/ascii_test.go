package ascii

import "testing"

func TestEqualFold(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"vm.genidX", "vm.genidx", true},
		{"VM.GENIDX", "vm.genidx", true},
		{"vm.genid", "vm.genidx", false},
		{"\u212a", "k", false}, // the Kelvin sign folds to k in Unicode, not in ASCII
		{"", "", true},
	} {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
