package qemuargs

import (
	"errors"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

func TestScan(t *testing.T) {
	info, err := Scan([]string{"LC_ALL=C", "/usr/bin/qemu-system-x86_64", "-name", "guest=dc01,,x,debug-threads=on", "-uuid", "u",
		"-device", "virtio-net,netdev=n0", "-device", `{"driver":"vmgenid","guid":"09512cc5-940a-8987-b950-f54f631015e8","id":"vmgenid0"}`})
	if err != nil {
		t.Fatal(err)
	}
	if info.Program != "/usr/bin/qemu-system-x86_64" || info.Name != "dc01,x" || info.UUID != "u" || len(info.Devices) != 1 || info.Devices[0].Index != 9 {
		t.Errorf("Scan = %+v", info)
	}
	id, d, err := info.GenID()
	if err != nil || id.Windows() != "8987940a09512cc5:e81510634ff550b9" || !d.JSON || d.ID != "vmgenid0" {
		t.Errorf("GenID = %v, %+v, %v", id, d, err)
	}
}

func TestGenIDErrors(t *testing.T) {
	tests := []struct {
		args     []string
		notFound bool
		index    int
	}{
		{[]string{"qemu"}, true, 0},
		{[]string{"qemu", "-device", "vmgenid"}, true, 0},
		{[]string{"qemu", "-device", "vmgenid,guid=AUTO"}, true, 0},
		{[]string{"qemu", "-device", "vmgenid,guid=x"}, false, 2},
		{[]string{"qemu", "-device", "vmgenid", "-device", "driver=vmgenid"}, false, 4},
	}
	for _, tc := range tests {
		info, err := Scan(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = info.GenID()
		var ae *ArgError
		switch {
		case tc.notFound && !errors.Is(err, genid.ErrNotFound):
			t.Errorf("%q: %v, want ErrNotFound", tc.args, err)
		case !tc.notFound && (!errors.As(err, &ae) || ae.Index != tc.index):
			t.Errorf("%q: %v, want an ArgError at %d", tc.args, err, tc.index)
		}
	}
	if _, err := Scan([]string{"qemu", "-device", "{bad"}); err == nil {
		t.Error("broken JSON device accepted")
	}
}
