package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/readers/libvirt"
	"github.com/genid-migrate/genid-migrate/readers/vmware"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// These tests run real libvirt (Debian's libvirt-clients, libvirt-daemon,
// libvirt-daemon-driver-qemu and qemu-system-x86): its VMX parser through
// the VMware Workstation driver, and its QEMU driver embedded in virsh
// (qemu:///embed), both without a daemon. Under CI=true a missing tool is a
// failure; elsewhere the tests skip.

// virshTimeout bounds one virsh run.
var virshTimeout = testenv.Timeout(120 * time.Second)

// requireTools fails (in CI) or skips when a tool is missing.
func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		testenv.Tool(t, tool, "libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86")
	}
}

// virsh runs virsh with a time limit and returns its stdout, or its
// stderr as the error.
func virsh(t *testing.T, env []string, asNobody bool, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), virshTimeout)
	defer cancel()
	name := "virsh"
	if asNobody {
		// The embedded QEMU driver refuses to run as root without the
		// libvirt-qemu user, which only libvirt-daemon-system creates.
		args = append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", "virsh"}, args...)
		name = "setpriv"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// vmxParser runs libvirt's own VMX parser (virsh domxml-from-native
// vmware-vmx) through the VMware Workstation driver, with stand-ins for the
// vmrun and vmware programs it probes (docs/libvirt-qemu.md §5.3).
type vmxParser struct{ env []string }

func newVMXParser(t *testing.T) *vmxParser {
	requireTools(t, "virsh")
	fake := t.TempDir()
	for name, out := range map[string]string{
		"vmrun":  "Total running VMs: 0",
		"vmware": "VMware Workstation 16.2.0 build-18760230",
	} {
		if err := os.WriteFile(filepath.Join(fake, name), []byte("#!/bin/sh\necho '"+out+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &vmxParser{env: []string{"PATH=" + fake + ":" + os.Getenv("PATH"), "HOME=" + t.TempDir()}}
}

// convert returns the domain XML libvirt makes of each .vmx file, in one
// virsh session.
func (p *vmxParser) convert(t *testing.T, files []string) []string {
	var cmds []string
	for _, f := range files {
		cmds = append(cmds, "domxml-from-native vmware-vmx "+f)
	}
	out, err := virsh(t, p.env, false, "-c", "vmwarews:///session", strings.Join(cmds, "; "))
	if err != nil {
		t.Fatalf("libvirt's VMX parser: %v", err)
	}
	docs := strings.SplitAfter(out, "</domain>\n")
	docs = docs[:len(docs)-1]
	if len(docs) != len(files) {
		t.Fatalf("libvirt returned %d domains for %d files", len(docs), len(files))
	}
	return docs
}

// TestLibvirtVMXParserAgrees: for 100 generated .vmx files with random IDs,
// libvirt's VMX parser writes a type='vmware' domain; our libvirt reader must
// recover from it the same guest bytes our .vmx reader reads from the file.
func TestLibvirtVMXParserAgrees(t *testing.T) {
	p := newVMXParser(t)
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	dir := t.TempDir()
	var files []string
	for i := 0; i < 100; i++ {
		g, x := int64(rng.Uint64()), int64(rng.Uint64())
		if i%10 == 0 {
			x >>= rng.IntN(64)
		}
		f := filepath.Join(dir, fmt.Sprintf("vm%03d.vmx", i))
		content := fmt.Sprintf(".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvirtualHW.version = \"19\"\ndisplayName = \"vm%03d\"\nmemsize = \"128\"\nguestOS = \"windows2019srv-64\"\nvm.genid = \"%d\"\nvm.genidX = \"%d\"\n", i, g, x)
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	for i, doc := range p.convert(t, files) {
		want, err := vmware.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		got, err := libvirt.Parse([]byte(doc))
		if err != nil {
			t.Errorf("%s: reading libvirt's XML: %v\n%s", files[i], err, doc)
			continue
		}
		if got.Convention != libvirt.ConvVMware || got.ID != want.ID {
			t.Errorf("%s: libvirt's <genid> read as %s (%s), the .vmx holds %s", files[i], got.ID.GuestBytes(), got.Convention, want.ID.GuestBytes())
		}
	}
}

// embed is libvirt's QEMU driver embedded in virsh, in a private root.
type embed struct {
	root     string
	asNobody bool
}

func newEmbed(t *testing.T) *embed {
	requireTools(t, "virsh", "qemu-system-x86_64")
	e := &embed{asNobody: os.Geteuid() == 0}
	if e.asNobody {
		requireTools(t, "setpriv")
	}
	dir, err := os.MkdirTemp("", "genid-migrate-embed-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil { // writable by nobody
		t.Fatal(err)
	}
	e.root = dir
	return e
}

// guid returns the guid libvirt passes to QEMU for a domain, or an error.
func (e *embed) guid(t *testing.T, name string, doc []byte) (string, error) {
	f := filepath.Join(e.root, name)
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := virsh(t, []string{"HOME=" + e.root}, e.asNobody, "-c", "qemu:///embed?root="+filepath.Join(e.root, "root"), "domxml-to-native", "qemu-argv", f)
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`"driver":"vmgenid","guid":"([^"]*)"|vmgenid,guid=([^,' ]*)`).FindStringSubmatch(out)
	switch {
	case m == nil:
		return "", fmt.Errorf("no vmgenid device in the QEMU arguments:\n%s", out)
	case m[1] != "":
		return m[1], nil
	}
	return m[2], nil
}

// hostable adapts a domain to what the embedded driver can build on a test
// host, leaving <genid> and everything about it alone: type qemu (the same
// driver code as kvm, but no /dev/kvm needed), no network interfaces (no
// /dev/net/tun for an unprivileged user), no host-passthrough CPU (needs
// KVM), no EFI firmware selection (the ESX dump has no <acpi/>), no CPU
// tuning (not available to an unprivileged driver).
func hostable(doc []byte) []byte {
	for _, r := range []struct{ re, with string }{
		{`(<domain[^>]*\stype=)(["'])(kvm|vmware)(["'])`, "${1}${2}qemu${4}"},
		{`(?s)<interface\b.*?</interface>`, ""},
		{`<cpu mode=["']host-passthrough["']\s*/>`, ""},
		{`\sfirmware=["']efi["']`, ""},
		{`(?s)<cputune>.*?</cputune>`, ""},
	} {
		doc = regexp.MustCompile(r.re).ReplaceAll(doc, []byte(r.with))
	}
	return doc
}

// TestRewriteCorpusThroughLibvirt rewrites every corpus domain with the
// GUIDs of the vectors and checks the guid libvirt hands to QEMU, and that
// exactly one line changed or was inserted.
func TestRewriteCorpusThroughLibvirt(t *testing.T) {
	e := newEmbed(t)
	files, _ := filepath.Glob("../../fixtures/libvirt/*.xml")
	more, _ := filepath.Glob("../../fixtures/negative/no-id/*.xml")
	files = append(files, more...)
	vectors := loadVectors(t).Vectors
	for i, f := range files {
		v := vectors[i%len(vectors)]
		name := filepath.Base(f)
		args := []string{"rewrite", "--force", "--windows", v.Windows, f}
		if name == "qemu-commandline.xml" {
			// rewrite refuses this one (a second vmgenid device); libvirt must
			// pass on the command-line device's guid as our reader reads it.
			orig, _ := os.ReadFile(f)
			d, err := libvirt.Parse(orig)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.guid(t, name, hostable(orig))
			if err != nil || got != d.ID.GUID() {
				t.Errorf("%s: libvirt passes %q (%v), our reader says %s", name, got, err, d.ID.GUID())
			}
			continue
		}
		out, err := exec.Command(realBinary(t), args...).Output()
		if err != nil {
			t.Errorf("%s: rewrite: %v", name, err)
			continue
		}
		orig, _ := os.ReadFile(f)
		if d := lineChanges(orig, out); d != 1 {
			t.Errorf("%s: %d lines changed or inserted, want 1", name, d)
		}
		got, err := e.guid(t, name, hostable(out))
		if err != nil {
			t.Errorf("%s: libvirt: %v", name, err)
			continue
		}
		if got != v.GUID {
			t.Errorf("%s: libvirt passes guid=%s to QEMU, want %s (vector %s)", name, got, v.GUID, v.Name)
		}
	}
}

// lineChanges counts the lines of b that are not in a, in order.
func lineChanges(a, b []byte) int {
	al, bl := strings.SplitAfter(string(a), "\n"), strings.SplitAfter(string(b), "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	j := 0
	for j < len(al)-i && j < len(bl)-i && al[len(al)-1-j] == bl[len(bl)-1-j] {
		j++
	}
	return max(len(bl)-i-j, len(al)-i-j)
}

// TestRewriteRandomThroughLibvirt: random IDs from generated .vmx files,
// rewritten into a domain, must reach QEMU as the GUID computed by the
// independent implementation of byte-order.md.
func TestRewriteRandomThroughLibvirt(t *testing.T) {
	e := newEmbed(t)
	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	dom := []byte("<domain type='qemu'>\n  <name>r</name>\n  <uuid>0b4c9a2e-33d1-4f7a-9e2b-5c6d7e8f9a0b</uuid>\n  <memory unit='MiB'>128</memory>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n  </devices>\n</domain>\n")
	dir := t.TempDir()
	domPath := filepath.Join(dir, "dom.xml")
	if err := os.WriteFile(domPath, dom, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		g, x := fmt.Sprint(int64(rng.Uint64())), fmt.Sprint(int64(rng.Uint64()))
		vmx := filepath.Join(dir, "src.vmx")
		os.WriteFile(vmx, []byte("vm.genid = \""+g+"\"\nvm.genidX = \""+x+"\"\n"), 0o644)
		out, err := exec.Command(realBinary(t), "rewrite", "--from", vmx, domPath).Output()
		if err != nil {
			t.Fatalf("rewrite: %v", err)
		}
		got, err := e.guid(t, fmt.Sprintf("r%02d.xml", i), out)
		if want := independent(g, x)["guid"]; err != nil || got != want {
			t.Errorf("vm.genid=%s vm.genidX=%s: libvirt passes %q (%v), want %s", g, x, got, err, want)
		}
	}
}

// TestLibvirtReadsGenIDAsWeDo compares our reading of libvirt's lenient
// <genid> spellings with libvirt's own, value by value.
func TestLibvirtReadsGenIDAsWeDo(t *testing.T) {
	e := newEmbed(t)
	values := []string{
		"09512cc5-940a-8987-b950-f54f631015e8",
		"09512CC5940A8987B950F54F631015E8",
		"09 51 2c c5 94 0a 89 87 b9 50 f5 4f 63 10 15 e8",
		"  0951-2cc5-940a-8987b950-f54f631015e8  ",
		"-09512cc5-940a-8987-b950-f54f631015e8",
		"09512cc5--940a-8987-b950-f54f631015e8",
		"09512cc5-940a-8987-b950-f54f631015e8-",
		"{09512cc5-940a-8987-b950-f54f631015e8}",
		"09512cc5-940a-8987-b950-f54f631015e800",
		"09512cc5-940a-8987-b950-f54f6310",
		"0-9512cc5940a8987b950f54f631015e8",
		"urn:uuid:09512cc5-940a-8987-b950-f54f631015e8",
	}
	for i, v := range values {
		doc := []byte("<domain type='qemu'>\n  <name>v</name>\n  <genid>" + v + "</genid>\n  <memory unit='MiB'>128</memory>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n  </devices>\n</domain>\n")
		theirs, theirErr := e.guid(t, fmt.Sprintf("v%02d.xml", i), doc)
		d, ourErr := libvirt.Parse(doc)
		switch {
		case theirErr != nil && ourErr == nil:
			t.Errorf("%q: libvirt refuses it (%v), we read %s", v, theirErr, d.ID.GUID())
		case theirErr == nil && ourErr != nil:
			t.Errorf("%q: libvirt passes %s, we refuse it: %v", v, theirs, ourErr)
		case theirErr == nil && d.ID.GUID() != theirs:
			t.Errorf("%q: libvirt passes %s, we read %s", v, theirs, d.ID.GUID())
		}
	}
}

// TestRewriteVMXThroughLibvirt: rewrite sets 100 random IDs in a .vmx (a
// move back to VMware), given as guest bytes; libvirt's own VMX parser
// reads each result and writes libvirt's VMX-driver spelling of exactly
// those bytes (computed here by its formula, %016x of each half).
func TestRewriteVMXThroughLibvirt(t *testing.T) {
	p := newVMXParser(t)
	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	dir := t.TempDir()
	base := filepath.Join(dir, "base.vmx")
	// A .vmx that already has a key in lower case and a comment after it.
	os.WriteFile(base, []byte(".encoding = \"UTF-8\"\r\nconfig.version = \"8\"\r\nvirtualHW.version = \"19\"\r\ndisplayName = \"back\"\r\nvm.genidx = \"7\" # old\r\nmemsize = \"128\"\r\n"), 0o644)
	var files, want []string
	for i := 0; i < 100; i++ {
		g := make([]byte, 16)
		for j := range g {
			g[j] = byte(rng.UintN(256))
		}
		out := runCLI(t, "rewrite", "--force", "--bytes", hex.EncodeToString(g), base)
		f := filepath.Join(dir, fmt.Sprintf("back%03d.vmx", i))
		os.WriteFile(f, []byte(out), 0o644)
		lo, hi := binary.LittleEndian.Uint64(g[0:8]), binary.LittleEndian.Uint64(g[8:16])
		s := fmt.Sprintf("%016x%016x", lo, hi)
		files, want = append(files, f), append(want, s[0:8]+"-"+s[8:12]+"-"+s[12:16]+"-"+s[16:20]+"-"+s[20:32])
	}
	for i, doc := range p.convert(t, files) {
		if !strings.Contains(doc, "<genid>"+want[i]+"</genid>") {
			t.Errorf("%s: libvirt wrote\n%s\nwant <genid>%s</genid>", files[i], doc, want[i])
		}
	}
}

// TestAuditFixesRun: the fix audit prints for each mismatch, run as
// printed, makes libvirt hand QEMU the source's ID: a target with libvirt's
// VMX-driver spelling of the source's ID and one with the halves swapped
// (both the source's ID misspelt, replaced without --force), one without
// any, and paths with spaces.
func TestAuditFixesRun(t *testing.T) {
	e := newEmbed(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.MkdirAll(filepath.Join(dir, "dst", "Virtual Machines"), 0o755)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 21))
	type vm struct{ name, uuid, dst, g, x string }
	vms := []*vm{
		{name: "dc01", uuid: "421a6b2c-5e77-0d91-3f4e-82c190aa175b", dst: "dst/dc01.xml"},
		{name: "app 01", uuid: "421a6b2c-5e77-0d91-3f4e-82c190aa1700", dst: "dst/Virtual Machines/app 01.xml"},
		{name: "web01", uuid: "421a6b2c-5e77-0d91-3f4e-82c190aa1701", dst: "dst/web01.xml"},
	}
	for i, v := range vms {
		v.g, v.x = randHalves(rng)
		u := strings.ReplaceAll(v.uuid, "-", "")
		bios := fmt.Sprintf("%s %s %s %s %s %s %s %s-%s %s %s %s %s %s %s %s", u[0:2], u[2:4], u[4:6], u[6:8], u[8:10], u[10:12], u[12:14], u[14:16], u[16:18], u[18:20], u[20:22], u[22:24], u[24:26], u[26:28], u[28:30], u[30:32])
		src := filepath.Join(dir, "src", v.name+".vmx")
		os.WriteFile(src, []byte(fmt.Sprintf("config.version = \"8\"\nvirtualHW.version = \"19\"\ndisplayName = \"%s\"\nuuid.bios = \"%s\"\nvm.genid = \"%s\"\nvm.genidX = \"%s\"\n", v.name, bios, v.g, v.x)), 0o644)
		genidEl := ""
		switch i {
		case 0: // what virt-v2v -i libvirt -ic vpx:// leaves
			genidEl = "\n  <genid>" + strings.TrimSpace(runCLI(t, "convert", "--to", "libvirt-vmware", src)) + "</genid>"
		case 1: // the halves swapped
			genidEl = "\n  <genid>" + strings.TrimSpace(runCLI(t, "convert", "--to", "guid", "--vmx", v.x+":"+v.g)) + "</genid>"
		}
		doc := fmt.Sprintf("<domain type='kvm'>\n  <name>%s</name>\n  <uuid>%s</uuid>%s\n  <memory unit='MiB'>128</memory>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <features>\n    <acpi/>\n  </features>\n</domain>\n", strings.ReplaceAll(v.name, " ", "-"), v.uuid, genidEl)
		os.WriteFile(filepath.Join(dir, v.dst), []byte(doc), 0o644)
	}
	type report struct {
		Findings []struct{ Kind, Fix string }
	}
	audit := func() report {
		cmd := exec.Command(realBinary(t), "audit", "--json", filepath.Join(dir, "src"), filepath.Join(dir, "dst"))
		out, _ := cmd.Output()
		var r report
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return r
	}
	// Half the fixes as audit prints them, pasted one by one; the rest
	// from --fix-script, run whole.
	findings := audit().Findings
	if len(findings) != len(vms) {
		t.Fatalf("findings: %+v", findings)
	}
	for _, f := range findings[:1] {
		if f.Kind != "mismatch" {
			t.Fatalf("finding %s", f.Kind)
		}
		runFix(t, f.Fix)
	}
	script := filepath.Join(t.TempDir(), "fix.sh")
	if _, stderr, code := runEnv(t, nil, "audit", "-q", "--fail-on", "none", "--fix-script", script, filepath.Join(dir, "src"), filepath.Join(dir, "dst")); code != 0 || !strings.Contains(stderr, "audit: 2 fixes written to "+script) {
		t.Fatalf("--fix-script: exit %d: %s", code, stderr)
	}
	if st, err := os.Stat(script); err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("the script: %v %v", st, err)
	}
	runFix(t, script)
	if r := audit(); len(r.Findings) != 0 {
		t.Errorf("after the fixes: %+v", r.Findings)
	}
	for _, v := range vms {
		doc, _ := os.ReadFile(filepath.Join(dir, v.dst))
		guid, err := e.guid(t, "fixed.xml", hostable(doc))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := gFromGUID(guid), gFromVMX(v.g, v.x); got != want {
			t.Errorf("%s: libvirt gives QEMU guid %s, the guest would see %s; the source's saw %s", v.dst, guid, got, want)
		}
	}
}
