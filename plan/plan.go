// Package plan turns an audit's view of sources and Proxmox VE targets
// into a script that gives each Proxmox VM its source's generation ID, for
// a person to review and run on the Proxmox node.
//
// Proxmox accepts a vmgenid only from root@pam with a password ticket (its
// API tokens are refused: check_vm_modify_config_perm in qemu-server's
// API2/Qemu.pm), so the route users can take is `qm set VMID --vmgenid
// GUID` as root on the node that holds the VM. The value is the QEMU GUID
// (docs/byte-order.md, "The spellings": Proxmox), checked against
// qemu-server's schema for the option:
// (?:[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}|[01]).
//
// Sources and targets are paired as audit pairs them: an explicit pairs
// file, then the SMBIOS UUID (Proxmox's ESXi importer keeps VMware's
// uuid.bios as smbios1's uuid=), then a name unique on both sides, which
// the plan says. What cannot be paired is listed, never guessed.
package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/readers/proxmox"
)

// A Step is one Proxmox VM and the source whose ID it should carry.
type Step struct {
	Source   string `json:"source"`      // the source's path
	Name     string `json:"name"`        // the source's name
	Target   string `json:"target"`      // the Proxmox configuration's path
	VMID     string `json:"vmid"`        // from the configuration's file name
	Node     string `json:"node"`        // from /etc/pve/nodes/NODE/qemu-server/, if the path says
	PairedBy string `json:"paired_by"`   // pairs-file, the UUID kind, or name
	Current  string `json:"current"`     // the vmgenid as the file has it; "" when absent
	GUID     string `json:"guid"`        // the value to set: the source's ID as a QEMU GUID
	Guest    string `json:"guest_bytes"` // the source's guest bytes
	Windows  string `json:"windows"`     // what VMGENID.EXE showed in the source's guest
	Done     bool   `json:"done"`        // the target carries it already
}

// An Unpaired is a source or target the plan could not pair, or a paired
// one it cannot act on, with why.
type Unpaired struct {
	Path   string `json:"path"`
	Name   string `json:"name,omitempty"`
	UUID   string `json:"uuid,omitempty"`
	Reason string `json:"reason"`
}

// A Plan is the steps and what was left out.
type Plan struct {
	Steps           []Step     `json:"steps"`
	PairErrors      []string   `json:"pair_errors,omitempty"` // rows of the pairs file that could not be used
	UnpairedSources []Unpaired `json:"unpaired_sources"`
	UnpairedTargets []Unpaired `json:"unpaired_targets"`
}

// ToSet counts the steps that change a VM.
func (p *Plan) ToSet() int {
	n := 0
	for _, s := range p.Steps {
		if !s.Done {
			n++
		}
	}
	return n
}

// Proxmox plans the Proxmox targets among entries (an audit's result):
// every entry of format proxmox is a target, every other entry that is a
// source is one. Each target's file is read again for its vmgenid as
// written, which the script checks before changing it.
func Proxmox(entries []audit.Entry, explicit []audit.Pair) *Plan {
	p := &Plan{Steps: []Step{}, UnpairedSources: []Unpaired{}, UnpairedTargets: []Unpaired{}}
	isTarget := func(e audit.Entry) bool { return e.Format == "proxmox" }
	pairedSource, pairedTarget := map[int]bool{}, map[int]bool{}
	pairings, pairErrors := audit.PairUp(entries, explicit)
	for _, f := range pairErrors {
		p.PairErrors = append(p.PairErrors, f.Message)
	}
	for _, pr := range pairings {
		s, t := entries[pr.Source], entries[pr.Target]
		if !isTarget(t) {
			continue
		}
		pairedSource[pr.Source], pairedTarget[pr.Target] = true, true
		if !s.HasID {
			p.UnpairedSources = append(p.UnpairedSources, Unpaired{Path: s.Path, Name: s.Name, UUID: s.Identity, Reason: fmt.Sprintf("paired with %s by %s, but it has no generation ID to carry (%s)", t.Path, pr.How, s.Status)})
			continue
		}
		st, why := step(s, t, pr.How)
		if why != "" {
			p.UnpairedTargets = append(p.UnpairedTargets, Unpaired{Path: t.Path, Name: t.Name, UUID: t.Identity, Reason: why})
			continue
		}
		p.Steps = append(p.Steps, st)
	}
	for i, e := range entries {
		switch {
		case isTarget(e) && !pairedTarget[i]:
			reason := "no source has its SMBIOS UUID or its name"
			if e.Status == audit.StatusMalformed || e.Status == audit.StatusError {
				reason = "unreadable: " + e.Message
			} else if e.Identity == "" {
				reason = "no smbios1 uuid, and no source has its name alone"
			}
			p.UnpairedTargets = append(p.UnpairedTargets, Unpaired{Path: e.Path, Name: e.Name, UUID: e.Identity, Reason: reason})
		case !isTarget(e) && e.Role == "source" && e.HasID && !pairedSource[i] && !e.Template:
			p.UnpairedSources = append(p.UnpairedSources, Unpaired{Path: e.Path, Name: e.Name, UUID: e.Identity, Reason: "no Proxmox VM has its SMBIOS UUID or its name"})
		}
	}
	sort.SliceStable(p.Steps, func(i, j int) bool { return vmidLess(p.Steps[i].VMID, p.Steps[j].VMID) })
	return p
}

func vmidLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// step makes the step for a pair, or says why there is none.
func step(s, t audit.Entry, how string) (Step, string) {
	vmid := proxmox.VMID(t.Path)
	if vmid == "" {
		return Step{}, "the VMID is not in the file name (qemu-server names its files VMID.conf)"
	}
	c, err := proxmox.ReadFile(t.Path)
	if c == nil {
		return Step{}, "unreadable: " + genid.Reason(err)
	}
	id := genid.ID(s.ID)
	st := Step{Source: s.Path, Name: s.Name, Target: t.Path, VMID: vmid, Node: node(t.Path), PairedBy: how,
		GUID: id.GUID(), Guest: id.GuestBytes(), Windows: id.Windows()}
	if c.State != proxmox.Absent {
		st.Current = c.Value
	}
	st.Done = c.State == proxmox.Set && c.ID == id
	return st, ""
}

// node returns NODE of a path .../nodes/NODE/qemu-server/VMID.conf.
func node(path string) string {
	dir := filepath.Dir(filepath.Clean(path))
	if filepath.Base(dir) != "qemu-server" {
		return ""
	}
	n := filepath.Dir(dir)
	if filepath.Base(filepath.Dir(n)) != "nodes" {
		return ""
	}
	return filepath.Base(n)
}

// WriteJSON writes the plan as one JSON document.
func (p *Plan) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// comment keeps text on one comment line.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return '?'
		}
		return r
	}, s)
}

// WriteScript writes the plan as a POSIX sh script. about is a line for
// the header, such as the command that made the plan.
func (p *Plan) WriteScript(w io.Writer, about string) error {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("#!/bin/sh")
	line("# Proxmox VE plan written by genid-migrate: give each VM below the generation ID its")
	line("# source's guest saw, so that Windows (a domain controller above all) sees the same 16 bytes.")
	line("# %s", comment(about))
	line("#")
	line("# Review it, then run it as root on the Proxmox node that holds the VMs. Each VM must be")
	line("# stopped. A VM is changed only if its vmgenid is still what this plan saw, and each change")
	line("# is read back with qm config. The script exits 1 if any VM was not set.")
	line("#")
	done := len(p.Steps) - p.ToSet()
	line("# %d to set, %d already right, %d sources and %d Proxmox VMs left out (listed at the end).", p.ToSet(), done, len(p.UnpairedSources), len(p.UnpairedTargets))
	line("")
	b.WriteString(scriptHead)
	for _, s := range p.Steps {
		line("")
		name := s.Name
		if name == "" {
			name = "(no name)"
		}
		line("# %s: %s", comment(name), comment(s.Source))
		line("#   its guest saw %s (guest bytes %s)", s.Windows, s.Guest)
		where := "VMID " + s.VMID
		if s.Node != "" {
			where += " on node " + comment(s.Node)
		}
		how := "paired by UUID: the source's " + s.PairedBy + " is the VM's smbios1 uuid="
		switch s.PairedBy {
		case "name":
			how = "paired by name only: check that it is the same VM"
		case "pairs-file":
			how = "paired by the pairs file"
		}
		line("#   Proxmox %s, %s (%s)", where, comment(s.Target), how)
		current := s.Current
		if current == "" {
			current = "none"
		}
		if s.Done {
			line("#   vmgenid is %s already: nothing to do", s.GUID)
			continue
		}
		line("#   vmgenid now: %s", current)
		line("set_vmgenid %s '%s' %s", s.VMID, s.Current, s.GUID)
	}
	for _, e := range p.PairErrors {
		line("# %s", comment(e))
	}
	if len(p.UnpairedSources)+len(p.UnpairedTargets) > 0 {
		line("")
		line("# Left out, never guessed: pair them with --pairs FILE (CSV: source,target) if they belong together.")
		for _, u := range p.UnpairedSources {
			line("#   source %s%s: %s", comment(u.Path), describe(u), comment(u.Reason))
		}
		for _, u := range p.UnpairedTargets {
			line("#   Proxmox %s%s: %s", comment(u.Path), describe(u), comment(u.Reason))
		}
	}
	line("")
	line("finish")
	_, err := io.WriteString(w, b.String())
	return err
}

func describe(u Unpaired) string {
	var parts []string
	if u.Name != "" {
		parts = append(parts, comment(u.Name))
	}
	if u.UUID != "" {
		parts = append(parts, "uuid "+u.UUID)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// scriptHead defines the function each step calls. qm status prints
// "status: stopped"; qm config prints the configuration as "key: value"
// lines (pending changes applied), vmgenid among them when set.
const scriptHead = `set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
failed=0
set_ok=0
command -v qm >/dev/null 2>&1 || { echo "qm not found: run this on a Proxmox VE node, as root" >&2; exit 1; }

vmgenid_of() { # VMID: the vmgenid qm config shows, lower case; "" if none
	qm config "$1" | sed -n 's/^vmgenid:[[:space:]]*//p' | tr 'A-F' 'a-f'
}

set_vmgenid() { # VMID VALUE-THE-PLAN-SAW GUID
	vmid=$1 saw=$(printf '%s' "$2" | tr 'A-F' 'a-f') guid=$3
	if ! status=$(qm status "$vmid" 2>&1); then
		echo "VM $vmid: skipped: $status (is it on another node?)" >&2
		failed=$((failed + 1))
		return
	fi
	if [ "$status" != "status: stopped" ]; then
		echo "VM $vmid: skipped: it is not stopped ($status); shut it down and run the plan again" >&2
		failed=$((failed + 1))
		return
	fi
	if ! now=$(vmgenid_of "$vmid"); then
		echo "VM $vmid: skipped: qm config failed" >&2
		failed=$((failed + 1))
		return
	fi
	if [ "$now" != "$saw" ]; then
		echo "VM $vmid: skipped: vmgenid is '$now' now, the plan saw '$saw'; plan again" >&2
		failed=$((failed + 1))
		return
	fi
	if ! qm set "$vmid" --vmgenid "$guid" >/dev/null; then
		echo "VM $vmid: qm set failed" >&2
		failed=$((failed + 1))
		return
	fi
	got=$(vmgenid_of "$vmid")
	if [ "$got" != "$guid" ]; then
		echo "VM $vmid: qm config shows vmgenid '$got' after qm set, not $guid" >&2
		failed=$((failed + 1))
		return
	fi
	echo "VM $vmid: vmgenid $guid"
	set_ok=$((set_ok + 1))
}

finish() {
	echo "$set_ok set, $failed not set"
	[ "$failed" -eq 0 ]
}
`
