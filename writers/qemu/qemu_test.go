package qemu

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

func TestWriters(t *testing.T) {
	// The seed VMware VM (vectors.json seed-vmware).
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	if got, want := Device(id), "vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0"; got != want {
		t.Errorf("Device = %q, want %q", got, want)
	}
	if got, want := Args(id), []string{"-device", "vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Args = %q, want %q", got, want)
	}
	// The shape of libvirt's tests/qemuxmlconfdata/genid.x86_64-latest.args.
	if got, want := DeviceJSON(genid.MustParseGUID("e9392370-2917-565e-692b-d057f46512d6")), `{"driver":"vmgenid","guid":"e9392370-2917-565e-692b-d057f46512d6","id":"vmgenid0"}`; got != want {
		t.Errorf("DeviceJSON = %s, want %s", got, want)
	}
	var d map[string]string
	if err := json.Unmarshal([]byte(ArgsJSON(id)[1]), &d); err != nil || d["guid"] != id.GUID() {
		t.Errorf("ArgsJSON does not hold the GUID: %v %v", d, err)
	}
}
