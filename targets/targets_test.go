package targets

import (
	"errors"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// TestTable: every target renders the seed VMware VM's ID (vectors.json
// seed-vmware) as one line or more ending in a newline, and the targets
// that print commands give their argv.
func TestTable(t *testing.T) {
	id := genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	want := map[string]string{
		"libvirt":        "<genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n",
		"qemu":           "-device vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0\n",
		"proxmox":        "vmgenid: 09512cc5-940a-8987-b950-f54f631015e8\n",
		"vmx":            "vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n",
		"hyperv":         "e81510634ff550b98987940a09512cc5\n",
		"windows":        "8987940a09512cc5:e81510634ff550b9\n",
		"guid":           "09512cc5-940a-8987-b950-f54f631015e8\n",
		"bytes":          "c52c51090a948789b950f54f631015e8\n",
		"xen":            "-8536691797830587195:-1723453263670062919\n",
		"libvirt-vmware": "8987940a-0951-2cc5-e815-10634ff550b9\n",
		"incus":          "incus config set dc01 volatile.uuid.generation=09512cc5-940a-8987-b950-f54f631015e8\n",
		"xapi":           "\"generation_id\": \"-8536691797830587195:-1723453263670062919\"\n",
	}
	for _, tg := range Targets() {
		if tg.Description == "" || tg.Render == nil || ByName(tg.Name) != tg {
			t.Errorf("incomplete row %q", tg.Name)
			continue
		}
		out, err := tg.Render(id, Options{VM: "dc01"})
		if err != nil || !strings.HasSuffix(out.Text, "\n") {
			t.Errorf("%s: %q, %v", tg.Name, out.Text, err)
		}
		if w, ok := want[tg.Name]; ok && out.Text != w {
			t.Errorf("%s: %q, want %q", tg.Name, out.Text, w)
		}
	}
	out, err := ByName("incus").Render(id, Options{})
	if err != nil || out.Text != "volatile.uuid.generation=09512cc5-940a-8987-b950-f54f631015e8\n" || out.Argv != nil {
		t.Errorf("incus without --vm: %+v, %v", out, err)
	}
	out, err = ByName("kubevirt").Render(id, Options{VM: "dc01", Namespace: "prod"})
	if err != nil || !strings.Contains(out.Text, "\nkind: ConfigMap\n") || strings.Join(out.Argv[:6], " ") != "kubectl patch virtualmachine dc01 --namespace prod" {
		t.Errorf("kubevirt: %+v, %v", out, err)
	}
	out, err = ByName("proxmox").Render(id, Options{VMID: "101"})
	if err != nil || strings.Join(out.Argv, " ") != "qm set 101 --vmgenid 09512cc5-940a-8987-b950-f54f631015e8" {
		t.Errorf("proxmox --vmid 101: %+v, %v", out, err)
	}
}

func TestCheck(t *testing.T) {
	var oe *OptionError
	if err := ByName("qemu").Check(Options{VMID: "101"}); !errors.As(err, &oe) || err.Error() != "--vmid goes with --to proxmox, not --to qemu" {
		t.Errorf("--vmid with --to qemu: %v", err)
	}
	if err := ByName("proxmox").Check(Options{VMID: "12"}); !errors.As(err, &oe) || !strings.Contains(err.Error(), "--vmid: invalid Proxmox VMID") {
		t.Errorf("--vmid 12: %v", err)
	}
	if err := ByName("proxmox").Check(Options{VMID: "101"}); err != nil {
		t.Errorf("--vmid 101: %v", err)
	}
	for _, tc := range []struct {
		target string
		opt    Options
		msg    string // "" for none
	}{
		{"kubevirt", Options{}, "--vm: --to kubevirt writes for one VirtualMachine: name it with --vm NAME"},
		{"kubevirt", Options{VM: "DC01"}, `--vm: invalid VirtualMachine name "DC01"`},
		{"kubevirt", Options{VM: "dc01", Namespace: "prod"}, ""},
		{"qemu", Options{VM: "dc01"}, ""}, // --vm names an inventory's VM
		{"qemu", Options{Namespace: "prod"}, "--namespace goes with --to kubevirt, not --to qemu"},
		{"incus", Options{VM: "1dc"}, `--vm: invalid Incus instance name "1dc"`},
		{"incus", Options{VM: "dc01"}, ""},
	} {
		err := ByName(tc.target).Check(tc.opt)
		if (tc.msg == "") != (err == nil) || err != nil && (!errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tc.msg)) {
			t.Errorf("%s %+v: %v, want %q", tc.target, tc.opt, err, tc.msg)
		}
	}
}
