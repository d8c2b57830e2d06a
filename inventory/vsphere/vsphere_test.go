package vsphere

import (
	"context"
	"crypto/tls"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// The seed VMware VM's values (vectors.json seed-vmware).
const (
	seedGenID  = "-8536691797830587195"
	seedGenIDX = "-1723453263670062919"
	seedG      = "c52c51090a948789b950f54f631015e8"
)

// vcsim starts govmomi's simulator of a vCenter (the vSphere API over
// HTTPS on 127.0.0.1) with machines VMs per host and pool, and returns its
// URL, with the simulator's user and password, and a logged-in client.
func vcsim(t testing.TB, machines int) (*url.URL, *govmomi.Client) {
	t.Helper()
	m := simulator.VPX()
	m.Machine = machines
	if err := m.Create(); err != nil {
		t.Fatal(err)
	}
	m.Service.TLS = new(tls.Config) // the vSphere API is HTTPS, with vcsim's own certificate
	m.Service.Listen = &url.URL{User: url.UserPassword("administrator@vsphere.local", "s3cret-Pw")}
	s := m.Service.NewServer()
	t.Cleanup(func() { s.Close(); m.Remove() })
	c, err := govmomi.NewClient(context.Background(), s.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	return s.URL, c
}

// plant sets a VM's extraConfig through ReconfigVM_Task, as an
// administrator would; vcsim never sets vm.genid itself.
func plant(t testing.TB, c *govmomi.Client, vm *object.VirtualMachine, kv ...string) {
	t.Helper()
	var opts []types.BaseOptionValue
	for i := 0; i+1 < len(kv); i += 2 {
		opts = append(opts, &types.OptionValue{Key: kv[i], Value: kv[i+1]})
	}
	task, err := vm.Reconfigure(context.Background(), types.VirtualMachineConfigSpec{ExtraConfig: opts})
	if err != nil {
		t.Fatal(err)
	}
	if err := task.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func vmsOf(t testing.TB, c *govmomi.Client) []*object.VirtualMachine {
	t.Helper()
	f := find.NewFinder(c.Client, true)
	dc, err := f.DefaultDatacenter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.SetDatacenter(dc)
	vms, err := f.VirtualMachineList(context.Background(), "*")
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(vms, func(i, j int) bool { return vms[i].InventoryPath < vms[j].InventoryPath })
	return vms
}

// vpx returns the vpx:// URI of the simulator, as users write it: the @
// of the user name as %40.
func vpx(u *url.URL, path string) string {
	p, _ := u.User.Password()
	return "vpx://" + url.UserPassword(u.User.Username(), p).String() + "@" + u.Host + path + "?no_verify=1"
}

// TestAudit plants IDs in the simulator (a pair of clones, a malformed
// value, half an ID, none, a template) and checks that the audit of the
// vCenter reports exactly them.
func TestAudit(t *testing.T) {
	u, c := vcsim(t, 4)
	vms := vmsOf(t, c)
	if len(vms) < 8 {
		t.Fatalf("%d VMs in the simulator", len(vms))
	}
	plant(t, c, vms[0], "vm.genid", seedGenID, "vm.genidX", seedGenIDX)
	plant(t, c, vms[1], "vm.genid", seedGenID, "vm.genidx", seedGenIDX) // a clone, the key in lower case
	plant(t, c, vms[2], "vm.genid", "abc", "vm.genidX", "1")
	plant(t, c, vms[3], "vm.genid", "5")
	plant(t, c, vms[4], "vm.genid", "1", "vm.genidX", "2")
	plant(t, c, vms[5], "vm.genid", "3", "vm.genidX", "4")
	for _, i := range []int{4, 6} { // templates: one with an ID, one without
		if task, err := vms[i].PowerOff(context.Background()); err != nil || task.Wait(context.Background()) != nil {
			t.Fatal("power off", err)
		}
		if err := vms[i].MarkAsTemplate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	sources, err := inventory.Open(context.Background(), []string{vpx(u, "/")}, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer inventory.CloseAll(sources)
	var recs []*inventory.Record
	res, err := audit.Run(sources, audit.Options{Emit: func(r *inventory.Record) error { recs = append(recs, r); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(vms) {
		t.Fatalf("%d records for %d VMs", len(recs), len(vms))
	}
	byPath := map[string]*inventory.Record{}
	for _, r := range recs {
		byPath[r.Path] = r
		if strings.Contains(r.Path, "s3cret") || strings.Contains(r.Message, "s3cret") {
			t.Errorf("the password shows in %+v", r)
		}
	}
	base := "vpx://administrator%40vsphere.local@" + u.Host
	want := []struct {
		vm       *object.VirtualMachine
		status   string
		g        string
		template bool
	}{
		{vms[0], "ok", seedG, false},
		{vms[1], "ok", seedG, false},
		{vms[2], "malformed", "", false},
		{vms[3], "incomplete", "", false},
		{vms[4], "ok", "01000000000000000200000000000000", true},
		{vms[5], "ok", "03000000000000000400000000000000", false},
		{vms[6], "missing", "", true},
		{vms[7], "missing", "", false},
	}
	for _, w := range want {
		r := byPath[base+w.vm.InventoryPath]
		if r == nil {
			t.Errorf("no record at %s (records: %v)", base+w.vm.InventoryPath, keys(byPath))
			continue
		}
		if string(r.Status) != w.status || r.GuestBytes != w.g || r.Template != w.template || r.Format != Format || r.Role != "source" {
			t.Errorf("%s: %s %s template=%v %s %s (%s); want %s %s template=%v", r.Path, r.Status, r.GuestBytes, r.Template, r.Format, r.Role, r.Message, w.status, w.g, w.template)
		}
		if r.IDKind != "uuid.bios" || r.Identity == "" {
			t.Errorf("%s: identity %q from %q", r.Path, r.Identity, r.IDKind)
		}
	}
	var dups [][]string
	for _, f := range res.Findings {
		if f.Kind == "duplicate" {
			dups = append(dups, f.Paths)
		}
	}
	if len(dups) != 1 || len(dups[0]) != 2 || dups[0][0] != base+vms[0].InventoryPath || dups[0][1] != base+vms[1].InventoryPath {
		t.Errorf("duplicates %v, want the two clones", dups)
	}
	// A template never runs: no ID is not a finding (VMs deployed from it
	// get their own).
	if res.Summary.Findings["missing"] != len(vms)-7 || res.Summary.Findings["malformed"] != 1 || res.Summary.Findings["incomplete"] != 1 {
		t.Errorf("findings %v", res.Summary.Findings)
	}
}

func keys(m map[string]*inventory.Record) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestPick reads one VM by name and by inventory path, and refuses a name
// nothing has.
func TestPick(t *testing.T) {
	u, c := vcsim(t, 1)
	vms := vmsOf(t, c)
	plant(t, c, vms[0], "vm.genid", seedGenID, "vm.genidX", seedGenIDX)
	s, err := Open(context.Background(), vpx(u, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{vms[0].Name(), vms[0].InventoryPath} {
		r, err := s.Pick(context.Background(), name)
		if err != nil || r.ID.GuestBytes() != seedG || r.Format != Format {
			t.Errorf("Pick(%q) = %+v, %v", name, r, err)
		}
	}
	if _, err := s.Pick(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `no VM named "nope"`) {
		t.Errorf("Pick(nope): %v", err)
	}
}

// TestOpenErrors: a wrong password, an unverifiable certificate, a path
// nothing is at and a URI without a user fail with the URI named and the
// password hidden.
func TestOpenErrors(t *testing.T) {
	u, _ := vcsim(t, 1)
	tests := []struct {
		uri, want string
	}{
		{"vpx://administrator%40vsphere.local:wrong-pw@" + u.Host + "/?no_verify=1", "login refused for administrator@vsphere.local"},
		{strings.TrimSuffix(vpx(u, "/"), "?no_verify=1"), "add ?no_verify=1"},
		{vpx(u, "/NoSuchDC"), "no inventory object at /NoSuchDC"},
		{"vpx://" + u.Host + "/?no_verify=1", "the URI names no user"},
		{"esx://root:x@" + u.Host + "/DC0?no_verify=1", "names a host, not an inventory path"},
	}
	for _, tc := range tests {
		_, err := inventory.OpenURI(context.Background(), tc.uri, inventory.Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.uri, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "wrong-pw") {
			t.Errorf("%s: the password shows: %v", tc.uri, err)
		}
	}
}

// TestEmpty: a vCenter with no VM is an inventory of no records, not an
// error.
func TestEmpty(t *testing.T) {
	u, _ := vcsim(t, 0)
	sources, err := inventory.Open(context.Background(), []string{vpx(u, "/")}, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer inventory.CloseAll(sources)
	res, err := audit.Run(sources, audit.Options{})
	if err != nil || res.Summary.Configs != 0 || len(res.Findings) != 0 {
		t.Errorf("%+v, %v", res, err)
	}
}
