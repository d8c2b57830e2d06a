package proxmox

import (
	"reflect"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

func TestCommand(t *testing.T) {
	id := genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	got, err := Command("101", id)
	if want := []string{"qm", "set", "101", "--vmgenid", "09512cc5-940a-8987-b950-f54f631015e8"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Command = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"", "99", "0101", "1000000000", "1e3", "-101", "101; rm -rf /"} {
		if _, err := Command(bad, id); err == nil {
			t.Errorf("Command(%q) accepted", bad)
		}
	}
	if got, want := Line(id), "vmgenid: 09512cc5-940a-8987-b950-f54f631015e8"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}
