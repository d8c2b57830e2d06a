package genid

import (
	"strconv"
	"strings"
)

// A Convention names the rule by which an input's text became an [ID]. It
// is part of what a reader returns, because the same text means different
// bytes under different rules (docs/byte-order.md).
type Convention string

// The conventions, each with the transform from its text to G.
const (
	ConvVMware        Convention = "vmware"         // vm.genid, vm.genidX: LE64(genid) ‖ LE64(genidX)
	ConvQEMU          Convention = "qemu"           // QEMU guid=: fields 1–3 of the UUID byte-swapped
	ConvWindows       Convention = "windows"        // VMGENID.EXE low:high: LE64(low) ‖ LE64(high)
	ConvHyperV        Convention = "hyperv"         // generation_id: the hex bytes reversed
	ConvGuestBytes    Convention = "guest-bytes"    // the 16 bytes themselves
	ConvXen           Convention = "xen"            // a:b: LE64(a) ‖ LE64(b)
	ConvLibvirtVMware Convention = "libvirt-vmware" // libvirt's VMX/ESX driver: each 8-byte half of the UUID reversed
)

// A Field is one named value of a VM's identity, such as its display name.
type Field struct {
	Key   string // for JSON, such as "display_name"
	Label string // for people, as the input spells it, such as "displayName"
	Value string
}

// A Snapshot is the ID a snapshot or pending section of a configuration
// holds, which the VM gets back only when that snapshot is restored.
type Snapshot struct {
	Name  string // the section's name
	Line  int    // the line of its ID, or of its header when it has none
	State string // "set", "generate", "disabled" or "absent"
	ID    ID     // when State is "set"
}

// A Reading is what every format reader finds in one VM configuration, in
// one shape: the ID (or, with the reader's error, why there is none), how
// the text became the ID, where in the input it is, and who the VM is.
// Readers keep their own detailed types and give a Reading from them.
type Reading struct {
	ID         ID         // zero when the reader's error says why there is none
	Convention Convention // how the text became ID
	Where      string     // where in the input the ID is: "line 12", "lines 48, 49", "offset 0x1c40", "argument 24"

	Name         string     // the VM's name, for reports and last-resort pairing
	Identity     string     // the VM's UUID as [NormalizeUUID] gives it, for pairing; "" if none
	IdentityKind string     // where Identity came from: uuid.bios, vc.uuid, uuid, global_id, smbios1, -uuid
	AltIdentity  []string   // the VM's other UUIDs (a .vmx's vc.uuid beside uuid.bios, libvirt's <hwuuid> beside <uuid>), normalized, for pairing
	Fields       []Field    // the VM's identity as the input spells it, in display order
	Snapshots    []Snapshot // IDs held by snapshot sections, reported apart
	Warnings     []string   // worth telling the user; not errors

	Target     bool // the configuration runs its VM on QEMU (libvirt qemu/kvm, Proxmox, QEMU): a migration's target
	Template   bool // a template, which never runs (Proxmox template: 1, a vSphere template)
	NoVM       bool // a valid file of the format that holds no VM (Hyper-V host registry, runtime state)
	Checkpoint bool // the configuration of a checkpoint, not of the VM as it runs
}

// SetIdentity records a UUID of the VM that [NormalizeUUID] accepts, with
// the kind of UUID it is: the first offered, in order of preference, is
// Identity; the others are AltIdentity, so that a VM can be paired on any
// of them.
func (r *Reading) SetIdentity(kind, uuid string) {
	u := NormalizeUUID(uuid)
	switch {
	case u == "" || u == r.Identity:
		return
	case r.Identity == "":
		r.Identity, r.IdentityKind = u, kind
		return
	}
	for _, a := range r.AltIdentity {
		if a == u {
			return
		}
	}
	r.AltIdentity = append(r.AltIdentity, u)
}

// AddFields appends the fields that have a value.
func (r *Reading) AddFields(fs ...Field) {
	for _, f := range fs {
		if f.Value != "" {
			r.Fields = append(r.Fields, f)
		}
	}
}

// NormalizeUUID returns a UUID as lower-case 8-4-4-4-12 text, from the
// spellings VMware (hex pairs with spaces and one dash), Hyper-V (upper
// case), libvirt and Proxmox use, with or without braces; "" if s is not
// 32 hex digits, or is all zeros.
func NormalizeUUID(s string) string {
	var b [32]byte
	n := 0
	for _, c := range []byte(strings.TrimSpace(s)) {
		switch {
		case c == ' ' || c == '-' || c == '{' || c == '}':
			continue
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			c += 'a' - 'A'
		default:
			return ""
		}
		if n == len(b) {
			return ""
		}
		b[n] = c
		n++
	}
	h := string(b[:n])
	if n != 32 || h == strings.Repeat("0", 32) {
		return ""
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Lines says where one or two lines are: "line 7", or "lines 7, 9" in
// order; a zero line is left out.
func Lines(a, b int) string {
	switch {
	case a == 0 && b == 0:
		return ""
	case a == 0 || a == b:
		return "line " + strconv.Itoa(max(a, b))
	case b == 0:
		return "line " + strconv.Itoa(a)
	case a > b:
		a, b = b, a
	}
	return "lines " + strconv.Itoa(a) + ", " + strconv.Itoa(b)
}
