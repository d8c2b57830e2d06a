package plan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/genid"
)

func TestNode(t *testing.T) {
	for path, want := range map[string]string{
		"/etc/pve/nodes/pve1/qemu-server/101.conf": "pve1",
		"nodes/a/qemu-server/7.conf":               "a",
		"/etc/pve/qemu-server/101.conf":            "",
		"/tmp/101.conf":                            "",
	} {
		if got := node(path); got != want {
			t.Errorf("node(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestProxmox plans from entries as audit gives them: the seed VMware VM
// (vector seed-vmware) paired by UUID with a Proxmox VM holding another
// ID, a VM paired by name that is right already, and one of each side
// left over.
func TestProxmox(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nodes", "pve1", "qemu-server")
	os.MkdirAll(dir, 0o755)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	seed := genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	other := genid.MustParseGUID("7a1e0f3c-2b4d-4e5f-8a9b-0c1d2e3f4a5b")
	t101 := write("101.conf", "name: dc01\nsmbios1: uuid=421a6b2c-5e77-0d91-3f4e-82c190aa175b\nvmgenid: 7A1E0F3C-2B4D-4E5F-8A9B-0C1D2E3F4A5B\n")
	t102 := write("102.conf", "name: web01\nvmgenid: 7a1e0f3c-2b4d-4e5f-8a9b-0c1d2e3f4a5b\n")
	t103 := write("103.conf", "name: nobody\nsmbios1: uuid=11111111-2222-3333-4444-555555555555\n")
	entries := []audit.Entry{
		{Path: "src/dc01.vmx", Format: "vmx", Name: "dc01", Identity: "421a6b2c-5e77-0d91-3f4e-82c190aa175b", IDKind: "uuid.bios", Role: "source", Status: audit.StatusOK, ID: seed, HasID: true},
		{Path: "src/web01.vmx", Format: "vmx", Name: "web01", Role: "source", Status: audit.StatusOK, ID: other, HasID: true},
		{Path: "src/lonely.vmx", Format: "vmx", Name: "lonely", Role: "source", Status: audit.StatusOK, ID: genid.ID{1}, HasID: true},
		{Path: t101, Format: "proxmox", Name: "dc01", Identity: "421a6b2c-5e77-0d91-3f4e-82c190aa175b", IDKind: "smbios1", Role: "target", Status: audit.StatusOK, ID: other, HasID: true},
		{Path: t102, Format: "proxmox", Name: "web01", Role: "target", Status: audit.StatusOK, ID: other, HasID: true},
		{Path: t103, Format: "proxmox", Name: "nobody", Identity: "11111111-2222-3333-4444-555555555555", Role: "target", Status: audit.StatusMissing},
	}
	p := Proxmox(entries, nil)
	if len(p.Steps) != 2 || p.ToSet() != 1 {
		t.Fatalf("steps: %+v", p.Steps)
	}
	s := p.Steps[0]
	if s.VMID != "101" || s.Node != "pve1" || s.PairedBy != "uuid.bios" || s.Current != "7A1E0F3C-2B4D-4E5F-8A9B-0C1D2E3F4A5B" ||
		s.GUID != "09512cc5-940a-8987-b950-f54f631015e8" || s.Windows != "8987940a09512cc5:e81510634ff550b9" || s.Done {
		t.Errorf("step 101: %+v", s)
	}
	if s := p.Steps[1]; s.VMID != "102" || s.PairedBy != "name" || !s.Done {
		t.Errorf("step 102: %+v", s)
	}
	if len(p.UnpairedSources) != 1 || p.UnpairedSources[0].Path != "src/lonely.vmx" || len(p.UnpairedTargets) != 1 || p.UnpairedTargets[0].Path != t103 {
		t.Errorf("unpaired: %+v %+v", p.UnpairedSources, p.UnpairedTargets)
	}
	var script bytes.Buffer
	if err := p.WriteScript(&script, "Made by: a test\nrm -rf /"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Made by: a test?rm -rf /\n",
		"set_vmgenid 101 '7A1E0F3C-2B4D-4E5F-8A9B-0C1D2E3F4A5B' 09512cc5-940a-8987-b950-f54f631015e8\n",
		"#   Proxmox VMID 102 on node pve1, " + t102 + " (paired by name only: check that it is the same VM)\n",
		"#   vmgenid is 7a1e0f3c-2b4d-4e5f-8a9b-0c1d2e3f4a5b already: nothing to do\n",
		"#   source src/lonely.vmx (lonely): no Proxmox VM has its SMBIOS UUID or its name\n",
	} {
		if !strings.Contains(script.String(), want) {
			t.Errorf("script lacks %q:\n%s", want, script.String())
		}
	}
	if strings.Count(script.String(), "set_vmgenid 1") != 1 {
		t.Errorf("more than one change:\n%s", script.String())
	}
	var out bytes.Buffer
	if err := p.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || len(back.Steps) != 2 || back.Steps[0].GUID != s.GUID {
		t.Errorf("JSON: %v\n%s", err, out.String())
	}
}
