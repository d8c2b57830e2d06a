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

func TestRead(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		state State
		guid  string
		err   error // sentinel, or nil
		line  int   // InputError line, if malformed
	}{
		{"set", "name: a\nvmgenid: 44332211-6655-8877-99aa-bbccddeeff00\n", Set, "44332211-6655-8877-99aa-bbccddeeff00", nil, 0},
		{"upper case (the schema allows it)", "vmgenid: 44332211-6655-8877-99AA-BBCCDDEEFF00\r\n", Set, "44332211-6655-8877-99aa-bbccddeeff00", nil, 0},
		{"trailing space", "vmgenid: 44332211-6655-8877-99aa-bbccddeeff00  \n", Set, "44332211-6655-8877-99aa-bbccddeeff00", nil, 0},
		{"generate", "vmgenid: 1\n", Generate, "", genid.ErrNotFound, 0},
		{"disabled", "vmgenid: 0\n", Disabled, "", genid.ErrNotFound, 0},
		{"absent", "name: a\n", Absent, "", genid.ErrNotFound, 0},
		{"only in a snapshot", "name: a\n[snap1]\nvmgenid: 44332211-6655-8877-99aa-bbccddeeff00\n", Absent, "", genid.ErrNotFound, 0},
		{"all zeros", "vmgenid: 00000000-0000-0000-0000-000000000000\n", Set, "", genid.ErrNotFound, 0},
		{"unparseable lines skipped as Proxmox does", "this is junk\nvmgenid: 44332211-6655-8877-99aa-bbccddeeff00\n", Set, "44332211-6655-8877-99aa-bbccddeeff00", nil, 0},
		{"not a section header: skipped", "[teback,discard=on\n[bad name]\n  [indented]\nvmgenid: 44332211-6655-8877-99aa-bbccddeeff00\n", Set, "44332211-6655-8877-99aa-bbccddeeff00", nil, 0},
		{"indented key: skipped", "  vmgenid: 44332211-6655-8877-99aa-bbccddeeff00\n", Absent, "", genid.ErrNotFound, 0},
		{"PENDING section is apart", "name: a\n[PENDING]\nvmgenid: 44332211-6655-8877-99aa-bbccddeeff00\n", Absent, "", genid.ErrNotFound, 0},
		{"braces", "name: a\nvmgenid: {44332211-6655-8877-99aa-bbccddeeff00}\n", "", "", nil, 2},
		{"no dashes", "vmgenid: 443322116655887799aabbccddeeff00\n", "", "", nil, 1},
		{"auto", "vmgenid: auto\n", "", "", nil, 1},
		{"empty", "vmgenid:\n", "", "", nil, 1},
		{"twice", "vmgenid: 44332211-6655-8877-99aa-bbccddeeff00\nvmgenid: 1\n", "", "", nil, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(strings.NewReader(tc.in))
			if tc.line > 0 {
				var ie *genid.InputError
				if !errors.As(err, &ie) || ie.Line != tc.line || ie.Key != "vmgenid" {
					t.Fatalf("error = %v, want an InputError on line %d, key vmgenid", err, tc.line)
				}
				return
			}
			if tc.err != nil && !errors.Is(err, tc.err) || tc.err == nil && err != nil {
				t.Fatalf("error = %v, want %v", err, tc.err)
			}
			if c.State != tc.state {
				t.Errorf("State = %s, want %s", c.State, tc.state)
			}
			if tc.guid != "" && c.ID.GUID() != tc.guid {
				t.Errorf("ID = %s, want %s", c.ID, tc.guid)
			}
		})
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
