package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// fakeQM stands in for Proxmox VE's qm, which cannot run here: it does
// what qemu-server does to the configuration file for the three commands
// a plan uses, on $GENID_FAKE_QM_NODE/qemu-server/VMID.conf (the node's
// /etc/pve/nodes/NODE). VMs listed in $GENID_FAKE_QM_RUNNING are running.
//
//	qm status VMID                "status: stopped" or "status: running"
//	qm config VMID                the main section's options, pending changes applied,
//	                              sorted, with digest: (PVE::QemuServer's config output)
//	qm set VMID --vmgenid VALUE   checked against qemu-server's pattern for vmgenid,
//	                              (?:[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}|[01]);
//	                              "1" draws a new UUID; a stopped VM's main section is
//	                              written back with its options sorted, as write_vm_config
//	                              does; a running VM's change goes to [PENDING].
func fakeQM() int {
	args := os.Args[1:]
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(os.Stderr, format+"\n", a...)
		return code
	}
	if len(args) < 2 {
		return fail(255, "USAGE: qm <command> <vmid> [OPTIONS]")
	}
	vmid := args[1]
	if !regexp.MustCompile(`^[1-9][0-9]{2,8}$`).MatchString(vmid) {
		return fail(255, "400 Parameter verification failed.\nvmid: invalid format - value must be a valid VM ID")
	}
	node := os.Getenv("GENID_FAKE_QM_NODE")
	conf := filepath.Join(node, "qemu-server", vmid+".conf")
	text, err := os.ReadFile(conf)
	if err != nil {
		return fail(2, "Configuration file 'nodes/%s/qemu-server/%s.conf' does not exist", filepath.Base(node), vmid)
	}
	running := false
	for _, r := range strings.Split(os.Getenv("GENID_FAKE_QM_RUNNING"), ",") {
		running = running || r == vmid
	}
	main, pending, rest := splitConf(string(text))
	switch args[0] {
	case "status":
		if running {
			fmt.Println("status: running")
		} else {
			fmt.Println("status: stopped")
		}
	case "config":
		opts := options(main)
		for k, v := range options(pending) {
			opts[k] = v
		}
		keys := make([]string, 0, len(opts))
		for k := range opts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Printf("%s: %s\n", k, opts[k])
		}
		fmt.Printf("digest: %x\n", sha1.Sum(text))
	case "set":
		if len(args) != 4 || args[2] != "--vmgenid" {
			return fail(255, "fake qm: only qm set VMID --vmgenid VALUE")
		}
		v := args[3]
		if !regexp.MustCompile(`^(?:[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}|[01])$`).MatchString(v) {
			return fail(255, "400 Parameter verification failed.\nvmgenid: value does not match the regex pattern")
		}
		if v == "1" {
			b := make([]byte, 16)
			rand.Read(b)
			v = fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		}
		fmt.Printf("update VM %s: -vmgenid %s\n", vmid, v)
		if running {
			pending = setOption(pending, "vmgenid", v)
			if !strings.Contains(rest, "[PENDING]") && !strings.HasPrefix(pending, "[PENDING]") {
				pending = "[PENDING]\n" + pending
			}
		} else {
			main = setOption(main, "vmgenid", v)
		}
		out := main
		if pending != "" {
			out += "\n" + pending
		}
		if rest != "" {
			out += "\n" + rest
		}
		tmp := conf + ".tmp"
		if err := os.WriteFile(tmp, []byte(out), 0o640); err != nil {
			return fail(255, "%v", err)
		}
		if err := os.Rename(tmp, conf); err != nil {
			return fail(255, "%v", err)
		}
	default:
		return fail(255, "fake qm: unknown command %q", args[0])
	}
	return 0
}

// splitConf splits a qemu-server file into its main section, [PENDING]
// and the snapshot sections after them.
func splitConf(s string) (main, pending, rest string) {
	sections := regexp.MustCompile(`(?m)^\[[^\]]+\][ \t]*$`).FindAllStringIndex(s, -1)
	if len(sections) == 0 {
		return s, "", ""
	}
	main = strings.TrimRight(s[:sections[0][0]], "\n") + "\n"
	tail := s[sections[0][0]:]
	if strings.HasPrefix(tail, "[PENDING]") {
		end := len(tail)
		if len(sections) > 1 {
			end = sections[1][0] - sections[0][0]
		}
		return main, strings.TrimRight(tail[:end], "\n") + "\n", tail[end:]
	}
	return main, "", tail
}

// options reads the key: value lines of a section.
func options(sec string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(sec, "\n") {
		if m := regexp.MustCompile(`^([a-z][a-z_]*\d*):\s*(.*?)\s*$`).FindStringSubmatch(l); m != nil {
			out[m[1]] = m[2]
		}
	}
	return out
}

// setOption sets key in a section and writes its options sorted after the
// description comments, as write_vm_config does.
func setOption(sec, key, value string) string {
	var header, comments []string
	opts := options(sec)
	for _, l := range strings.Split(strings.TrimRight(sec, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "["):
			header = append(header, l)
		case strings.HasPrefix(l, "#"):
			comments = append(comments, l)
		}
	}
	opts[key] = value
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := append(header, comments...)
	for _, k := range keys {
		lines = append(lines, k+": "+opts[k])
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestPlanProxmox writes a plan for a small fleet, runs it with sh against
// the stand-in qm, and reads the configurations back with the Proxmox
// reader: every paired VM that was stopped carries its source's bytes (by
// formula from the .vmx), the others are untouched, and a second run
// refuses what the first changed.
func TestPlanProxmox(t *testing.T) {
	sh := realTool(t, "sh")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	nodeDir := filepath.Join(dir, "pve", "nodes", "pve1")
	os.MkdirAll(src, 0o755)
	os.MkdirAll(filepath.Join(nodeDir, "qemu-server"), 0o755)
	rng := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 17))
	uuid := func() (vmware, pve string) {
		b := make([]byte, 16)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return fmt.Sprintf("% x-% x", b[:8], b[8:]), fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	want := map[string]string{} // VMID → G by formula
	writeVMX := func(name, uuidBios string) (string, string) {
		g, x := randHalves(rng)
		body := fmt.Sprintf("config.version = \"8\"\nvirtualHW.version = \"19\"\ndisplayName = \"%s\"\n", name)
		if uuidBios != "" {
			body += fmt.Sprintf("uuid.bios = \"%s\"\n", uuidBios)
		}
		body += fmt.Sprintf("vm.genid = \"%s\"\nvm.genidX = \"%s\"\n", g, x)
		os.WriteFile(filepath.Join(src, name+".vmx"), []byte(body), 0o644)
		return g, x
	}
	writeConf := func(vmid, name, smbios, vmgenid string) {
		body := "#imported from ESXi\nboot: order=scsi0\ncores: 2\nmemory: 4096\nname: " + name + "\n"
		if smbios != "" {
			body += "smbios1: uuid=" + smbios + "\n"
		}
		if vmgenid != "" {
			body += "vmgenid: " + vmgenid + "\n"
		}
		body += "\n[before-import]\nmemory: 4096\nname: " + name + "\nsnaptime: 1718110471\nvmgenid: 7f2c11d0-3a9b-4c55-8e21-6d0f93ab4c17\n"
		os.WriteFile(filepath.Join(nodeDir, "qemu-server", vmid+".conf"), []byte(body), 0o640)
	}
	// 101: paired by SMBIOS UUID, the importer's random vmgenid in upper case.
	vu, pu := uuid()
	g, x := writeVMX("dc01", vu)
	want["101"] = gFromVMX(g, x)
	writeConf("101", "dc01-imported", pu, "7A1E0F3C-2B4D-4E5F-8A9B-0C1D2E3F4A5B")
	// 102: paired by SMBIOS UUID, no vmgenid at all.
	vu, pu = uuid()
	g, x = writeVMX("app01", vu)
	want["102"] = gFromVMX(g, x)
	writeConf("102", "app01", pu, "")
	// 103: no UUID on either side: paired by name.
	g, x = writeVMX("web01", "")
	want["103"] = gFromVMX(g, x)
	writeConf("103", "web01", "", "1")
	// 104: already right.
	vu, pu = uuid()
	g, x = writeVMX("db01", vu)
	guid := strings.TrimSpace(runCLI(t, "convert", "--to", "guid", "--vmx", g+":"+x))
	writeConf("104", "db01", pu, guid)
	// 105: a Proxmox VM nobody migrated; lonely: a source with no target.
	_, pu = uuid()
	writeConf("105", "other", pu, "3b8c2e1a-4f5d-4c6b-9a7e-1d2c3b4a5f6e")
	vu, _ = uuid()
	writeVMX("lonely", vu)
	// 106: paired, but running.
	vu, pu = uuid()
	writeVMX("run01", vu)
	writeConf("106", "run01", pu, "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b")
	before := map[string][]byte{}
	for _, v := range []string{"104", "105", "106"} {
		before[v], _ = os.ReadFile(filepath.Join(nodeDir, "qemu-server", v+".conf"))
	}

	script := runCLI(t, "plan", "--to", "proxmox", "-q", src, filepath.Join(dir, "pve", "nodes"))
	for _, w := range []string{"paired by name only: check that it is the same VM", "# 4 to set, 1 already right, 1 sources and 1 Proxmox VMs left out",
		"#   source " + filepath.Join(src, "lonely.vmx") + " (lonely, uuid ", "#   Proxmox " + filepath.Join(nodeDir, "qemu-server", "105.conf") + " (other, uuid ",
		"set_vmgenid 103 '1' ", "set_vmgenid 102 '' ", "#   vmgenid is " + guid + " already: nothing to do"} {
		if !strings.Contains(script, w) {
			t.Errorf("the plan lacks %q:\n%s", w, script)
		}
	}
	f := filepath.Join(dir, "plan.sh")
	os.WriteFile(f, []byte(script), 0o755)
	runPlan := func() (string, string, error) {
		cmd := exec.Command(sh, f)
		cmd.Env = append(os.Environ(), "GENID_FAKE_QM_NODE="+nodeDir, "GENID_FAKE_QM_RUNNING=106")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	stdout, stderr, err := runPlan()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("the plan: %v (want exit 1 for the running VM)\n%s%s", err, stdout, stderr)
	}
	if !strings.Contains(stdout, "3 set, 1 not set") || !strings.Contains(stderr, "VM 106: skipped: it is not stopped (status: running)") {
		t.Errorf("the plan's output:\n%s%s", stdout, stderr)
	}
	for vmid, g := range want {
		conf := filepath.Join(nodeDir, "qemu-server", vmid+".conf")
		var res struct {
			GuestBytes string `json:"guest_bytes"`
			Snapshots  []struct {
				Name string `json:"name"`
			} `json:"snapshots"`
		}
		if err := json.Unmarshal([]byte(runCLI(t, "show", "--json", conf)), &res); err != nil {
			t.Fatal(err)
		}
		if res.GuestBytes != g {
			t.Errorf("VM %s: the guest would see %s, its source's saw %s", vmid, res.GuestBytes, g)
		}
		if len(res.Snapshots) != 1 {
			t.Errorf("VM %s: snapshots %+v", vmid, res.Snapshots)
		}
	}
	for v, b := range before {
		if now, _ := os.ReadFile(filepath.Join(nodeDir, "qemu-server", v+".conf")); !bytes.Equal(now, b) {
			t.Errorf("VM %s changed:\n%s", v, now)
		}
	}
	// Run again: every VM the first run set has moved on from what the
	// plan saw, and is refused.
	_, stderr, err = runPlan()
	if err == nil || strings.Count(stderr, "the plan saw") != 3 {
		t.Errorf("second run: %v\n%s", err, stderr)
	}
}
