package libvirt

import (
	"testing"

	"libvirt.org/go/libvirtxml"

	"github.com/genid-migrate/genid-migrate/genid"
)

// TestElementInDomain checks the element through libvirtxml: a domain
// carrying it marshals with <genid>, and unmarshals back to the same ID.
func TestElementInDomain(t *testing.T) {
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919)
	el, err := Element(id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<genid>09512cc5-940a-8987-b950-f54f631015e8</genid>"; el != want {
		t.Errorf("Element = %s, want %s", el, want)
	}
	d := libvirtxml.Domain{Type: "kvm", Name: "win2019-dc01", GenID: GenID(id)}
	s, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var back libvirtxml.Domain
	if err := back.Unmarshal(s); err != nil {
		t.Fatal(err)
	}
	got, err := genid.ParseGUID(back.GenID.Value)
	if err != nil || got != id {
		t.Errorf("round trip through libvirtxml = %v, %v; want %v", got, err, id)
	}
}
