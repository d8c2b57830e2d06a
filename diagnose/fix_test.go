package diagnose

import (
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

func TestFixes(t *testing.T) {
	src := genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8") // vectors.json seed-vmware
	tests := []struct {
		target Target
		want   []string
	}{
		{Target{Format: "libvirt", Path: "/etc/libvirt/qemu/dc01.xml"}, []string{"genid-migrate rewrite --from 'Virtual Machines/dc 01.vmx' --in-place --backup /etc/libvirt/qemu/dc01.xml"}},
		{Target{Format: "proxmox", Path: "/etc/pve/qemu-server/101.conf"}, []string{"qm set 101 --vmgenid 09512cc5-940a-8987-b950-f54f631015e8"}},
		{Target{Format: "qemu-cmdline", Path: "run.sh"}, []string{"give QEMU -device vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0 (genid-migrate convert --to qemu 'Virtual Machines/dc 01.vmx')"}},
		{Target{}, []string{
			"genid-migrate rewrite --from 'Virtual Machines/dc 01.vmx' --in-place DOMAIN.xml",
			"-device vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0",
			"qm set VMID --vmgenid 09512cc5-940a-8987-b950-f54f631015e8",
		}},
	}
	for _, tc := range tests {
		got := Fixes(src, "Virtual Machines/dc 01.vmx", tc.target)
		if len(got) != len(tc.want) {
			t.Errorf("%+v: %d fixes, want %d", tc.target, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if got[i].Command != tc.want[i] {
				t.Errorf("%+v: %q\nwant %q", tc.target, got[i].Command, tc.want[i])
			}
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"a.vmx": "a.vmx", "a b": "'a b'", "it's": `'it'\''s'`, "": "''", "$x": "'$x'"} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestFixesFollowTheTarget: a file libvirtd owns is fixed through virsh,
// a live domain with --libvirt, a path with spaces quoted.
func TestFixesFollowTheTarget(t *testing.T) {
	id := genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8") // vector seed-vmware
	for _, tc := range []struct {
		t    Target
		want string
	}{
		{Target{Format: "libvirt", Path: "/etc/libvirt/qemu/dc01.xml", Name: "dc01"},
			"virsh -c qemu:///system dumpxml --inactive --security-info dc01 | genid-migrate rewrite --from 'Virtual Machines/dc01.vmcx' - | virsh -c qemu:///system define /dev/stdin"},
		{Target{Format: "libvirt", Path: "/home/ops/.config/libvirt/qemu/dc 01.xml", Name: "dc 01"},
			"virsh -c qemu:///session dumpxml --inactive --security-info 'dc 01' | genid-migrate rewrite --from 'Virtual Machines/dc01.vmcx' - | virsh -c qemu:///session define /dev/stdin"},
		{Target{Format: "libvirt", Path: "qemu+ssh://kvm1/system/dc01"},
			"genid-migrate rewrite --from 'Virtual Machines/dc01.vmcx' --libvirt qemu+ssh://kvm1/system dc01"},
		{Target{Format: "libvirt", URI: "qemu:///session?socket=/run/x.sock", Name: "dc01"},
			"genid-migrate rewrite --from 'Virtual Machines/dc01.vmcx' --libvirt 'qemu:///session?socket=/run/x.sock' dc01"},
		{Target{Format: "libvirt", Path: "/srv/domains/dc01.xml"},
			"genid-migrate rewrite --from 'Virtual Machines/dc01.vmcx' --in-place --backup /srv/domains/dc01.xml"},
		{Target{Format: "proxmox", Path: "/etc/pve/nodes/pve1/qemu-server/101.conf"},
			"qm set 101 --vmgenid 09512cc5-940a-8987-b950-f54f631015e8"},
	} {
		if got := Fixes(id, "Virtual Machines/dc01.vmcx", tc.t)[0].Command; got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.t, got, tc.want)
		}
	}
}
