package proxmox

import (
	"errors"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

func TestReadFixture(t *testing.T) {
	c, err := ReadFile("../../fixtures/proxmox/101.conf")
	if err != nil {
		t.Fatal(err)
	}
	// The seed VMware VM's GUID (vectors.json seed-vmware).
	if c.ID.GUID() != "09512cc5-940a-8987-b950-f54f631015e8" || c.State != Set || c.Line != 22 {
		t.Errorf("main section = %+v", c.Section)
	}
	if c.Name != "win2019-dc01" || c.SMBIOSUUID != "421a6b2c-5e77-0d91-3f4e-82c190aa175b" {
		t.Errorf("identity = %q %q", c.Name, c.SMBIOSUUID)
	}
	if len(c.Snapshots) != 1 || c.Snapshots[0].Name != "before-upgrade" || c.Snapshots[0].ID.GUID() != "7f2c11d0-3a9b-4c55-8e21-6d0f93ab4c17" || c.Snapshots[0].Line != 38 {
		t.Errorf("snapshots = %+v", c.Snapshots)
	}
	c, err = ReadFile("../../fixtures/negative/no-id/104.conf")
	if !errors.Is(err, genid.ErrNotFound) || c.State != Disabled || c.Name != "web-01" {
		t.Errorf("104.conf: %+v, %v; want disabled, ErrNotFound", c, err)
	}
}

// TestRead: each rule of qemu-server's parse_vm_config (src/PVE/QemuServer.pm,
// 2026-08, lines 1939-2075) on a file written for it.
func TestRead(t *testing.T) {
	const g = "44332211-6655-8877-99aa-bbccddeeff00"
	tests := []struct {
		name  string
		in    string
		state State
		guid  string
		err   error  // sentinel, or nil
		warn  string // a warning, if any
		vmnam string // the name read, if checked
	}{
		{"set", "name: a\nvmgenid: " + g + "\n", Set, g, nil, "", "a"},
		{"upper case (the schema allows it)", "vmgenid: 44332211-6655-8877-99AA-BBCCDDEEFF00\r\n", Set, g, nil, "", ""},
		{"trailing space", "vmgenid: " + g + "  \n", Set, g, nil, "", ""},
		{"generate", "vmgenid: 1\n", Generate, "", genid.ErrNotFound, "", ""},
		{"disabled", "vmgenid: 0\n", Disabled, "", genid.ErrNotFound, "", ""},
		{"absent", "name: a\nmemory: 2048\ncores: 2\n", Absent, "", genid.ErrNotFound, "", ""},
		{"only in a snapshot", "name: a\nscsihw: virtio-scsi-pci\n[snap1]\nvmgenid: " + g + "\n", Absent, "", genid.ErrNotFound, "", ""},
		{"all zeros", "vmgenid: 00000000-0000-0000-0000-000000000000\n", Set, "", genid.ErrNotFound, "", ""},
		// "unable to parse config: $line": skipped.
		{"lines of no known shape are skipped", "this is junk\n[teback,discard=on\n  [indented]\n  vmgenid: 1\nvmgenid: " + g + "\n", Set, g, nil, "", ""},
		// /^\[([^\]]*)\]\s*$/: "skipping unknown section", $section = undef.
		{"an unknown section is skipped with its lines", "vmgenid: " + g + "\nname: a\n[bad name]\nname: b\nvmgenid: 1\n", Set, g, nil, "unknown section [bad name] skipped", "a"},
		{"[special:foo] is unknown", "vmgenid: " + g + "\nname: a\n[special:foo]\nname: b\n", Set, g, nil, "unknown section [special:foo]", "a"},
		{"[special:cloudinit] keys stay there", "vmgenid: " + g + "\nname: a\n[special:cloudinit]\nname: b\nvmgenid: 1\n", Set, g, nil, "", "a"},
		{"[special:fleecing] keys stay there", "vmgenid: " + g + "\nname: a\n[SPECIAL:FLEECING]\nfleecing-images: local:vm-101-fleece-0\n", Set, g, nil, "", "a"},
		{"PENDING section is apart", "name: a\nscsihw: lsi\n[PENDING]\nvmgenid: " + g + "\n", Absent, "", genid.ErrNotFound, "", ""},
		// check_type fails: "unable to parse value of 'vmgenid'", skipped.
		{"braces: skipped", "name: a\nvmgenid: {" + g + "}\n", Absent, "", genid.ErrNotFound, "qemu-server skips the line", ""},
		{"no dashes: skipped", "vmgenid: 443322116655887799aabbccddeeff00\n", Absent, "", genid.ErrNotFound, "qemu-server skips the line", ""},
		{"auto: skipped", "vmgenid: auto\n", Absent, "", genid.ErrNotFound, "qemu-server skips the line", ""},
		{"a bad value does not undo a good one", "vmgenid: " + g + "\nvmgenid: auto\n", Set, g, nil, "qemu-server skips the line", ""},
		// (.+?) needs a value: an empty one is not a key line.
		{"empty: not a key line", "scsihw: lsi\nvmgenid:\n", Absent, "", genid.ErrNotFound, "", ""},
		// $conf->{$key} = $value: the later one stays.
		{"twice: the later one", "vmgenid: " + g + "\nvmgenid: 1\n", Generate, "", genid.ErrGenerated, "vmgenid set again (line 1 said " + g + ")", ""},
		{"twice, the later one set", "vmgenid: 1\nvmgenid: " + g + "\n", Set, g, nil, "vmgenid set again", ""},
		// A key may hold a dash since 2025 ([a-z_\-]).
		{"dashed keys", "spice-enhancements: foldersharing=1\nvmgenid: " + g + "\n", Set, g, nil, "", ""},
		// Not a VM's configuration at all.
		{"a container", "arch: amd64\ncores: 2\nhostname: ct1\nmemory: 512\nostype: debian\nrootfs: local-lvm:vm-200-disk-0,size=8G\n", "", "", genid.ErrNotVM, "", ""},
		{"a CI file", "name: CI\non: push\n", "", "", genid.ErrNotVM, "", ""},
		{"a travis file", "language: go\narch: amd64\nos: linux\n", "", "", genid.ErrNotVM, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(strings.NewReader(tc.in))
			if tc.err != nil && !errors.Is(err, tc.err) || tc.err == nil && err != nil {
				t.Fatalf("error = %v, want %v", err, tc.err)
			}
			if errors.Is(err, genid.ErrNotVM) {
				if c != nil {
					t.Errorf("a Config for a file that is not a VM's")
				}
				return
			}
			if c.State != tc.state {
				t.Errorf("State = %s, want %s", c.State, tc.state)
			}
			if tc.guid != "" && c.ID.GUID() != tc.guid {
				t.Errorf("ID = %s, want %s", c.ID, tc.guid)
			}
			if tc.vmnam != "" && c.Name != tc.vmnam {
				t.Errorf("Name = %q, want %q", c.Name, tc.vmnam)
			}
			if w := strings.Join(c.Warnings, "\n"); tc.warn == "" && w != "" || !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
		})
	}
}

// TestSections: a snapshot named twice keeps the later section (qemu-server
// assigns $res->{snapshots}->{$name} = {} again), [PENDING] and the
// special sections are not snapshots, and a template is said to be one.
func TestSections(t *testing.T) {
	in := "name: dc01\ntemplate: 1\nvmgenid: 09512cc5-940a-8987-b950-f54f631015e8\n\n[PENDING]\nvmgenid: 1\n\n[special:cloudinit]\nname: x\n\n[s1]\nvmgenid: 7f2c11d0-3a9b-4c55-8e21-6d0f93ab4c17\n\n[s1]\nvmgenid: be334a43-6992-fe6f-e489-09257a285a80\n"
	c, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Snapshots) != 1 || c.Snapshots[0].Line != 15 || c.Snapshots[0].ID.GUID() != "be334a43-6992-fe6f-e489-09257a285a80" {
		t.Errorf("snapshots %+v", c.Snapshots)
	}
	if c.Pending == nil || c.Pending.State != Generate || !c.Template || c.Name != "dc01" {
		t.Errorf("pending %+v, template %v, name %q", c.Pending, c.Template, c.Name)
	}
	r := c.Reading()
	if !r.Template || len(r.Snapshots) != 1 || len(r.Warnings) != 2 {
		t.Errorf("reading: template %v, snapshots %+v, warnings %q", r.Template, r.Snapshots, r.Warnings)
	}
}

// TestPendingWarning: a [PENDING] section whose vmgenid differs from the
// one in force is said, since it applies at the next start.
func TestPendingWarning(t *testing.T) {
	conf := "name: dc01\nvmgenid: 09512cc5-940a-8987-b950-f54f631015e8\n\n[PENDING]\nvmgenid: be334a43-6992-fe6f-e489-09257a285a80\n"
	c, err := Read(strings.NewReader(conf))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Reading()
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "line 5: a pending change sets vmgenid to be334a43-6992-fe6f-e489-09257a285a80") {
		t.Errorf("warnings %q", r.Warnings)
	}
	same := strings.Replace(conf, "be334a43-6992-fe6f-e489-09257a285a80", "09512cc5-940a-8987-b950-f54f631015e8", 1)
	c, _ = Read(strings.NewReader(same))
	if w := c.Reading().Warnings; len(w) != 0 {
		t.Errorf("a pending section with the same vmgenid: %q", w)
	}
}
