package audit

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/genid-migrate/genid-migrate/diagnose"
	"github.com/genid-migrate/genid-migrate/genid"
)

// findings computes the problems across entries, and the pairs of sources
// and targets it compared.
func findings(entries []Entry, explicit []Pair) ([]Finding, []pairing) {
	pairs, out := pairUpChecked(entries, explicit)
	mismatched := map[int]bool{} // targets a mismatch finding reports
	for _, p := range pairs {
		if entries[p.src].HasID {
			mismatched[p.tgt] = true
		}
	}
	for i, e := range entries {
		switch e.Status {
		case StatusMalformed, StatusIncomplete, StatusError:
			out = append(out, Finding{Kind: string(e.Status), Paths: []string{e.Path}, Message: e.Message})
		case StatusMissing, StatusZero, StatusAuto:
			if (e.Role == "source" || e.Role == "target") && !e.Template && !IsBackup(e.Path) && !mismatched[i] {
				out = append(out, Finding{Kind: "missing", Paths: []string{e.Path}, Message: e.Message})
			}
		}
		if e.HasLive && e.HasID {
			def, live := genid.ID(e.ID), genid.ID(e.LiveID)
			out = append(out, Finding{Kind: "live-differs", Paths: []string{e.Path}, GuestBytes: live.GuestBytes(),
				Message: fmt.Sprintf("the running guest sees %s, the domain's definition holds %s: libvirt gave the running domain a new ID (a snapshot revert or a restore); the guest sees the definition's at its next cold start", live.Windows(), def.Windows()),
				Fix:     "decide which ID the VM should keep: the running guest's is what the domain controller last saw; set the definition to it with genid-migrate rewrite --guid " + live.GUID() + " --libvirt URI DOMAIN, or let the guest take the definition's at its next power-off"})
		}
	}
	out = append(out, mismatches(entries, pairs)...)
	out = append(out, duplicates(entries, pairs)...)
	order := map[string]int{}
	for i, k := range FindingKinds {
		order[k] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if order[out[i].Kind] != order[out[j].Kind] {
			return order[out[i].Kind] < order[out[j].Kind]
		}
		return out[i].Paths[0] < out[j].Paths[0]
	})
	return out, pairs
}

type pairing struct {
	src, tgt int
	how      string
}

// A Pairing is a source and the target migrated from it, as indexes into
// the entries, and how they were paired: "pairs-file", the kind of UUID
// they share (uuid.bios, smbios1, …), or "name".
type Pairing struct {
	Source, Target int
	How            string
}

// PairUp matches targets to sources as audit findings do: the explicit
// pairs first, then by identity (UUID), then by a name unique on both
// sides. A target is in at most one pairing. The pair-error findings say
// which explicit pairs could not be used, and why.
func PairUp(entries []Entry, explicit []Pair) ([]Pairing, []Finding) {
	var out []Pairing
	pairs, errs := pairUpChecked(entries, explicit)
	for _, p := range pairs {
		out = append(out, Pairing{p.src, p.tgt, p.how})
	}
	return out, errs
}

// pairUpChecked matches targets to sources: the --pairs file first, then
// by identity (UUID), then by a name unique on both sides; and says which
// rows of the pairs file could not be used, as pair-error findings.
func pairUpChecked(entries []Entry, explicit []Pair) ([]pairing, []Finding) {
	byPath := map[string]int{}
	for i, e := range entries {
		byPath[filepath.Clean(e.Path)] = i
	}
	var pairs []pairing
	var errs []Finding
	paired := map[int]bool{}
	find := func(p Pair, path string) (int, bool) {
		if i, ok := byPath[filepath.Clean(path)]; ok {
			return i, true
		}
		if p.Dir != "" && !filepath.IsAbs(path) {
			i, ok := byPath[filepath.Clean(filepath.Join(p.Dir, path))]
			return i, ok
		}
		return 0, false
	}
	for _, p := range explicit {
		bad := func(format string, args ...any) {
			errs = append(errs, Finding{Kind: "pair-error", Paths: []string{p.Source, p.Target},
				Message: fmt.Sprintf("--pairs line %d: ", p.Row) + fmt.Sprintf(format, args...)})
		}
		s, ok1 := find(p, p.Source)
		t, ok2 := find(p, p.Target)
		switch {
		case !ok1 && !ok2:
			bad("neither %s nor %s is among the audited files (paths are taken as given, then relative to the pairs file)", p.Source, p.Target)
			continue
		case !ok1:
			bad("%s is not among the audited files", p.Source)
			continue
		case !ok2:
			bad("%s is not among the audited files", p.Target)
			continue
		case s == t:
			bad("source and target are the same file")
			continue
		}
		se, te := entries[s], entries[t]
		switch {
		case se.Status == StatusError || se.Status == StatusNoVM:
			bad("the source %s could not be used (%s)", p.Source, se.Status)
			continue
		case te.Status == StatusError || te.Status == StatusNoVM:
			bad("the target %s could not be used (%s)", p.Target, te.Status)
			continue
		case se.Role == "target" && te.Role == "source":
			bad("the columns look swapped: %s runs on QEMU (a target) and %s does not; write source,target", p.Source, p.Target)
			continue
		case te.Role != "target":
			bad("both are sources: %s does not run on QEMU, so no guest of it sees a migrated ID (the second column is the target: libvirt qemu/kvm, Proxmox, QEMU, KubeVirt)", p.Target)
			continue
		case paired[t]:
			bad("%s is paired by an earlier row already", p.Target)
			continue
		}
		pairs = append(pairs, pairing{s, t, "pairs-file"})
		paired[t] = true
	}
	usable := func(e Entry) bool {
		return e.Status != StatusNoVM && e.Status != StatusCheckpoint && e.Status != StatusError
	}
	byID, byName := map[string]int{}, map[string][]int{}
	for i, e := range entries {
		if e.Role != "source" || !usable(e) {
			continue
		}
		for _, id := range e.identities() {
			if _, dup := byID[id]; !dup || !entries[byID[id]].HasID && e.HasID {
				byID[id] = i
			}
		}
		if e.Name != "" {
			byName[strings.ToLower(e.Name)] = append(byName[strings.ToLower(e.Name)], i)
		}
	}
	targetsByName := map[string]int{}
	for _, e := range entries {
		if e.Role == "target" && e.Name != "" {
			targetsByName[strings.ToLower(e.Name)]++
		}
	}
	for i, e := range entries {
		if e.Role != "target" || paired[i] || !usable(e) || IsBackup(e.Path) {
			continue
		}
		if s, ok := lookup(byID, e.identities()); ok {
			pairs = append(pairs, pairing{s, i, entries[s].IDKind})
			continue
		}
		if n := strings.ToLower(e.Name); n != "" && len(byName[n]) == 1 && targetsByName[n] == 1 {
			pairs = append(pairs, pairing{byName[n][0], i, "name"})
		}
	}
	return pairs, errs
}

// IsBackup reports whether a path names a backup copy of a configuration
// (dom.xml.bak, as rewrite --backup leaves; .orig, .old, .backup, a
// trailing ~): it is read and counted, and groups with its VM, but is
// neither paired as a migration's target nor reported as missing.
func IsBackup(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	for _, suffix := range []string{".bak", ".orig", ".old", ".backup", "~"} {
		if strings.HasSuffix(base, suffix) {
			return true
		}
	}
	return false
}

// describeVM names a VM by its configurations' name and UUID, and lists
// their paths: "VM dc01 (uuid 421a…): a.vmx, b.xml".
func describeVM(entries []Entry, members []int) string {
	name, uuid := "", ""
	var paths []string
	for _, i := range members {
		e := entries[i]
		if name == "" {
			name = e.Name
		}
		if uuid == "" {
			uuid = e.Identity
		}
		paths = append(paths, e.Path)
	}
	sort.Strings(paths)
	label := "VM"
	if name != "" {
		label += " " + name
	}
	if uuid != "" {
		label += " (uuid " + uuid + ")"
	}
	if name == "" && uuid == "" {
		label = "an unnamed VM"
	}
	return label + ": " + strings.Join(paths, ", ")
}

// identities returns every UUID of the entry's VM, the main one first.
func (e Entry) identities() []string {
	if e.Identity == "" {
		return nil
	}
	return append([]string{e.Identity}, e.AltIdentity...)
}

// lookup returns the first of ids in m.
func lookup(m map[string]int, ids []string) (int, bool) {
	for _, id := range ids {
		if i, ok := m[id]; ok {
			return i, true
		}
	}
	return 0, false
}

// mismatches reports targets that do not carry their source's ID.
func mismatches(entries []Entry, pairs []pairing) []Finding {
	var out []Finding
	for _, p := range pairs {
		s, t := entries[p.src], entries[p.tgt]
		if !s.HasID || (t.HasID && t.ID == s.ID) {
			continue
		}
		src := genid.ID(s.ID)
		f := Finding{Kind: "mismatch", Paths: []string{s.Path, t.Path}, Pairing: p.how, GuestBytes: src.GuestBytes(), Fix: fixFor(s, t, src)}
		how := map[string]string{"pairs-file": "paired by the --pairs file", "name": "paired by name only"}[p.how]
		if how == "" {
			how = "paired by " + p.how
		}
		if !t.HasID {
			f.Message = fmt.Sprintf("the target has no generation ID (%s), so its guest will not see the source's %s (%s)", t.Status, src.Windows(), how)
		} else {
			got := genid.ID(t.ID)
			f.Message = fmt.Sprintf("the target's guest sees %s, the source's saw %s (%s)", got.Windows(), src.Windows(), how)
			for _, m := range diagnose.Diagnose(src, got) {
				f.Diagnosis = append(f.Diagnosis, Mistake{m.Name, m.Explanation, m.Tools})
			}
			if len(f.Diagnosis) == 0 {
				f.Message += "; " + diagnose.Unrelated
			}
		}
		out = append(out, f)
	}
	return out
}

func fixFor(s, t Entry, src genid.ID) string {
	return diagnose.Fixes(src, s.Path, diagnose.Target{Format: t.Format, Path: t.Path, Name: t.Name})[0].Command
}

// duplicates reports IDs shared by different VMs. Records of the same VM
// (the same identity, a checkpoint and its VM, a .vmx backup beside its
// original, a source and the target migrated from it) are grouped first.
func duplicates(entries []Entry, pairs []pairing) []Finding {
	parent := make([]int, len(entries))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) { parent[find(a)] = find(b) }
	byID := map[[16]byte][]int{}
	for i, e := range entries {
		if e.HasID && !e.Template { // a template never runs
			byID[e.ID] = append(byID[e.ID], i)
		}
	}
	for _, p := range pairs {
		union(p.src, p.tgt)
	}
	var out []Finding
	for id, group := range byID {
		if len(group) < 2 {
			continue
		}
		firstByIdentity := map[string]int{}
		firstByNameDir := map[string]int{}
		for _, i := range group {
			e := entries[i]
			for _, id := range e.identities() {
				if j, ok := firstByIdentity[id]; ok {
					union(i, j)
				} else {
					firstByIdentity[id] = i
				}
			}
			if e.Name != "" {
				k := filepath.Dir(e.Path) + "\x00" + strings.ToLower(e.Name)
				if j, ok := firstByNameDir[k]; ok {
					union(i, j)
				} else {
					firstByNameDir[k] = i
				}
			}
		}
		vms := map[int][]int{} // VM (its group's root) → its entries
		var paths []string
		for _, i := range group {
			vms[find(i)] = append(vms[find(i)], i)
			paths = append(paths, entries[i].Path)
		}
		if len(vms) < 2 {
			continue
		}
		sort.Strings(paths)
		var which []string
		for _, members := range vms {
			which = append(which, describeVM(entries, members))
		}
		sort.Strings(which)
		g := genid.ID(id)
		out = append(out, Finding{Kind: "duplicate", Paths: paths, GuestBytes: g.GuestBytes(),
			Message: fmt.Sprintf("%d different VMs share the generation ID %s (guest bytes %s): %s; the safeguard against rollback is defeated if both run", len(vms), g.Windows(), g.GuestBytes(), strings.Join(which, "; ")),
			Fix:     "keep the ID on the VM that moved and give each copy a new one (libvirt: an empty <genid/>; Proxmox: qm set VMID --vmgenid 1; VMware: remove vm.genid and vm.genidX while powered off); if one is the migrated copy of another, pair them with --pairs"})
	}
	return out
}
