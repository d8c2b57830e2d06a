// Package fleetgen writes a synthetic inventory of VM configurations, in
// the proportions and sizes of a mixed VMware, Hyper-V, libvirt and Proxmox
// estate, with planted problems, and says exactly what it planted, so that
// audit's findings can be checked and timed.
//
// Per 100 source VMs: 60 VMware (.vmx of about 150 lines, with a disk
// descriptor, nvram, vmware.log; a sparse 8 MiB flat disk for 1 in 250), 25
// Hyper-V 2016+ (.vmcx of 80 KiB built from the format description, a
// small .vmrs runtime-state file, a checkpoint for 1 in 10), 15 Hyper-V
// 2012 R2 (UTF-16 XML of about 50 KB). A third of them have been migrated:
// a libvirt domain (about 4 KB) or a Proxmox conf with the same UUID.
// Planted: clones sharing an ID, .vmx backups beside their original (not
// clones), missing, malformed and incomplete IDs, damaged .vmcx files, and
// migrated targets carrying libvirt's VMX-driver value, swapped halves or
// a new random ID. One VM in five carries notes or a description written
// the way administrators write them ("Finance & Controlling", "<Veeam>"),
// which XML files hold as entity references.
//
// Disk images are left out unless [Options.DiskImages] asks for them: a
// benchmark's denominator is then the files an audit really reads.
package fleetgen

import (
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
)

// Plants is what the generator planted; audit must find exactly this.
type Plants struct {
	VMs        int         `json:"vms"`
	Configs    int         `json:"configs"`
	Files      int         `json:"files"`
	Bytes      int64       `json:"bytes"`
	Duplicate  [][]string  `json:"duplicate"` // groups of paths of different VMs sharing an ID
	Mismatch   [][3]string `json:"mismatch"`  // source, target, mistake ("unrelated" for a new ID)
	Missing    []string    `json:"missing"`
	Malformed  []string    `json:"malformed"`
	Incomplete []string    `json:"incomplete"`
	NoVM       []string    `json:"no_vm"`
	Checkpoint []string    `json:"checkpoint"`
	Backups    [][2]string `json:"backups"` // original, backup: the same VM, not a duplicate
	Pairs      int         `json:"pairs"`   // migrated pairs, correct or not
}

// Options shape a generated inventory.
type Options struct {
	VMs        int    // source VMs (about 1.6 configurations each)
	Seed       uint64 // the same seed gives the same files
	DiskImages bool   // add a sparse 8 MiB flat disk beside 1 VMware VM in 250
}

// notes is what an administrator typed about one VM in five.
const notes = "Owner: Finance & Controlling; backup: nightly <Veeam>; \"tier 1\""

type gen struct {
	opt    Options
	rng    *rand.Rand
	out    string
	p      Plants
	serial int
	dupOf  map[string]int // source path → its group in p.Duplicate
}

// Generate writes an inventory of vms source VMs into dir (which must not
// exist), disk images included, and returns what it planted.
func Generate(dir string, vms int, seed uint64) (*Plants, error) {
	return GenerateWith(dir, Options{VMs: vms, Seed: seed, DiskImages: true})
}

// GenerateWith writes an inventory shaped by opt into dir (which must not
// exist) and returns what it planted. The disk images do not change what
// is planted: the same seed plants the same problems with or without them.
func GenerateWith(dir string, opt Options) (*Plants, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("%s exists; choose a new directory", dir)
	}
	g := &gen{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x6e6964)), out: dir, dupOf: map[string]int{}}
	if err := g.run(opt.VMs); err != nil {
		return nil, err
	}
	return &g.p, nil
}

func (g *gen) write(rel string, b []byte) string {
	p := filepath.Join(g.out, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		panic(err)
	}
	g.p.Files++
	g.p.Bytes += int64(len(b))
	return p
}

func (g *gen) sparse(rel string, size int64) {
	p := filepath.Join(g.out, rel)
	f, err := os.Create(p)
	if err != nil {
		panic(err)
	}
	f.Truncate(size)
	f.Close()
	g.p.Files++
	g.p.Bytes += size
}

func (g *gen) id() genid.ID {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:], g.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], g.rng.Uint64())
	return genid.ID(b)
}

func (g *gen) uuid() string {
	u := g.id().GuestBytes()
	return u[0:8] + "-" + u[8:12] + "-4" + u[13:16] + "-a" + u[17:20] + "-" + u[20:32]
}

type vm struct {
	notes      bool // an administrator wrote notes about it
	name, uuid string
	id         genid.ID
	path       string // the source configuration
}

func (g *gen) run(n int) error {
	g.p.VMs = n
	for i := 0; i < n; i++ {
		g.serial++
		r := g.rng.IntN(100)
		var v *vm
		switch {
		case r < 60:
			v = g.vmware(i)
		case r < 85:
			v = g.hypervVMCX(i)
		default:
			v = g.hypervXML(i)
		}
		if v != nil && g.rng.IntN(3) == 0 {
			g.migrate(v, i)
		}
	}
	// Host registries: valid containers without a VM.
	for h := 0; h < max(1, n/500); h++ {
		root := vmcxbuild.Node("Configurations", vmcxbuild.Int("FormatVersion", 1), vmcxbuild.String("RegID", g.uuid()), vmcxbuild.Node("VirtualMachines"))
		b, _, err := vmcxbuild.Build(root, vmcxbuild.Options{})
		if err != nil {
			return err
		}
		g.p.NoVM = append(g.p.NoVM, g.write(fmt.Sprintf("hyperv/host%02d/data.vmcx", h), b))
		g.p.Configs++
	}
	return nil
}

// vmware writes a VMware VM folder; some are clones, backups, or broken.
func (g *gen) vmware(i int) *vm {
	v := &vm{notes: i%5 == 0, name: fmt.Sprintf("vm%06d", i), uuid: g.uuid(), id: g.id()}
	dir := fmt.Sprintf("vmware/ds%d/%s", i%4+1, v.name)
	kind := g.rng.IntN(1000)
	genidLines := func(id genid.ID) string {
		a, b := id.VMX()
		return fmt.Sprintf("vm.genid = \"%d\"\nvm.genidX = \"%d\"\n", a, b)
	}
	body := genidLines(v.id)
	switch {
	case kind < 10:
		body = "" // virtual hardware without a generation ID
	case kind < 13:
		a, _ := v.id.VMX()
		body = fmt.Sprintf("vm.genid = \"%d\"\n", a) // half an ID
	case kind < 16:
		body = "vm.genid = \"0x5f3a\"\nvm.genidX = \"17\"\n" // not decimal
	}
	v.path = g.write(dir+"/"+v.name+".vmx", []byte(vmxFile(v, body)))
	g.p.Configs++
	switch {
	case kind < 10:
		g.p.Missing = append(g.p.Missing, v.path)
	case kind < 13:
		g.p.Incomplete = append(g.p.Incomplete, v.path)
	case kind < 16:
		g.p.Malformed = append(g.p.Malformed, v.path)
	}
	g.write(dir+"/"+v.name+".vmdk", []byte(fmt.Sprintf("# Disk DescriptorFile\nversion=1\nencoding=\"UTF-8\"\nCID=%08x\nparentCID=ffffffff\ncreateType=\"vmfs\"\n\n# Extent description\nRW 83886080 VMFS \"%s-flat.vmdk\"\n\n# The Disk Data Base\n#DDB\n\nddb.adapterType = \"lsilogic\"\nddb.geometry.cylinders = \"5221\"\nddb.geometry.heads = \"255\"\nddb.geometry.sectors = \"63\"\nddb.uuid = \"60 00 C2 9a 3c 11 0e 5f-8b 21 44 90 1d 3e 7a 02\"\nddb.virtualHWVersion = \"19\"\n", g.rng.Uint32(), v.name)))
	nv := make([]byte, 8684)
	for k := range nv {
		nv[k] = byte(g.rng.Uint32())
	}
	g.write(dir+"/"+v.name+".nvram", nv)
	g.write(dir+"/vmware.log", []byte(vmwareLog(v.name, 300)))
	if g.rng.IntN(250) == 0 && g.opt.DiskImages {
		g.sparse(dir+"/"+v.name+"-flat.vmdk", 8<<20) // a disk image: audit reads only its first bytes
	}
	if kind >= 16 && kind < 26 { // a backup beside its original: the same VM
		b := g.write(dir+"/"+v.name+".vmx.bak", []byte(vmxFile(v, body)))
		g.p.Configs++
		g.p.Backups = append(g.p.Backups, [2]string{v.path, b})
	}
	if kind >= 26 && kind < 31 { // a clone that kept the ID: a different VM
		c := &vm{name: v.name + "-clone", uuid: g.uuid(), id: v.id}
		cp := g.write(fmt.Sprintf("vmware/ds%d/%s/%s.vmx", (i+1)%4+1, c.name, c.name), []byte(vmxFile(c, body)))
		g.p.Configs++
		g.dupOf[v.path] = len(g.p.Duplicate)
		g.p.Duplicate = append(g.p.Duplicate, []string{v.path, cp})
	}
	if kind < 16 {
		return nil // nothing to migrate
	}
	return v
}

// vmxFile renders a .vmx of about 150 lines in ESXi's key order.
func vmxFile(v *vm, genidLines string) string {
	var b strings.Builder
	fmt.Fprintf(&b, ".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvirtualHW.version = \"19\"\nvmci0.present = \"TRUE\"\nfloppy0.present = \"FALSE\"\nnumvcpus = \"2\"\nmemSize = \"8192\"\nfirmware = \"efi\"\n")
	fmt.Fprintf(&b, "displayName = \"%s\"\nguestOS = \"windows2019srv-64\"\n", v.name)
	if v.notes { // ESXi writes a double quote in a value as |22
		fmt.Fprintf(&b, "annotation = \"%s\"\n", strings.ReplaceAll(notes, "\"", "|22"))
	}
	ub := strings.ReplaceAll(v.uuid, "-", "")
	fmt.Fprintf(&b, "uuid.bios = \"%s %s %s %s %s %s %s %s-%s %s %s %s %s %s %s %s\"\n", ub[0:2], ub[2:4], ub[4:6], ub[6:8], ub[8:10], ub[10:12], ub[12:14], ub[14:16], ub[16:18], ub[18:20], ub[20:22], ub[22:24], ub[24:26], ub[26:28], ub[28:30], ub[30:32])
	b.WriteString(genidLines)
	for d := 0; d < 16; d++ {
		fmt.Fprintf(&b, "scsi0:%d.present = \"%s\"\nscsi0:%d.fileName = \"%s_%d.vmdk\"\nscsi0:%d.deviceType = \"scsi-hardDisk\"\nsched.scsi0:%d.shares = \"normal\"\nsched.scsi0:%d.throughputCap = \"off\"\n", d, map[bool]string{true: "TRUE", false: "FALSE"}[d < 2], d, v.name, d, d, d, d)
	}
	for n := 0; n < 8; n++ {
		fmt.Fprintf(&b, "ethernet%d.virtualDev = \"vmxnet3\"\nethernet%d.networkName = \"VM Network %d\"\nethernet%d.addressType = \"vpx\"\nethernet%d.present = \"%s\"\n", n, n, n, n, n, map[bool]string{true: "TRUE", false: "FALSE"}[n == 0])
	}
	b.WriteString("tools.syncTime = \"FALSE\"\nsched.cpu.min = \"0\"\nsched.cpu.shares = \"normal\"\nsched.mem.min = \"0\"\nsched.mem.shares = \"normal\"\nuefi.secureBoot.enabled = \"TRUE\"\nmigrate.hostLogState = \"none\"\ncleanShutdown = \"TRUE\"\n")
	return b.String()
}

func vmwareLog(name string, lines int) string {
	var b strings.Builder
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&b, "2026-11-%02dT%02d:%02d:%02d.%03dZ In(05) vmx - %s: Guest OS heartbeat, power state on, tools running, VMCI %d, generation counter unchanged\n", i%28+1, i%24, i%60, i%60, i%1000, name, i)
	}
	return b.String()
}

func (g *gen) hyperv(v *vm, gen2 bool) *vmcxbuild.VM {
	spec := &vmcxbuild.VM{Name: v.name, GlobalID: strings.ToUpper(v.uuid), GenerationID: v.id.HyperV(), Gen2: gen2}
	if v.notes {
		spec.Notes = notes
	}
	return spec
}

// hypervVMCX writes a Hyper-V 2016+ VM folder.
func (g *gen) hypervVMCX(i int) *vm {
	v := &vm{notes: i%5 == 0, name: fmt.Sprintf("hv%06d", i), uuid: g.uuid(), id: g.id()}
	dir := fmt.Sprintf("hyperv/%s", v.name)
	spec := g.hyperv(v, g.rng.IntN(2) == 0)
	b, l, err := vmcxbuild.Build(spec.Tree(), vmcxbuild.Options{Sequence: [2]uint16{25, 24}, LogSize: 0x9000, ExtraObjects: 1})
	if err != nil {
		panic(err)
	}
	broken := g.rng.IntN(500) == 0
	if broken { // a damaged copy: the generation_id entry fails its CRC
		b[l.Entries["configuration/global_settings/devices/generation_id"]+0x30] ^= 0x01
	}
	v.path = g.write(fmt.Sprintf("%s/Virtual Machines/%s.vmcx", dir, strings.ToUpper(v.uuid)), b)
	g.p.Configs++
	rs, _, _ := vmcxbuild.Build(vmcxbuild.Node("configuration", vmcxbuild.Node("properties", vmcxbuild.Int("version", 2304))), vmcxbuild.Options{TrimLog: true})
	g.p.NoVM = append(g.p.NoVM, g.write(fmt.Sprintf("%s/Virtual Machines/%s.vmrs", dir, strings.ToUpper(v.uuid)), rs))
	g.p.Configs++
	if broken {
		g.p.Malformed = append(g.p.Malformed, v.path)
		return nil
	}
	if g.rng.IntN(10) == 0 { // a checkpoint: the same VM (global_id), an older ID
		old := *spec
		old.GenerationID = g.id().HyperV()
		cb, _, _ := vmcxbuild.Build(old.Tree(), vmcxbuild.Options{Sequence: [2]uint16{7, 6}, LogSize: 0x9000})
		g.p.Checkpoint = append(g.p.Checkpoint, g.write(fmt.Sprintf("%s/Snapshots/%s.vmcx", dir, strings.ToUpper(g.uuid())), cb))
		g.p.Configs++
	}
	return v
}

// hypervXML writes a Hyper-V 2012 R2 VM folder (UTF-16 XML).
func (g *gen) hypervXML(i int) *vm {
	v := &vm{notes: i%5 == 0, name: fmt.Sprintf("hx%06d", i), uuid: g.uuid(), id: g.id()}
	spec := g.hyperv(v, false)
	spec.Version = 1280
	x := vmcxbuild.XML(spec.Tree())
	v.path = g.write(fmt.Sprintf("hyperv-2012/%s/Virtual Machines/%s.xml", v.name, strings.ToUpper(v.uuid)), vmcxbuild.UTF16LE(x))
	g.p.Configs++
	return v
}

// migrate writes the target of a migrated VM: correct, or carrying a
// known wrong value, or a new ID.
func (g *gen) migrate(v *vm, i int) {
	g.p.Pairs++
	id, mistake := v.id, ""
	switch r := g.rng.IntN(100); {
	case r < 6:
		id, mistake = genid.FromUUIDBytes(v.id.LibvirtVMwareUUIDBytes()), "libvirt-vmx-convention"
	case r < 9:
		id, mistake = genid.FromHalves(v.id.High(), v.id.Low()), "high-low-swapped"
	case r < 12:
		id, mistake = g.id(), "unrelated"
	}
	var target string
	if g.rng.IntN(3) == 0 {
		vmid := 100 + i
		target = g.write(fmt.Sprintf("proxmox/qemu-server/%d.conf", vmid), []byte(fmt.Sprintf("agent: 1\nbios: ovmf\nboot: order=scsi0;net0\ncores: 2\nmachine: pc-q35-8.1\nmemory: 8192\nname: %s\nnet0: virtio=BC:24:11:%02X:%02X:%02X,bridge=vmbr0\nostype: win10\nscsi0: local-lvm:vm-%d-disk-0,size=80G\nscsihw: virtio-scsi-single\nsmbios1: uuid=%s\nsockets: 1\nvmgenid: %s\n", v.name, g.rng.IntN(256), g.rng.IntN(256), g.rng.IntN(256), vmid, v.uuid, id.GUID())))
	} else {
		target = g.write(fmt.Sprintf("libvirt/qemu/%s.xml", v.name), []byte(domainXML(v, id)))
	}
	g.p.Configs++
	if mistake != "" {
		g.p.Mismatch = append(g.p.Mismatch, [3]string{v.path, target, mistake})
	} else if d, ok := g.dupOf[v.path]; ok { // the target shares the clone's ID too
		g.p.Duplicate[d] = append(g.p.Duplicate[d], target)
	}
}

// domainXML renders a libvirt domain of about 4 KB, as virt-v2v writes.
func domainXML(v *vm, id genid.ID) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<domain type='kvm'>\n  <!-- generated by virt-v2v 2.2.0 -->\n  <metadata>\n    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n      <libosinfo:os id=\"http://microsoft.com/win/2k19\"/>\n    </libosinfo:libosinfo>\n  </metadata>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <genid>%s</genid>\n", v.name, v.uuid, id.GUID())
	if v.notes {
		var esc strings.Builder
		xml.EscapeText(&esc, []byte(notes))
		fmt.Fprintf(&b, "  <title>%s (migrated)</title>\n  <description>%s</description>\n", v.name, esc.String())
	}
	b.WriteString("  <memory unit='KiB'>8388608</memory>\n  <currentMemory unit='KiB'>8388608</currentMemory>\n  <vcpu>2</vcpu>\n  <features>\n    <acpi/>\n    <apic/>\n    <hyperv>\n      <relaxed state='on'/>\n      <vapic state='on'/>\n      <spinlocks state='on' retries='8191'/>\n    </hyperv>\n  </features>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n  </os>\n  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>restart</on_crash>\n  <devices>\n")
	for d := 0; d < 4; d++ {
		fmt.Fprintf(&b, "    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n      <source file='/var/lib/libvirt/images/%s-sd%c'/>\n      <target dev='vd%c' bus='virtio'/>\n    </disk>\n", v.name, 'a'+d, 'a'+d)
	}
	for n := 0; n < 4; n++ {
		fmt.Fprintf(&b, "    <interface type='network'>\n      <source network='default'/>\n      <model type='virtio'/>\n    </interface>\n")
	}
	b.WriteString("    <video>\n      <model type='qxl' ram='65536' heads='1'/>\n    </video>\n    <graphics type='vnc' autoport='yes' port='-1'/>\n    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n    <memballoon model='virtio'/>\n    <input type='tablet' bus='usb'/>\n    <input type='mouse' bus='ps2'/>\n    <console type='pty'/>\n  </devices>\n</domain>\n")
	return b.String()
}
