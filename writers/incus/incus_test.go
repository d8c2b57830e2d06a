package incus

import "testing"

func TestValidName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"dc01", true},
		{"win2019-dc01", true},
		{"remote:dc01", true},
		{"my.remote_1:dc01", true},
		{"", false},
		{"1dc", false},
		{"-dc", false},
		{"dc-", false},
		{"dc01; rm -rf /", false},
		{"dc 01", false},
		{"a:b:c", false},
		{"x:", false},
		{"dc_01", false},
		{string(make([]byte, 64)), false},
	} {
		if err := ValidName(tc.name); (err == nil) != tc.ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
