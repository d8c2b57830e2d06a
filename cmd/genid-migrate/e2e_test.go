package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// The end-to-end suite: for every input format, the CLI's QEMU argument or
// rewritten libvirt domain is run on real QEMU (q35 and pc with SeaBIOS,
// q35 with OVMF), the guest's 16 bytes are read from its memory, and they
// must equal G computed here from the source by the formulas of
// docs/byte-order.md, without the code under test. Each QEMU has 128 MiB,
// a QMP socket in a temporary directory, a time limit, and is killed by PID.

const ovmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd"

// --- G from each source, by the formulas (independent of package genid) ---

func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func u64(dec string) uint64 { // a signed or unsigned decimal, modulo 2^64
	n, _ := new(big.Int).SetString(dec, 10)
	return n.Mod(n, new(big.Int).Lsh(big.NewInt(1), 64)).Uint64()
}

func gFromVMX(genid, genidX string) string {
	return hex.EncodeToString(append(le64(u64(genid)), le64(u64(genidX))...))
}

func gFromWindows(s string) string {
	lo, hi, _ := strings.Cut(s, ":")
	l, _ := strconv.ParseUint(lo, 16, 64)
	h, _ := strconv.ParseUint(hi, 16, 64)
	return hex.EncodeToString(append(le64(l), le64(h)...))
}

func gFromHyperV(s string) string {
	b, _ := hex.DecodeString(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return hex.EncodeToString(b)
}

func gFromGUID(s string) string { // uuid(guid).bytes_le
	b, _ := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	b[0], b[1], b[2], b[3] = b[3], b[2], b[1], b[0]
	b[4], b[5] = b[5], b[4]
	b[6], b[7] = b[7], b[6]
	return hex.EncodeToString(b)
}

// --- QEMU, started and read by the test ---

type vm struct {
	dir, sock string
	cmd       *exec.Cmd
}

var qemuSlots = make(chan struct{}, 2) // two guests at a time on two cores

// The time limits of the QEMU tests, for two loaded cores; testenv.Timeout
// scales them all.
var (
	qemuReady    = testenv.Timeout(60 * time.Second)  // from start to a QMP greeting
	qemuLifetime = testenv.Timeout(300 * time.Second) // the longest a test's QEMU runs
	guestSetup   = testenv.Timeout(120 * time.Second) // for the firmware to set the ID buffer up
)

// startQEMU boots QEMU with the given -device value (and extra arguments)
// and returns once its QMP monitor answers: the socket file appears before
// QEMU listens on it, so its existence is not enough.
func startQEMU(t *testing.T, machine string, uefi bool, device string, extra ...string) *vm {
	t.Helper()
	requireTools(t, "qemu-system-x86_64")
	qemuSlots <- struct{}{}
	t.Cleanup(func() { <-qemuSlots })
	dir, err := os.MkdirTemp("", "gm-qemu-")
	if err != nil {
		t.Fatal(err)
	}
	v := &vm{dir: dir, sock: filepath.Join(dir, "qmp.sock")}
	args := []string{"-machine", machine, "-accel", "tcg", "-m", "128", "-display", "none", "-nodefaults",
		"-no-user-config", "-net", "none", "-qmp", "unix:" + v.sock + ",server=on,wait=off"}
	if device != "" {
		args = append(args, "-device", device)
	}
	args = append(args, extra...)
	if uefi {
		testenv.File(t, ovmfCode, "OVMF (apt-get install ovmf)")
		args = append(args, "-drive", "if=pflash,format=raw,readonly=on,file="+ovmfCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), qemuLifetime)
	v.cmd = exec.CommandContext(ctx, "qemu-system-x86_64", args...)
	var stderr bytes.Buffer
	v.cmd.Stderr = &stderr
	if err := v.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	exited := make(chan struct{}) // closed once QEMU has exited and its stderr is all read
	go func() { v.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		v.cmd.Process.Kill() // by PID
		<-exited
		cancel()
		os.RemoveAll(dir)
	})
	deadline := time.Now().Add(qemuReady)
	for {
		if conn, err := net.Dial("unix", v.sock); err == nil {
			conn.SetDeadline(time.Now().Add(qemuReady))
			greeting, err := bufio.NewReader(conn).ReadString('\n')
			conn.Close()
			if err == nil && strings.Contains(greeting, `"QMP"`) {
				return v
			}
		}
		select {
		case <-exited:
			t.Fatalf("QEMU exited before its QMP monitor answered: %s", stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			v.cmd.Process.Kill()
			<-exited
			t.Fatalf("QEMU's QMP monitor did not answer within %s: %s", qemuReady, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// guestBytes reads the 16 bytes the guest sees on its own: it saves the
// guest's RAM with QMP pmemsave (128 MiB), finds QEMU's VMGENID SSDT
// (checksum-valid), takes VGIA from its AML and reads VGIA+40, polling
// until the firmware has set the buffer up.
func (v *vm) guestBytes(t *testing.T) string {
	t.Helper()
	conn, err := net.Dial("unix", v.sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(guestSetup + qemuReady))
	r := bufio.NewReader(conn)
	r.ReadString('\n') // greeting
	exec := func(cmd string) string {
		fmt.Fprintln(conn, cmd)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(line, `"event"`) {
				return line
			}
		}
	}
	exec(`{"execute":"qmp_capabilities"}`)
	dump := filepath.Join(v.dir, "ram")
	for deadline := time.Now().Add(guestSetup); time.Now().Before(deadline); {
		if out := exec(`{"execute":"pmemsave","arguments":{"val":0,"size":134217728,"filename":"` + dump + `"}}`); !strings.Contains(out, `"return"`) {
			t.Fatalf("pmemsave: %s", out)
		}
		if g, ok := scanDump(t, dump); ok {
			return g
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatal("the guest firmware never set the generation ID buffer up")
	return ""
}

func scanDump(t *testing.T, name string) (string, bool) {
	ram, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; {
		j := bytes.Index(ram[i:], []byte("SSDT"))
		if j < 0 {
			return "", false
		}
		i += j
		if i+36 <= len(ram) && string(ram[i+16:i+23]) == "VMGENID" {
			n := int(binary.LittleEndian.Uint32(ram[i+4:]))
			var sum byte
			for _, c := range ram[i : i+n] {
				sum += c
			}
			k := bytes.Index(ram[i:i+n], []byte{0x08, 'V', 'G', 'I', 'A', 0x0c})
			if sum == 0 && k > 0 {
				vgia := int(binary.LittleEndian.Uint32(ram[i+k+6:]))
				if vgia != 0 && vgia+56 <= len(ram) {
					return hex.EncodeToString(ram[vgia+40 : vgia+56]), true
				}
			}
		}
		i += 4
	}
}

// runCLI runs the real binary and returns stdout, failing on an error.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(realBinary(t), args...).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("genid-migrate %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// qemuDevice asks the CLI for the -device value of an input.
func qemuDevice(t *testing.T, input ...string) string {
	out := strings.TrimSpace(runCLI(t, append([]string{"convert", "--to", "qemu"}, input...)...))
	dev, ok := strings.CutPrefix(out, "-device ")
	if !ok {
		t.Fatalf("convert --to qemu printed %q", out)
	}
	return dev
}

// e2eCase is one source, the CLI input that names it, and G by formula.
type e2eCase struct {
	name  string
	input []string
	want  string // G, 32 hex digits
}

func randHalves(rng *rand.Rand) (string, string) {
	return strconv.FormatInt(int64(rng.Uint64()), 10), strconv.FormatInt(int64(rng.Uint64()), 10)
}

// e2eCases builds the inputs of every format with random IDs (at least 50).
func e2eCases(t *testing.T, rng *rand.Rand, dir string) []e2eCase {
	var cases []e2eCase
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for i := 0; i < 12; i++ { // VMware .vmx
		g, x := randHalves(rng)
		p := write(fmt.Sprintf("vm%d.vmx", i), []byte(fmt.Sprintf(".encoding = \"UTF-8\"\ndisplayName = \"vm%d\"\nvm.genid = \"%s\"\nvm.genidX = \"%s\"\n", i, g, x)))
		cases = append(cases, e2eCase{"vmx", []string{p}, gFromVMX(g, x)})
	}
	for i := 0; i < 6; i++ { // Hyper-V XML (UTF-16, as Hyper-V writes it)
		h := fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())
		p := write(fmt.Sprintf("hv%d.xml", i), vmcxbuild.UTF16LE(vmcxbuild.XML(vmcxbuild.VM{Name: "x", GlobalID: "G", GenerationID: h, Version: 1280}.Tree())))
		cases = append(cases, e2eCase{"hyperv-xml", []string{p}, gFromHyperV(h)})
	}
	for i := 0; i < 6; i++ { // Hyper-V vmcx written from the format description
		h := fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())
		b, _, err := vmcxbuild.Build(vmcxbuild.VM{Name: "x", GlobalID: "G", GenerationID: h}.Tree(), vmcxbuild.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, e2eCase{"hyperv-vmcx", []string{write(fmt.Sprintf("vm%d.vmcx", i), b)}, gFromHyperV(h)})
	}
	for i := 0; i < 6; i++ { // Proxmox qemu-server conf
		u := gFromHyperV(fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64()))
		guid := u[0:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:32]
		p := write(fmt.Sprintf("%d.conf", 100+i), []byte("name: x\nvmgenid: "+guid+"\n"))
		cases = append(cases, e2eCase{"proxmox", []string{p}, gFromGUID(guid)})
	}
	for i := 0; i < 4; i++ { // every literal flag
		g, x := randHalves(rng)
		want := gFromVMX(g, x)
		b, _ := hex.DecodeString(want)
		lo, hi := binary.LittleEndian.Uint64(b[0:8]), binary.LittleEndian.Uint64(b[8:16])
		rev := make([]byte, 16)
		for k := range b {
			rev[15-k] = b[k]
		}
		sw := append([]byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]}, b[8:]...)
		guid := hex.EncodeToString(sw)
		guid = guid[0:8] + "-" + guid[8:12] + "-" + guid[12:16] + "-" + guid[16:20] + "-" + guid[20:32]
		cases = append(cases,
			e2eCase{"literal-vmx", []string{"--vmx=" + g + ":" + x}, want},
			e2eCase{"literal-windows", []string{"--windows", fmt.Sprintf("%x:%x", lo, hi)}, gFromWindows(fmt.Sprintf("%x:%x", lo, hi))},
			e2eCase{"literal-hyperv", []string{"--hyperv", hex.EncodeToString(rev)}, gFromHyperV(hex.EncodeToString(rev))},
			e2eCase{"literal-bytes", []string{"--bytes", want}, want},
			e2eCase{"literal-guid", []string{"--guid", guid}, gFromGUID(guid)},
			e2eCase{"literal-xen", []string{"--xen=" + g + ":" + x}, gFromVMX(g, x)},
		)
	}
	return cases
}

// TestE2EQEMU boots QEMU for every case and compares the guest's bytes.
func TestE2EQEMU(t *testing.T) {
	requireTools(t, "qemu-system-x86_64")
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 5))
	dir := t.TempDir()
	cases := e2eCases(t, rng, dir)
	// The real Hyper-V samples, with the values of their SOURCES.md.
	if samples, ok := testenv.OptionalSamples(t, filepath.Join("..", "..")); ok {
		for f, h := range map[string]string{
			"dissect-test.vmcx": "b7ca8a6ab91ab997147185c9284d42c5",
			"dissect-target-993F7B33-6057-4D1E-A1FE-A1A1D77BE974.vmcx": "069028fc04cdad1d39b4e3e94c94ec1b",
			"dissect-target-EC04F346-DB96-4700-AF5B-77B3C56C38BD.vmcx": "0781c6a1656e2e3dbc5e580a4d8e9632",
		} {
			cases = append(cases, e2eCase{"sample " + f, []string{filepath.Join(samples, f)}, gFromHyperV(h)})
		}
	}
	// The seed document's two in-guest observations.
	cases = append(cases,
		e2eCase{"seed VMware VM", []string{"../../fixtures/vmware/win2019-dc01.vmx"}, gFromWindows("8987940a09512cc5:e81510634ff550b9")},
		e2eCase{"seed Hyper-V VM", []string{"../../fixtures/hyperv/6D5A1F43-0B3E-4C2B-9A17-2F1E3D4C5B6A.vmcx"}, gFromWindows("fe6f6992be334a43:805a287a250989e4")},
	)
	machines := []string{"q35", "pc"}
	var mu sync.Mutex
	random := 0
	for i, c := range cases {
		machine := machines[i%2]
		c := c
		t.Run(fmt.Sprintf("%02d-%s-%s", i, c.name, machine), func(t *testing.T) {
			t.Parallel()
			dev := qemuDevice(t, c.input...)
			v := startQEMU(t, machine, false, dev)
			if got := v.guestBytes(t); got != c.want {
				t.Fatalf("%v: the guest sees %s, the formulas give %s (-device %s)", c.input, got, c.want, dev)
			}
			// The user's check agrees: verify against the running guest.
			out := runCLI(t, append([]string{"verify", "--qmp", v.sock, "--expect"}, expectArg(t, c, dir)...)...)
			if !strings.HasPrefix(out, "MATCH") {
				t.Fatalf("verify: %s", out)
			}
			mu.Lock()
			if !strings.HasPrefix(c.name, "sample") && !strings.HasPrefix(c.name, "seed") {
				random++
			}
			mu.Unlock()
		})
	}
	t.Cleanup(func() {
		if !t.Failed() && random < 50 {
			t.Errorf("only %d random IDs ran", random)
		}
	})
}

// expectArg turns a case's input into a file verify --expect can read.
func expectArg(t *testing.T, c e2eCase, dir string) []string {
	if !strings.HasPrefix(c.input[0], "--") {
		return c.input
	}
	p := filepath.Join(dir, fmt.Sprintf("expect-%x.vmx", rand.Uint64()))
	b, _ := hex.DecodeString(c.want)
	os.WriteFile(p, []byte(fmt.Sprintf("vm.genid = \"%d\"\nvm.genidX = \"%d\"\n", int64(binary.LittleEndian.Uint64(b[0:8])), int64(binary.LittleEndian.Uint64(b[8:16])))), 0o644)
	return []string{p}
}

// TestE2EOVMF: the same under UEFI firmware, once.
func TestE2EOVMF(t *testing.T) {
	want := gFromWindows("8987940a09512cc5:e81510634ff550b9")
	v := startQEMU(t, "q35", true, qemuDevice(t, "../../fixtures/vmware/win2019-dc01.vmx"))
	if got := v.guestBytes(t); got != want {
		t.Fatalf("the guest sees %s, want %s", got, want)
	}
	out := runCLI(t, "show", "--json", "--qmp", v.sock)
	if !strings.Contains(out, `"guest_bytes": "`+want+`"`) || !strings.Contains(out, "uefi firmware") {
		t.Fatalf("show --qmp: %s", out)
	}
}

// TestE2EIncus gives QEMU the value of convert --to incus the way Incus
// does: a [device "vmgenid0"] section with driver "vmgenid" and guid
// <volatile.uuid.generation> in the file it passes with -readconfig
// (qemuVmgen, internal/server/instance/drivers/driver_qemu_templates.go).
func TestE2EIncus(t *testing.T) {
	want := gFromWindows("8987940a09512cc5:e81510634ff550b9") // observed on ESXi, vector seed-vmware
	out := strings.TrimSpace(runCLI(t, "convert", "--to", "incus", "../../fixtures/vmware/win2019-dc01.vmx"))
	guid, ok := strings.CutPrefix(out, "volatile.uuid.generation=")
	if !ok {
		t.Fatalf("convert --to incus: %q", out)
	}
	conf := filepath.Join(t.TempDir(), "qemu.conf")
	os.WriteFile(conf, []byte("# VM Generation ID\n[device \"vmgenid0\"]\ndriver = \"vmgenid\"\nguid = \""+guid+"\"\n"), 0o644)
	v := startQEMU(t, "q35", false, "", "-readconfig", conf)
	if got := v.guestBytes(t); got != want {
		t.Fatalf("the guest sees %s, want %s", got, want)
	}
}

// TestE2EQMPOverTCP: verify --qmp with a loopback host:port, the other
// form users give, against a QEMU with a second QMP monitor on TCP.
func TestE2EQMPOverTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // QEMU listens there next
	want := gFromWindows("8987940a09512cc5:e81510634ff550b9")
	v := startQEMU(t, "pc", false, qemuDevice(t, "../../fixtures/vmware/win2019-dc01.vmx"), "-qmp", "tcp:"+addr+",server=on,wait=off")
	if got := v.guestBytes(t); got != want { // the firmware has set the buffer up
		t.Fatalf("the guest sees %s, want %s", got, want)
	}
	out := runCLI(t, "verify", "--json", "--qmp", addr, "--expect", "../../fixtures/vmware/win2019-dc01.vmx")
	var rep struct {
		Match bool
		Guest struct {
			GuestBytes string `json:"guest_bytes"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.Match || rep.Guest.GuestBytes != want {
		t.Fatalf("verify --qmp %s: %s (%v)", addr, out, err)
	}
}

// TestE2ELibvirtNegative: libvirt's own VMX→XML <genid>, used in a QEMU
// domain as virt-v2v -i libvirt does, makes the guest see other bytes
// (the seed's third observation), and verify names the libvirt convention.
func TestE2ELibvirtNegative(t *testing.T) {
	p := newVMXParser(t)
	doms := p.convert(t, []string{"../../fixtures/vmware/win2019-dc01.vmx"})
	start := strings.Index(doms[0], "<genid>") + len("<genid>")
	libvirtGUID := doms[0][start : start+36]
	if libvirtGUID != "8987940a-0951-2cc5-e815-10634ff550b9" {
		t.Fatalf("libvirt wrote %s", libvirtGUID)
	}
	v := startQEMU(t, "q35", false, "vmgenid,guid="+libvirtGUID+",id=vmgenid0")
	if got := v.guestBytes(t); got != gFromWindows("2cc509518987940a:b950f54f631015e8") {
		t.Fatalf("the guest sees %s", got)
	}
	cmd := exec.Command(realBinary(t), "verify", "--json", "--expect", "../../fixtures/vmware/win2019-dc01.vmx", "--qmp", v.sock)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("verify exit %v, want 1: %s", err, out)
	}
	var rep struct {
		Match     bool
		Guest     struct{ Windows string }
		Diagnosis []struct{ Mistake string }
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Match || rep.Guest.Windows != "2cc509518987940a:b950f54f631015e8" || len(rep.Diagnosis) == 0 || rep.Diagnosis[0].Mistake != "libvirt-vmx-convention" {
		t.Fatalf("verify: %s", out)
	}
}

// TestE2ELibvirt runs the whole chain through libvirt: random .vmx files,
// libvirt's own VMX parser, rewrite of a QEMU domain from its output, the
// embedded QEMU driver starting the domain, and the guest's bytes read
// through virsh qemu-monitor-command.
func TestE2ELibvirt(t *testing.T) {
	p := newVMXParser(t)
	e := newEmbed(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	var files, want []string
	for i := 0; i < 3; i++ {
		g, x := randHalves(rng)
		f := filepath.Join(e.root, fmt.Sprintf("src%d.vmx", i))
		os.WriteFile(f, []byte(fmt.Sprintf("config.version = \"8\"\nvirtualHW.version = \"19\"\ndisplayName = \"s%d\"\nmemsize = \"128\"\nvm.genid = \"%s\"\nvm.genidX = \"%s\"\n", i, g, x)), 0o644)
		files, want = append(files, f), append(want, gFromVMX(g, x))
	}
	base := filepath.Join(e.root, "base.xml")
	os.WriteFile(base, []byte("<domain type='qemu'>\n  <name>e2e</name>\n  <uuid>0b4c9a2e-33d1-4f7a-9e2b-5c6d7e8f9a0b</uuid>\n  <memory unit='MiB'>128</memory>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <features>\n    <acpi/>\n  </features>\n  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n  </devices>\n</domain>\n"), 0o644)
	for i, doc := range p.convert(t, files) {
		esx := filepath.Join(e.root, fmt.Sprintf("esx%d.xml", i))
		os.WriteFile(esx, []byte(doc), 0o644)
		dom := filepath.Join(e.root, fmt.Sprintf("dom%d.xml", i))
		os.WriteFile(dom, []byte(runCLI(t, "rewrite", "--from", esx, base)), 0o644)
		if got := e.runGuest(t, dom); got != want[i] {
			t.Errorf("%s: the guest sees %s, the formulas give %s", files[i], got, want[i])
		}
	}
}

// runGuest starts a domain with the embedded driver in one virsh session,
// saves its RAM through qemu-monitor-command until the firmware has set the
// buffer up, and returns the guest's bytes.
func (e *embed) runGuest(t *testing.T, dom string) string {
	qemuSlots <- struct{}{}
	defer func() { <-qemuSlots }()
	ctx, cancel := context.WithTimeout(context.Background(), qemuLifetime)
	defer cancel()
	args := []string{"virsh", "-c", "qemu:///embed?root=" + filepath.Join(e.root, "root")}
	if e.asNobody {
		args = append([]string{"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "HOME=" + e.root}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	r := bufio.NewReader(stdout)
	say := func(c string) string { // runs one command; the marker is split so the echoed prompt cannot match
		fmt.Fprintf(stdin, "%s\necho \"@@DO\"\"NE@@\"\n", c)
		var out strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("virsh: %v: %s", err, out.String())
			}
			if strings.Contains(line, "@@DONE@@") && !strings.Contains(line, "echo") {
				return out.String()
			}
			out.WriteString(line)
		}
	}
	doc, err := os.ReadFile(dom)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`<name>([^<]+)</name>`).FindSubmatch(doc)
	if name == nil {
		t.Fatalf("%s has no <name>", dom)
	}
	if out := say("create " + dom); !strings.Contains(out, "created") {
		t.Fatalf("virsh create: %s", out)
	}
	defer say("destroy " + string(name[1]))
	dump := filepath.Join(e.root, "ram")
	for deadline := time.Now().Add(guestSetup); time.Now().Before(deadline); {
		say(`qemu-monitor-command ` + string(name[1]) + ` '{"execute":"pmemsave","arguments":{"val":0,"size":134217728,"filename":"` + dump + `"}}'`)
		if g, ok := scanDump(t, dump); ok {
			return g
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatal("the guest firmware never set the generation ID buffer up")
	return ""
}
