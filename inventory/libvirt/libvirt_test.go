package libvirt_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/testenv"
	"github.com/genid-migrate/genid-migrate/inventory"
	"github.com/genid-migrate/genid-migrate/inventory/libvirt"
)

// The seed VMware VM's GUID for QEMU (vectors.json seed-vmware) and the
// seed Hyper-V VM's (seed-hyperv).
const (
	seedGUID   = "09512cc5-940a-8987-b950-f54f631015e8"
	hyperVGUID = "be334a43-6992-fe6f-e489-09257a285a80"
)

// domain is a small QEMU domain (TCG, no disk) with the given <genid>
// line ("" for none).
func domain(name, uuid, genid string) string {
	if genid != "" {
		genid = "\n  " + genid
	}
	return fmt.Sprintf(`<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>%s
  <memory unit='MiB'>128</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
`, name, uuid, genid)
}

func define(t *testing.T, d *testenv.Libvirtd, name, xml string) {
	t.Helper()
	d.Virsh(t, "define", d.WriteFile(t, name+".xml", []byte(xml)))
}

// TestAudit audits a real session daemon's domains: a domain and its
// clone sharing an ID, one without, and a running domain whose definition
// was changed after it started (libvirt then holds two IDs for it).
func TestAudit(t *testing.T) {
	testenv.Tool(t, "qemu-system-x86_64", "qemu-system-x86")
	d := testenv.LibvirtSession(t)
	define(t, d, "dc01", domain("dc01", "421a6b2c-5e77-0d91-3f4e-82c190aa175b", "<genid>"+seedGUID+"</genid>"))
	define(t, d, "dc01-clone", domain("dc01-clone", "5f0c8c8e-2b2a-4c3e-9d65-7a1c3e2b9f00", "<genid>"+seedGUID+"</genid>"))
	define(t, d, "web", domain("web", "6a1d9e2f-3c4b-4d5e-8f70-8b2d4f3c0a11", ""))
	define(t, d, "run1", domain("run1", "7b2e0f30-4d5c-4e6f-9081-9c3e5a4d1b22", "<genid>"+hyperVGUID+"</genid>"))
	d.Virsh(t, "start", "run1")
	define(t, d, "run1", domain("run1", "7b2e0f30-4d5c-4e6f-9081-9c3e5a4d1b22", "<genid>"+seedGUID+"</genid>"))

	sources, err := inventory.Open(context.Background(), []string{d.URI("qemu")}, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer inventory.CloseAll(sources)
	var recs []*inventory.Record
	res, err := audit.Run(sources, audit.Options{Emit: func(r *inventory.Record) error { recs = append(recs, r); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	seed, hv := genid.MustParseGUID(seedGUID), genid.MustParseGUID(hyperVGUID)
	want := []struct {
		name, status, g, live string
	}{
		{"dc01", "ok", seed.GuestBytes(), ""},
		{"dc01-clone", "ok", seed.GuestBytes(), ""},
		{"run1", "ok", seed.GuestBytes(), hv.GuestBytes()},
		{"web", "missing", "", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records: %+v", len(recs), recs)
	}
	for i, w := range want {
		r := recs[i]
		if r.Path != "qemu:///session/"+w.name || string(r.Status) != w.status || r.GuestBytes != w.g || r.LiveGuestBytes != w.live || r.Format != formats.Libvirt || r.Role != "target" {
			t.Errorf("record %d: %+v; want %+v", i, r, w)
		}
	}
	kinds := map[string][]string{}
	for _, f := range res.Findings {
		kinds[f.Kind] = append(kinds[f.Kind], strings.Join(f.Paths, " "))
	}
	// run1's definition now holds the same ID as dc01: three files of
	// different VMs share it.
	if got := kinds["duplicate"]; len(got) != 1 || got[0] != "qemu:///session/dc01 qemu:///session/dc01-clone qemu:///session/run1" {
		t.Errorf("duplicates %q", got)
	}
	if got := kinds["live-differs"]; len(got) != 1 || got[0] != "qemu:///session/run1" {
		t.Errorf("live-differs %q", got)
	}
	if got := kinds["missing"]; len(got) != 1 || got[0] != "qemu:///session/web" {
		t.Errorf("missing %q", got)
	}

	// The running guest's bytes, through libvirt's monitor passthrough.
	conn, err := libvirt.Dial(d.URI("qemu"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	dom, err := conn.Lookup("run1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testenv.Timeout(3*time.Minute))
	defer cancel()
	g, r, err := formats.ReadGuest(ctx, conn.Monitor(dom), "run1", "run1", testenv.Timeout(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != hv || !r.Consistent {
		t.Errorf("the running guest sees %s (QMP %s), want %s", g.ID.Windows(), r.HostGUID, hv.Windows())
	}
}

// TestDialErrors: a missing socket names where it looked; unknown drivers
// and transports are refused.
func TestDialErrors(t *testing.T) {
	for uri, want := range map[string]string{
		"qemu:///session?socket=/nonexistent/sock": "no libvirt daemon socket at /nonexistent/sock",
		"xen:///system":          "the xen driver is not read",
		"qemu+ssh://host/system": `transport "ssh" is not supported`,
		"qemu://host/system":     "a local URI names no host",
	} {
		if _, err := libvirt.Dial(uri); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Dial(%q) = %v, want %q", uri, err, want)
		}
	}
}
