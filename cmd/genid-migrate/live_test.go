package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// The live inventories through the real binary: a vCenter (govmomi's
// simulator, the vSphere API over HTTPS on 127.0.0.1) and a libvirt
// session daemon.

// runEnv runs the binary with extra environment and returns its stdout,
// stderr and exit code.
func runEnv(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(realBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

const vcPassword = "s3cret-Pw"

// vcenter starts the simulator with the seed VMware VM's ID on the first
// VM and the same on the second (a clone), and returns the host:port, the
// VMs' inventory paths and names.
func vcenter(t *testing.T) (string, []string, []string) {
	t.Helper()
	m := simulator.VPX()
	m.Machine = 2
	if err := m.Create(); err != nil {
		t.Fatal(err)
	}
	m.Service.TLS = new(tls.Config)
	m.Service.Listen = &url.URL{User: url.UserPassword("administrator@vsphere.local", vcPassword)}
	s := m.Service.NewServer()
	t.Cleanup(func() { s.Close(); m.Remove() })
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, s.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	f := find.NewFinder(c.Client, true)
	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.SetDatacenter(dc)
	vms, err := f.VirtualMachineList(ctx, "*")
	if err != nil {
		t.Fatal(err)
	}
	var paths, names []string
	for i, vm := range vms {
		paths, names = append(paths, vm.InventoryPath), append(names, vm.Name())
		if i > 1 {
			continue
		}
		task, err := vm.Reconfigure(ctx, types.VirtualMachineConfigSpec{ExtraConfig: []types.BaseOptionValue{
			&types.OptionValue{Key: "vm.genid", Value: "-8536691797830587195"},
			&types.OptionValue{Key: "vm.genidX", Value: "-1723453263670062919"},
		}})
		if err == nil {
			err = task.Wait(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return s.URL.Host, paths, names
}

// TestVCenterCLI: audit, show --vm and the password rules against the
// simulator.
func TestVCenterCLI(t *testing.T) {
	host, paths, names := vcenter(t)
	uri := "vpx://administrator%40vsphere.local@" + host + "/?no_verify=1"
	env := []string{"GENID_MIGRATE_PASSWORD=" + vcPassword}

	out, stderr, code := runEnv(t, env, "audit", "--json", uri)
	if code != 1 || strings.Contains(out+stderr, vcPassword) {
		t.Fatalf("audit: exit %d (want 1: a duplicate), password shown: %v\n%s%s", code, strings.Contains(out+stderr, vcPassword), out, stderr)
	}
	var rep struct {
		Records []struct {
			Path, Status, Format string
			GuestBytes           string `json:"guest_bytes"`
		}
		Findings []struct {
			Kind  string
			Paths []string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Records) != len(paths) {
		t.Fatalf("%d records for %d VMs", len(rep.Records), len(paths))
	}
	base := "vpx://administrator%40vsphere.local@" + host
	var dup []string
	for _, f := range rep.Findings {
		if f.Kind == "duplicate" {
			dup = f.Paths
		}
	}
	if len(dup) != 2 || dup[0] != base+paths[0] || dup[1] != base+paths[1] {
		t.Errorf("duplicate %q, want the first two VMs", dup)
	}

	// show --vm, by name and through --password-file.
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte(vcPassword+"\n"), 0o600)
	out, stderr, code = runEnv(t, nil, "show", "--json", "--password-file", pwFile, "--vm", names[0], uri)
	if code != 0 || !strings.Contains(out, `"guest_bytes": "c52c51090a948789b950f54f631015e8"`) || !strings.Contains(out, `"format": "vsphere"`) {
		t.Errorf("show --vm: exit %d\n%s%s", code, out, stderr)
	}
	out, _, code = runEnv(t, env, "convert", "--to", "qemu", "--vm", paths[1], uri)
	if code != 0 || out != "-device vmgenid,guid=09512cc5-940a-8987-b950-f54f631015e8,id=vmgenid0\n" {
		t.Errorf("convert --vm PATH: exit %d: %q", code, out)
	}

	// Failures: exit 5 for the connection, with the URI named and no password.
	for _, tc := range []struct {
		env  []string
		uri  string
		code int
		want string
	}{
		{[]string{"GENID_MIGRATE_PASSWORD=wrong"}, uri, 5, "login refused for administrator@vsphere.local"},
		{nil, uri, 5, "no password for administrator@vsphere.local"},
		{env, strings.TrimSuffix(uri, "?no_verify=1"), 5, "add ?no_verify=1"},
		{env, "vpx://administrator%40vsphere.local@127.0.0.1:1/?no_verify=1", 5, "127.0.0.1:1"},
	} {
		_, stderr, code := runEnv(t, tc.env, "audit", tc.uri)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, vcPassword) {
			t.Errorf("audit %s: exit %d, want %d with %q: %s", tc.uri, code, tc.code, tc.want, stderr)
		}
	}
	_, stderr, code = runEnv(t, env, "show", uri)
	if code != 2 || !strings.Contains(stderr, "--vm NAME") {
		t.Errorf("show URI without --vm: exit %d: %s", code, stderr)
	}
}

// TestLibvirtCLI: audit, show, rewrite and verify against a real libvirt
// session daemon and a running guest.
func TestLibvirtCLI(t *testing.T) {
	testenv.Tool(t, "qemu-system-x86_64", "qemu-system-x86")
	d := testenv.LibvirtSession(t)
	uri := d.URI("qemu")
	wait := testenv.Timeout(120 * time.Second).String() // for the guest's firmware, on loaded cores
	dom := func(name, uuid, genid string) string {
		if genid != "" {
			genid = "\n  <genid>" + genid + "</genid>"
		}
		return fmt.Sprintf("<domain type='qemu'>\n  <name>%s</name>\n  <uuid>%s</uuid>%s\n  <memory unit='MiB'>128</memory>\n  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <features><acpi/></features>\n  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>\n</domain>\n", name, uuid, genid)
	}
	const vmx = "../../fixtures/vmware/win2019-dc01.vmx"
	// dc01 was converted from the .vmx (keeping its uuid.bios, as
	// virt-v2v does) without its ID; bad was converted by a tool that gave
	// QEMU libvirt's VMX-driver spelling (vectors.json seed-vmware).
	d.Virsh(t, "define", d.WriteFile(t, "dc01.xml", []byte(dom("dc01", "421a6b2c-5e77-0d91-3f4e-82c190aa175b", ""))))
	d.Virsh(t, "define", d.WriteFile(t, "bad.xml", []byte(dom("bad", "0f47d45b-7ee4-4714-97f1-600401536302", "8987940a-0951-2cc5-e815-10634ff550b9"))))
	d.Virsh(t, "start", "bad")

	out, _, code := runEnv(t, nil, "show", "--json", "--libvirt", uri, "bad")
	if code != 0 || !strings.Contains(out, `"input": "qemu:///session/bad"`) || !strings.Contains(out, `"windows": "2cc509518987940a:b950f54f631015e8"`) {
		t.Errorf("show --libvirt: exit %d\n%s", code, out)
	}

	// rewrite: a dry run changes nothing; then the definition changes,
	// only in <genid>, and the daemon gives it back.
	before := d.Virsh(t, "dumpxml", "--inactive", "dc01")
	_, stderr, code := runEnv(t, nil, "rewrite", "--from", vmx, "--dry-run", "--libvirt", uri, "dc01")
	if code != 0 || !strings.Contains(stderr, "qemu:///session/dc01: would insert <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>") || d.Virsh(t, "dumpxml", "--inactive", "dc01") != before {
		t.Errorf("rewrite --dry-run: exit %d: %s", code, stderr)
	}
	_, stderr, code = runEnv(t, nil, "rewrite", "--from", vmx, "--libvirt", uri, "dc01")
	after := d.Virsh(t, "dumpxml", "--inactive", "dc01")
	if code != 0 || !strings.Contains(stderr, "inserted <genid>") || !strings.Contains(after, "<genid>09512cc5-940a-8987-b950-f54f631015e8</genid>") {
		t.Fatalf("rewrite --libvirt: exit %d: %s\n%s", code, stderr, after)
	}
	if strings.Replace(after, "  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n", "", 1) != before {
		t.Errorf("the definition changed beyond <genid>:\n%s\n%s", before, after)
	}
	_, _, code = runEnv(t, nil, "rewrite", "--from", vmx, "--check", "--libvirt", uri, "dc01")
	if code != 0 {
		t.Errorf("rewrite --check after the rewrite: exit %d", code)
	}

	// verify reads the running guest through libvirt and names the mistake.
	out, _, code = runEnv(t, nil, "verify", "--wait", wait, "--json", "--expect", vmx, "--libvirt", uri, "bad")
	if code != 1 || !strings.Contains(out, `"mistake": "libvirt-vmx-convention"`) || !strings.Contains(out, `"guest_bytes": "0a948789"`) && !strings.Contains(out, `"windows": "2cc509518987940a:b950f54f631015e8"`) {
		t.Errorf("verify --libvirt on a wrong domain: exit %d\n%s", code, out)
	}
	// The fix verify prints, run as printed, gives "bad" the source's ID
	// (its existing <genid> is the source's, misspelt: no --force).
	var rep struct{ Fix []string }
	json.Unmarshal([]byte(out), &rep)
	if len(rep.Fix) != 1 || !strings.HasSuffix(rep.Fix[0], "   (libvirt)") {
		t.Fatalf("verify's fix: %q", rep.Fix)
	}
	runFix(t, strings.TrimSuffix(rep.Fix[0], "   (libvirt)"))
	if after := d.Virsh(t, "dumpxml", "--inactive", "bad"); !strings.Contains(after, "<genid>09512cc5-940a-8987-b950-f54f631015e8</genid>") {
		t.Errorf("after the fix:\n%s", after)
	}
	d.Virsh(t, "destroy", "bad")
	d.Virsh(t, "start", "bad")
	out, stderr, code = runEnv(t, nil, "verify", "--wait", wait, "--expect", vmx, "--libvirt", uri, "bad")
	if code != 0 || !strings.HasPrefix(out, "MATCH: the guest sees 8987940a09512cc5:e81510634ff550b9") {
		t.Errorf("verify --libvirt after the printed fix: exit %d\n%s%s", code, out, stderr)
	}
	d.Virsh(t, "destroy", "bad")
	d.Virsh(t, "undefine", "bad") // now a second VM with the source's ID: a real duplicate
	d.Virsh(t, "start", "dc01")
	out, stderr, code = runEnv(t, nil, "verify", "--wait", wait, "--expect", vmx, "--libvirt", uri, "dc01")
	if code != 0 || !strings.HasPrefix(out, "MATCH: the guest sees 8987940a09512cc5:e81510634ff550b9") {
		t.Errorf("verify --libvirt after the rewrite: exit %d\n%s%s", code, out, stderr)
	}

	// The live report merges with a file report of the source: the
	// source and its target pair by the BIOS UUID, and carry the same ID.
	dir := t.TempDir()
	live, _, _ := runEnv(t, nil, "audit", "--jsonl", uri)
	files, _, _ := runEnv(t, nil, "audit", "--jsonl", vmx)
	os.WriteFile(filepath.Join(dir, "live.jsonl"), []byte(live), 0o644)
	os.WriteFile(filepath.Join(dir, "files.jsonl"), []byte(files), 0o644)
	out, _, code = runEnv(t, nil, "audit", "--json", filepath.Join(dir, "files.jsonl"), filepath.Join(dir, "live.jsonl"))
	var merged struct {
		Findings []struct{ Kind string }
		Summary  struct{ Configs, Reports int }
	}
	if err := json.Unmarshal([]byte(out), &merged); err != nil || code != 0 || merged.Summary.Reports != 2 || merged.Summary.Configs != 2 || len(merged.Findings) != 0 {
		t.Errorf("merged report: exit %d, %+v\n%s", code, merged, out)
	}
}

// runFix runs a command the tool printed, as a user pastes it: with sh,
// genid-migrate on PATH.
func runFix(t *testing.T, command string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", command)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(realBinary(t))+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the printed fix failed: %s: %v\n%s", command, err, out)
	}
	return string(out)
}
