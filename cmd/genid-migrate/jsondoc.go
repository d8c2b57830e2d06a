package main

import (
	"fmt"
	"strings"
)

// A jsonField is one field of a command's JSON output and what it means.
type jsonField struct {
	Name, Meaning string
}

// A jsonTable lists the fields of one JSON object a command prints.
type jsonTable struct {
	Title  string // the object's name, when a command prints several kinds
	Intro  string // a sentence before the fields
	Fields []jsonField
}

// spellingFields are the spellings of an ID, in show, audit records and
// elsewhere (docs/byte-order.md names each).
func spellingFields(with ...string) []jsonField {
	all := map[string]jsonField{
		"guest_bytes": {"guest_bytes", "the 16 bytes the guest sees, 32 lower-case hex digits in guest memory order"},
		"windows":     {"windows", "what VMGENID.EXE prints in the guest, low:high, no zero padding"},
		"guid":        {"guid", "the GUID QEMU, libvirt (qemu/kvm domains) and Proxmox take"},
		"vmx_genid":   {"vmx_genid", "VMware vm.genid, signed decimal"},
		"vmx_genidX":  {"vmx_genidX", "VMware vm.genidX, signed decimal"},
		"hyperv":      {"hyperv", "the Hyper-V generation_id value, 32 hex digits"},
		"xen":         {"xen", "Xen platform/generation-id and XenServer generation_id, a:b"},
	}
	out := make([]jsonField, len(with))
	for i, name := range with {
		out[i] = all[name]
	}
	return out
}

// jsonDocs documents the JSON each command prints with --json, for its man
// page. TestJSONDocs holds every table to the fields the code writes.
var jsonDocs = map[string][]jsonTable{
	"show": {{
		Intro: "One object per input; with several inputs, an array of them in input order. An input that cannot be read is {input, error: {code, message}}.",
		Fields: concat([]jsonField{
			{"input", "the path, -, or the literal flag and value"},
			{"format", "the input's format (vmx, hyperv-vmcx, hyperv-xml, proxmox, qemu-cmdline, libvirt, ...) or the literal's name"},
		}, spellingFields("guest_bytes", "windows", "guid", "vmx_genid", "vmx_genidX", "hyperv", "xen"), []jsonField{
			{"qemu_device", "the -device value, vmgenid,guid=...,id=vmgenid0"},
			{"convention", "how the input's text was turned into guest bytes: vmware, qemu, libvirt-vmware, windows, hyperv, guest-bytes, xen"},
			{"libvirt", "the <genid> element for a qemu/kvm domain"},
			{"proxmox", "the vmgenid: line"},
			{"libvirt_vmware_genid", "what libvirt's VMX/ESX driver shows for this ID"},
			{"where", "where in the input the ID is (lines 48, 49; argument 24; offset 0x3445)"},
			{"vm", "the VM's identity, by format: display_name, uuid_bios, uuid_location, vc_uuid, guest_os (vmx); name, vmid, smbios_uuid (Proxmox); name, uuid, program (QEMU); name, uuid, domain_type (libvirt); name, global_id, version, generation (Hyper-V)"},
			{"snapshots", "Proxmox snapshot and pending sections: name, line, state (set, generate, disabled, absent), guid, guest_bytes"},
			{"checkpoint", "true for a Hyper-V checkpoint's configuration"},
			{"warnings", "things worth knowing that are not errors"},
		}),
	}},
	"convert": {{
		Intro: "One object.",
		Fields: []jsonField{
			{"input", "the path, -, or the literal flag and value"},
			{"format", "the target format (--to)"},
			{"value", "what convert prints without --json, without the final newline"},
			{"argv", "for command-line targets, the same as separate arguments"},
		},
	}},
	"rewrite": {{
		Intro: "One object.",
		Fields: concat([]jsonField{
			{"domain", "the domain file or libvirt domain rewritten"},
			{"source", "where the ID came from"},
			{"action", "unchanged, replace or insert"},
			{"line", "the line of the element or key changed"},
			{"old_guid", "the ID the file had, as a GUID"},
			{"old_windows", "the ID the file had, as VMGENID.EXE shows it"},
		}, spellingFields("guid", "windows", "guest_bytes"), []jsonField{
			{"written", "true when the file was changed (false with --dry-run, --check or nothing to do)"},
			{"backup", "the backup file written (--backup)"},
		}),
	}},
	"verify": {{
		Intro: "One object.",
		Fields: []jsonField{
			{"match", "true when the guest sees the source's ID"},
			{"partial", "true when the evidence holds only the first 8 bytes (Active Directory's msDS-GenerationId)"},
			{"source", "the source configuration (--expect)"},
			{"evidence", "what the guest's value was read as: windows, bytes, qmp, ad, ad-partial, or qmp-guest-memory"},
			{"expected", "the source's ID: guest_bytes, windows, guid"},
			{"guest", "what the guest sees: guest_bytes, windows, guid"},
			{"qmp_guid", "the guid= QEMU was started with, read through QMP"},
			{"guest_address", "the guest-physical address of the 16 bytes, read through QMP"},
			{"diagnosis", "for a mismatch, the known wrong conversions that explain it: mistake, explanation, tools"},
			{"unrelated", "true when no known mistake explains the mismatch"},
			{"fix", "the commands that give the guest the source's ID"},
		},
	}},
	"audit": {
		{
			Title: "document",
			Intro: "--json prints one document. --jsonl prints a header line {type: header, schema_version, tool}, then each record, finding and the summary on a line of its own, each with a type field.",
			Fields: []jsonField{
				{"schema_version", "1; fields may be added, never renamed or given another meaning"},
				{"records", "one per configuration, in walk order"},
				{"findings", "what is wrong across records"},
				{"summary", "the counts"},
			},
		},
		{
			Title: "records",
			Fields: concat([]jsonField{
				{"type", "record (--jsonl only)"},
				{"path", "the file, or the inventory URI and VM"},
				{"format", "the configuration's format"},
				{"status", "ok, missing, zero, auto, incomplete, malformed, no-vm, checkpoint or error"},
				{"name", "the VM's name"},
				{"identity", "the VM's UUID, normalised"},
				{"identity_kind", "where the identity came from: uuid.bios, vc.uuid, global_id, uuid, hwuuid, smbios1, -uuid, firmware.uuid"},
				{"alt_identities", "the VM's other UUIDs (vc.uuid beside uuid.bios, <hwuuid> beside <uuid>)"},
				{"role", "source, or target for formats that run on QEMU"},
			}, spellingFields("guest_bytes", "windows", "guid", "vmx_genid", "vmx_genidX", "hyperv"), []jsonField{
				{"convention", "how the text was turned into guest bytes"},
				{"where", "where in the file the ID is"},
				{"message", "why the status is not ok"},
				{"report", "the report file a merged record came from"},
				{"site", "the site label (--site), else the name of the report it came from"},
				{"live_guest_bytes", "a running libvirt domain's guest bytes, when they differ from its definition's"},
				{"live_windows", "the same, as VMGENID.EXE shows it"},
				{"template", "true for a vCenter template, which never runs"},
			}),
		},
		{
			Title: "findings",
			Fields: []jsonField{
				{"type", "finding (--jsonl only)"},
				{"kind", "duplicate, mismatch, pair-error, live-differs, missing, malformed, incomplete or error"},
				{"paths", "every file involved"},
				{"message", "what is wrong, for people"},
				{"fix", "the command that fixes it, where there is one"},
				{"guest_bytes", "the ID shared (duplicate) or expected (mismatch)"},
				{"pairing", "how a mismatch's pair was made: pairs-file, a UUID kind, or name"},
				{"diagnosis", "the known wrong conversions that explain a mismatch: mistake, explanation, tools"},
			},
		},
		{
			Title: "summary",
			Fields: []jsonField{
				{"type", "summary (--jsonl only)"},
				{"files", "files looked at"},
				{"configs", "configurations recorded"},
				{"skipped", "files that are not VM configurations"},
				{"reports", "reports merged"},
				{"status", "records by status"},
				{"formats", "records by format"},
				{"findings", "findings by kind"},
				{"pairs", "checked: migrated VMs compared with their sources; matching: of those, the ones that carry their source's ID"},
			},
		},
	},
	"plan": {
		{
			Title: "plan",
			Fields: []jsonField{
				{"steps", "one per Proxmox VM to set"},
				{"pair_errors", "rows of --pairs that could not be used"},
				{"unpaired_sources", "sources left out, each with path, name, uuid and reason"},
				{"unpaired_targets", "Proxmox VMs left out, each with path, name, uuid and reason"},
			},
		},
		{
			Title: "steps",
			Fields: concat([]jsonField{
				{"source", "the source's path"},
				{"name", "the source's name"},
				{"target", "the Proxmox configuration's path"},
				{"vmid", "the Proxmox VM ID"},
				{"node", "the Proxmox node, when the path names it"},
				{"paired_by", "pairs-file, the UUID kind, or name"},
				{"current", "the target's vmgenid as it is (empty when absent)"},
				{"guid", "the vmgenid to set: the source's ID"},
			}, spellingFields("guest_bytes", "windows"), []jsonField{
				{"done", "true when the target carries it already"},
			}),
		},
	},
	"inspect": {{
		Intro: "One object.",
		Fields: []jsonField{
			{"file", "the file inspected"},
			{"format", "hyperv-vmcx or hyperv-xml"},
			{"header_used", "the header copy in use (A or B)"},
			{"headers", "both header copies: copy, offset, sequence, valid, error"},
			{"journal", "the replay log: offset, live (entries to replay), max, replayed"},
			{"tables", "the key tables: index, sequence, offset, size"},
			{"keys", "every key in tree order: path, type, value (bytes in base64), offset or line"},
		},
	}},
	"version": {{
		Intro: "One object.",
		Fields: []jsonField{
			{"version", "the release, the module version, or (devel)"},
			{"commit", "the commit it was built from"},
			{"modified", "true when built from a checkout with uncommitted changes"},
			{"date", "when it was built (releases) or committed"},
			{"go", "the Go toolchain"},
			{"platform", "GOOS/GOARCH"},
		},
	}},
}

func concat(parts ...[]jsonField) []jsonField {
	var out []jsonField
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// jsonManSection renders a command's tables as a JSON OUTPUT section of
// its man page; "" when it prints no JSON.
func jsonManSection(command string) string {
	tables := jsonDocs[command]
	if len(tables) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(".SH JSON OUTPUT\n")
	for _, t := range tables {
		if t.Title != "" {
			fmt.Fprintf(&b, ".SS %s\n", groffText(t.Title))
		}
		if t.Intro != "" {
			fmt.Fprintf(&b, ".PP\n%s\n", groffText(t.Intro))
		}
		for _, f := range t.Fields {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fP\n%s\n", groffText(f.Name), groffText(f.Meaning))
		}
	}
	return b.String()
}

// groffText escapes text for one line of a man page.
func groffText(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
