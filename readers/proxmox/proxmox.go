// Package proxmox reads the generation ID of a Proxmox VE virtual machine
// from its qemu-server configuration file (/etc/pve/qemu-server/<vmid>.conf).
//
// # Format
//
// The file is a list of `key: value` lines; lines starting with # are the
// VM's description. `[name]` starts a snapshot section ([PENDING] holds
// changes not yet applied, [special:cloudinit] other data); only the lines
// before the first section describe the VM as it runs. Keys and headers
// start at column 0 and names follow Proxmox's patterns (parse_vm_config in
// PVE::QemuServer); other lines are skipped, as Proxmox skips them with a
// warning.
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
	Snapshots  []Section // snapshot sections and [PENDING], in file order
}

// The line shapes of PVE::QemuServer's parse_vm_config: keys and section
// headers start at column 0; anything else is skipped, as Proxmox skips it.

// spaces are the characters Perl's and RE2's \s match in these lines.
const spaces = " \t\n\f\r"

// keyLine matches /^([a-z][a-z_]*\d*):\s*(.*?)\s*$/: a key, a colon, and
// the value without the white space around it.
func keyLine(s string) (key, value string, ok bool) {
	i := 0
	if i == len(s) || s[i] < 'a' || s[i] > 'z' {
		return "", "", false
	}
	for i++; i < len(s) && ('a' <= s[i] && s[i] <= 'z' || s[i] == '_'); i++ {
	}
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
	}
	if i == len(s) || s[i] != ':' {
		return "", "", false
	}
	return s[:i], strings.Trim(s[i+1:], spaces), true
}

// headerLine matches /^\[(PENDING|special:cloudinit|[a-z][a-z0-9_\-]+)\]\s*$/i
// (ASCII letters in either case) and returns the section name.
func headerLine(s string) (string, bool) {
	if len(s) < 2 || s[0] != '[' {
		return "", false
	}
	end := strings.IndexByte(s, ']')
	if end < 0 || strings.TrimLeft(s[end+1:], spaces) != "" {
		return "", false
	}
	name := s[1:end]
	if ascii.EqualFold(name, "PENDING") || ascii.EqualFold(name, "special:cloudinit") {
		return name, true
	}
	if len(name) < 2 || !isLetter(name[0]) {
		return "", false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isLetter(c) && !('0' <= c && c <= '9') && c != '_' && c != '-' {
			return "", false
		}
	}
	return name, true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// Read parses a qemu-server configuration and returns the vmgenid of the
// VM and of each snapshot. The Config is non-nil whenever the file parsed,
// also when the error is [genid.ErrNotFound].
func Read(r io.Reader) (*Config, error) {
	c := &Config{}
	c.State = Absent
	cur := &c.Section
	seen := map[string]int{} // vmgenid line per section, for duplicates
	err := bounded.Lines(r, func(line int, text []byte) error {
		s := strings.TrimRight(string(text), " \t")
		if strings.TrimSpace(s) == "" || s[0] == '#' {
			return nil
		}
		if name, ok := headerLine(s); ok {
			c.Snapshots = append(c.Snapshots, Section{Name: name, Line: line, State: Absent})
			cur = &c.Snapshots[len(c.Snapshots)-1]
			return nil
		}
		key, val, ok := keyLine(s)
		if !ok {
			return nil
		}
		if cur == &c.Section {
			switch key {
			case "name":
				c.Name = val
			case "smbios1":
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
		if first, dup := seen[cur.Name]; dup {
			if val != cur.Value {
				return &genid.InputError{Line: line, Key: key, Err: fmt.Errorf("set twice in one section with different values: %q on line %d, %q here", cur.Value, first, val)}
			}
			return nil
		}
		seen[cur.Name] = line
		sec, err := parseValue(val)
		if err != nil {
			return &genid.InputError{Line: line, Key: key, Err: err}
		}
		sec.Name, sec.Line = cur.Name, line
		*cur = sec
		return nil
	})
	if err != nil {
		return nil, err
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
	r := &genid.Reading{ID: c.ID, Convention: genid.ConvQEMU, Name: c.Name, Target: true}
	r.SetIdentity("smbios1", c.SMBIOSUUID)
	if c.State != Absent {
		r.Where = genid.Lines(c.Line, 0)
	}
	r.AddFields(
		genid.Field{Key: "name", Label: "name", Value: c.Name},
		genid.Field{Key: "smbios_uuid", Label: "smbios1 uuid", Value: c.SMBIOSUUID},
	)
	for _, s := range c.Snapshots {
		r.Snapshots = append(r.Snapshots, genid.Snapshot{Name: s.Name, Line: s.Line, State: string(s.State), ID: s.ID})
		if strings.EqualFold(s.Name, "PENDING") && s.State != Absent && (s.State != c.State || s.ID != c.ID) {
			r.Warnings = append(r.Warnings, fmt.Sprintf("line %d: a pending change sets vmgenid to %s; it applies at the VM's next start (qm config shows it, qm config --current does not)", s.Line, s.Value))
		}
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
