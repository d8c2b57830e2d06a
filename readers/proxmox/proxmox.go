// Package proxmox reads the generation ID of a Proxmox VE virtual machine
// from its qemu-server configuration file (/etc/pve/qemu-server/<vmid>.conf).
//
// # Format
//
// The file is a list of `key: value` lines; lines starting with # are the
// VM's description. `[name]` starts a snapshot section ([PENDING] holds
// changes not yet applied, [special:cloudinit] and [special:fleecing] other
// data); only the lines before the first section describe the VM as it
// runs. [Read] follows qemu-server's parse_vm_config line for line (see
// there); what it skips is said in warnings.
//
// The vmgenid option is a GUID that Proxmox passes to QEMU unchanged
// (`-device vmgenid,guid=<value>`), so it is read in the QEMU convention
// ([genid.ParseGUID]). "1" asks Proxmox to generate an ID when the VM is
// created and "0" disables the device; both, an absent key and an all-zero
// GUID give [genid.ErrNotFound]. The schema (src/PVE/QemuServer.pm) allows
// only the 8-4-4-4-12 form, in either case; anything else is malformed.
//
// # Security
//
// Input is assumed hostile and fuzzed; lines over 1 MiB and files over
// 64 MiB are refused before they are held in memory.
package proxmox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/ascii"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
)

// State says what a vmgenid option asks for.
type State string

// The states of a vmgenid option.
const (
	Absent   State = "absent"   // no vmgenid line
	Set      State = "set"      // a GUID
	Generate State = "generate" // "1": Proxmox generates one at create
	Disabled State = "disabled" // "0": no vmgenid device
)

// A Section is the vmgenid of one section of the file: the VM itself, a
// snapshot, or the pending changes.
type Section struct {
	Name  string   // "" for the VM itself, else the section name without brackets
	Line  int      // line of the vmgenid option; the section's header line if absent
	State State    // what the option asks for
	ID    genid.ID // the ID when State is Set
	Value string   // the option's text as written
}

// A Config is what a report needs from a qemu-server configuration.
type Config struct {
	Section              // the VM as it runs (the main section)
	Name       string    // the name option
	SMBIOSUUID string    // uuid= of the smbios1 option
	Template   bool      // template: 1, a template that never runs
	Snapshots  []Section // snapshot sections, in file order
	Pending    *Section  // the [PENDING] section: changes applied at the next start
	Warnings   []string  // what qemu-server would warn about and skip
}

// The line shapes of parse_vm_config in qemu-server's src/PVE/QemuServer.pm
// (2026-08): keys and section headers start at column 0; anything else is
// skipped with a warning, as Proxmox skips it when it loads a
// configuration (not strict).

// spaces are the characters Perl's and RE2's \s match in these lines.
const spaces = " \t\n\f\r"

// keyLine matches /^([a-z][a-z_\-]*\d*):\s*(.+?)\s*$/: a key, a colon, and
// a value that is not empty, without the white space around it.
func keyLine(s string) (key, value string, ok bool) {
	i := 0
	if i == len(s) || s[i] < 'a' || s[i] > 'z' {
		return "", "", false
	}
	for i++; i < len(s) && ('a' <= s[i] && s[i] <= 'z' || s[i] == '_' || s[i] == '-'); i++ {
	}
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
	}
	if i == len(s) || s[i] != ':' {
		return "", "", false
	}
	rest := s[i+1:]
	if rest == "" {
		return "", "", false
	}
	value = strings.Trim(rest, spaces)
	if value == "" {
		// Only white space: \s* gives back its last character to (.+?).
		value = rest[len(rest)-1:]
	}
	return s[:i], value, true
}

// The kinds of section header parse_vm_config knows.
const (
	pendingSection  = "pending"  // [PENDING], any case
	specialSection  = "special"  // [special:cloudinit], [special:fleecing]
	snapshotSection = "snapshot" // [name]: /^[a-z][a-z0-9_\-]+$/i
	unknownSection  = "unknown"  // any other /^\[([^\]]*)\]\s*$/: skipped with its lines
)

// headerLine matches a section header and returns its name and kind.
func headerLine(s string) (name, kind string, ok bool) {
	if len(s) < 2 || s[0] != '[' {
		return "", "", false
	}
	end := strings.IndexByte(s, ']')
	if end < 0 || strings.TrimLeft(s[end+1:], spaces) != "" {
		return "", "", false
	}
	name = s[1:end]
	switch {
	case ascii.EqualFold(name, "PENDING"):
		return name, pendingSection, true
	case len(name) > len("special:") && ascii.EqualFold(name[:len("special:")], "special:") &&
		(ascii.EqualFold(name[len("special:"):], "cloudinit") || ascii.EqualFold(name[len("special:"):], "fleecing")):
		return name, specialSection, true
	}
	if len(name) < 2 || !isLetter(name[0]) {
		return name, unknownSection, true
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isLetter(c) && !('0' <= c && c <= '9') && c != '_' && c != '-' {
			return name, unknownSection, true
		}
	}
	return name, snapshotSection, true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// Read parses a qemu-server configuration as qemu-server's parse_vm_config
// does when Proxmox loads one, and returns the vmgenid of the VM, of its
// pending changes and of each snapshot:
//
//   - [PENDING] holds changes not applied yet; [special:cloudinit] and
//     [special:fleecing] hold other data; any other [name] is a snapshot,
//     and a header of another shape starts a section that is skipped
//     whole. A section named twice keeps the later one.
//   - A key set twice in a section keeps the later value; a vmgenid value
//     that is not 0, 1 or a GUID is skipped (qemu-server warns and loads
//     the VM without it), and so are lines of no known shape. Each is a
//     warning in the Config.
//   - template: 1 makes the VM a template.
//
// The Config is non-nil whenever the file parsed, also when the error is
// [genid.ErrNotFound]. A file that is not a VM's configuration (a
// container's, or text with no qemu-server option) gives [genid.ErrNotVM].
func Read(r io.Reader) (*Config, error) {
	c := &Config{}
	c.State = Absent
	var cur *Section // nil inside a special or unknown section
	cur = &c.Section
	kind := "main"
	evidence := newEvidence()
	warn := func(line int, format string, args ...any) {
		if len(c.Warnings) < maxWarnings {
			c.Warnings = append(c.Warnings, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
		}
	}
	snapshotAt := map[string]int{} // index in c.Snapshots by lower-case name
	err := bounded.Lines(r, func(line int, text []byte) error {
		s := strings.TrimRight(string(text), "\r")
		if strings.Trim(s, spaces) == "" {
			return nil
		}
		if name, k, ok := headerLine(s); ok {
			kind = k
			switch k {
			case pendingSection:
				if c.Pending != nil {
					warn(line, "a second [PENDING] section replaces the first, as qemu-server does")
				}
				c.Pending = &Section{Name: name, Line: line, State: Absent}
				cur = c.Pending
			case snapshotSection:
				sec := Section{Name: name, Line: line, State: Absent}
				if i, dup := snapshotAt[strings.ToLower(name)]; dup {
					warn(line, "snapshot [%s] appears again; this later one is used, as qemu-server does", name)
					c.Snapshots[i] = sec
					cur = &c.Snapshots[i]
				} else {
					snapshotAt[strings.ToLower(name)] = len(c.Snapshots)
					c.Snapshots = append(c.Snapshots, sec)
					cur = &c.Snapshots[len(c.Snapshots)-1]
				}
			case specialSection:
				cur = nil
			default:
				warn(line, "unknown section [%s] skipped with its lines, as qemu-server skips it", name)
				cur = nil
			}
			return nil
		}
		if cur == nil || s[0] == '#' {
			return nil
		}
		key, val, ok := keyLine(s)
		if !ok {
			return nil // qemu-server: "unable to parse config", skipped
		}
		if kind == "main" {
			evidence.add(key)
			switch key {
			case "name":
				c.Name = val
			case "template":
				c.Template = val == "1"
			case "smbios1":
				c.SMBIOSUUID = ""
				for _, kv := range strings.Split(val, ",") {
					if k, v, ok := strings.Cut(kv, "="); ok && k == "uuid" {
						c.SMBIOSUUID = v
					}
				}
			}
		}
		if key != "vmgenid" {
			return nil
		}
		sec, err := parseValue(val)
		if err != nil {
			warn(line, "vmgenid %s; qemu-server skips the line, so the VM has no vmgenid from it", err)
			return nil
		}
		if cur.State != Absent && cur.Value != val {
			warn(line, "vmgenid set again (line %d said %s); this later value is used, as qemu-server does", cur.Line, cur.Value)
		}
		sec.Name, sec.Line = cur.Name, line
		*cur = sec
		return nil
	})
	if err != nil {
		return nil, err
	}
	if why := evidence.notVM(); why != "" {
		return nil, fmt.Errorf("%w: %s", genid.ErrNotVM, why)
	}
	switch c.State {
	case Absent:
		return c, fmt.Errorf("%w: no vmgenid option (Proxmox generates one only when the VM is created through its API)", genid.ErrNotFound)
	case Generate:
		return c, fmt.Errorf("%w: vmgenid is 1, so Proxmox generates a new ID when the VM is created", genid.ErrGenerated)
	case Disabled:
		return c, fmt.Errorf("%w: vmgenid is 0, the device is disabled", genid.ErrNotFound)
	}
	if c.ID.IsZero() {
		return c, fmt.Errorf("%w: vmgenid is all zeros, which guests read as no ID", genid.ErrZero)
	}
	return c, nil
}

// maxWarnings bounds the warnings a hostile file can produce.
const maxWarnings = 20

// evidence collects the main section's keys to tell a VM's configuration
// from a container's and from other "key: value" text.
type evidence struct {
	known, strong, container int
}

func newEvidence() *evidence { return &evidence{} }

// The options of a VM (confdesc in qemu-server's src/PVE/QemuServer.pm),
// less the ones any "key: value" file may have; those of a container
// (pve-container's LXC config) that a VM does not have.
var (
	vmOptions = map[string]bool{
		"onboot": true, "autostart": true, "hotplug": true, "reboot": true, "cpulimit": true, "cpuunits": true,
		"memory": true, "balloon": true, "shares": true, "keyboard": true, "scsihw": true, "ostype": true,
		"boot": true, "bootdisk": true, "smp": true, "sockets": true, "cores": true, "numa": true, "hugepages": true,
		"keephugepages": true, "vcpus": true, "acpi": true, "agent": true, "kvm": true, "tdf": true, "localtime": true,
		"freeze": true, "vga": true, "watchdog": true, "startdate": true, "startup": true, "args": true, "tablet": true,
		"migrate_speed": true, "migrate_downtime": true, "cdrom": true, "cpu": true, "parent": true, "snaptime": true,
		"vmstate": true, "vmstatestorage": true, "runningmachine": true, "runningcpu": true, "machine": true,
		"arch": true, "smbios1": true, "protection": true, "bios": true, "vmgenid": true, "hookscript": true,
		"ivshmem": true, "audio0": true, "spice_enhancements": true, "rng0": true, "meta": true, "affinity": true,
		"template": true, "digest": true,
	}
	strongOptions    = map[string]bool{"vmgenid": true, "smbios1": true, "scsihw": true, "bootdisk": true, "meta": true, "runningmachine": true, "vmstate": true}
	containerOptions = map[string]bool{"rootfs": true, "hostname": true, "unprivileged": true, "cmode": true, "console": true, "tty": true, "features": true}
)

// deviceOption reports keys such as net0, scsi1, virtio2, efidisk0.
func deviceOption(key string) bool {
	i := len(key)
	for i > 0 && key[i-1] >= '0' && key[i-1] <= '9' {
		i--
	}
	if i == len(key) {
		return false
	}
	switch key[:i] {
	case "net", "scsi", "virtio", "ide", "sata", "efidisk", "tpmstate", "unused", "hostpci", "usb", "serial", "parallel", "numa", "virtiofs", "ipconfig":
		return true
	}
	return false
}

func (e *evidence) add(key string) {
	switch {
	case containerOptions[key] || strings.HasPrefix(key, "mp") && deviceOption("net"+key[2:]) || strings.HasPrefix(key, "lxc"):
		e.container++
	case strongOptions[key] || deviceOption(key) && !strings.HasPrefix(key, "numa") && !strings.HasPrefix(key, "usb"):
		e.strong++
		e.known++
	case vmOptions[key]:
		e.known++
	}
}

// notVM says why the keys are not a VM's, or "".
func (e *evidence) notVM() string {
	switch {
	case e.container > 0: // rootfs, hostname: no VM option has these names
		return "a Proxmox container (LXC) configuration: containers have no generation ID"
	case e.strong > 0:
		return ""
	case e.known < 2:
		return "no qemu-server VM option (memory, cores, scsihw, net0, scsi0, smbios1, vmgenid, …) in \"key: value\" text"
	}
	return ""
}

// parseValue reads one vmgenid value.
func parseValue(v string) (Section, error) {
	switch v {
	case "0":
		return Section{State: Disabled, Value: v}, nil
	case "1":
		return Section{State: Generate, Value: v}, nil
	}
	id, err := genid.ParseGUID(v)
	if err != nil {
		var pe *genid.ParseError
		if errors.As(err, &pe) {
			return Section{}, fmt.Errorf("%q is not 0, 1 or a GUID (8-4-4-4-12 hex digits): %s", v, pe.Reason)
		}
		return Section{}, err
	}
	return Section{State: Set, ID: id, Value: v}, nil
}

// ReadBytes is [Read] on the bytes of a file.
func ReadBytes(data []byte) (*Config, error) { return Read(bytes.NewReader(data)) }

// ReadFile is [Read] on a named file; errors carry the name.
func ReadFile(name string) (*Config, error) {
	return bounded.Parse(name, "a Proxmox VE configuration", ReadBytes)
}

// Reading returns what the configuration holds in the shape every reader
// shares. The VM is identified by smbios1's uuid=, which Proxmox's
// importers keep from the source (VMware's uuid.bios). A Proxmox VM runs on
// QEMU: it is a migration's target.
func (c *Config) Reading() *genid.Reading {
	if c == nil {
		return nil
	}
	r := &genid.Reading{ID: c.ID, Convention: genid.ConvQEMU, Name: c.Name, Target: true, Template: c.Template}
	r.SetIdentity("smbios1", c.SMBIOSUUID)
	if c.State != Absent {
		r.Where = genid.Lines(c.Line, 0)
	}
	r.AddFields(
		genid.Field{Key: "name", Label: "name", Value: c.Name},
		genid.Field{Key: "smbios_uuid", Label: "smbios1 uuid", Value: c.SMBIOSUUID},
	)
	if c.Template {
		r.AddFields(genid.Field{Key: "template", Label: "template", Value: "1 (never runs; clones draw their own ID)"})
	}
	for _, s := range c.Snapshots {
		r.Snapshots = append(r.Snapshots, genid.Snapshot{Name: s.Name, Line: s.Line, State: string(s.State), ID: s.ID})
	}
	r.Warnings = append(r.Warnings, c.Warnings...)
	if p := c.Pending; p != nil && p.State != Absent && (p.State != c.State || p.ID != c.ID) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("line %d: a pending change sets vmgenid to %s; it applies at the VM's next start (qm config shows it, qm config --current does not)", p.Line, p.Value))
	}
	return r
}

// VMID returns the VMID a configuration's path names, as qemu-server
// names its files (/etc/pve/qemu-server/<vmid>.conf), or "" if the file
// name is not a number followed by .conf.
func VMID(path string) string {
	base := path
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	vmid, ok := strings.CutSuffix(base, ".conf")
	if !ok || vmid == "" {
		return ""
	}
	for i := 0; i < len(vmid); i++ {
		if vmid[i] < '0' || vmid[i] > '9' {
			return ""
		}
	}
	return vmid
}
