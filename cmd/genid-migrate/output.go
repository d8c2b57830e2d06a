package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/textsafe"
	"github.com/genid-migrate/genid-migrate/targets"
	"github.com/genid-migrate/genid-migrate/writers/qemu"
)

// record is the JSON object show prints for one input. The fields up to
// QEMUDevice are fixed by the product contract; the rest may grow.
type record struct {
	Input         string            `json:"input"`
	Format        string            `json:"format"`
	GuestBytes    string            `json:"guest_bytes"`
	Windows       string            `json:"windows"`
	GUID          string            `json:"guid"`
	VMXGenID      string            `json:"vmx_genid"`
	VMXGenIDX     string            `json:"vmx_genidX"`
	HyperV        string            `json:"hyperv"`
	Xen           string            `json:"xen"`
	QEMUDevice    string            `json:"qemu_device"`
	Convention    string            `json:"convention"`
	Libvirt       string            `json:"libvirt"`
	Proxmox       string            `json:"proxmox"`
	LibvirtVMware string            `json:"libvirt_vmware_genid"`
	Where         string            `json:"where,omitempty"`
	VM            map[string]string `json:"vm,omitempty"`
	Snapshots     []snapshotRecord  `json:"snapshots,omitempty"`
	Checkpoint    bool              `json:"checkpoint,omitempty"`
	Warnings      []string          `json:"warnings,omitempty"`
}

type snapshotRecord struct {
	Name       string `json:"name"`
	Line       int    `json:"line"`
	State      string `json:"state"`
	GUID       string `json:"guid,omitempty"`
	GuestBytes string `json:"guest_bytes,omitempty"`
}

// errorRecord stands for an input that could not be read, in a JSON array.
type errorRecord struct {
	Input string `json:"input"`
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func newRecord(r *formats.Result) record {
	id := r.ID
	g, x := id.VMX()
	rec := record{
		Input:         r.Input,
		Format:        r.Format,
		GuestBytes:    id.GuestBytes(),
		Windows:       id.Windows(),
		GUID:          id.GUID(),
		VMXGenID:      fmt.Sprint(g),
		VMXGenIDX:     fmt.Sprint(x),
		HyperV:        id.HyperV(),
		Xen:           id.Xen(),
		QEMUDevice:    qemu.Device(id),
		Convention:    string(r.Convention),
		Libvirt:       targets.Text("libvirt", id),
		Proxmox:       targets.Text("proxmox", id),
		LibvirtVMware: id.LibvirtVMware(),
		Where:         r.Where,
		Checkpoint:    r.Checkpoint,
		Warnings:      r.Warnings,
	}
	if len(r.Fields) > 0 {
		rec.VM = map[string]string{}
		for _, f := range r.Fields {
			rec.VM[f.Key] = f.Value
		}
	}
	for _, s := range r.Snapshots {
		sr := snapshotRecord{Name: s.Name, Line: s.Line, State: s.State}
		if !s.ID.IsZero() {
			sr.GUID, sr.GuestBytes = s.ID.GUID(), s.ID.GuestBytes()
		}
		rec.Snapshots = append(rec.Snapshots, sr)
	}
	return rec
}

// printHuman writes the aligned table show prints for one input.
func printHuman(w io.Writer, r *formats.Result) error {
	id := r.ID
	head := textsafe.Quote(r.Input) + ": " + r.Description
	if r.Where != "" {
		head += ", " + r.Where
	}
	switch r.Convention {
	case genid.ConvLibvirtVMware:
		head += ", read as libvirt's VMX/ESX driver writes it"
	case genid.ConvQEMU:
		if r.Format == formats.Libvirt {
			head += ", read as QEMU's guid="
		}
	}
	fmt.Fprintln(w, head)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range r.Fields {
		fmt.Fprintf(tw, "  %s\t%s\n", f.Label, textsafe.Quote(f.Value))
	}
	g, x := id.VMX()
	rows := [][2]string{
		{"guest bytes", spacedHex(id)},
		{"windows", id.Windows()},
		{"guid", id.GUID()},
		{"vmx", fmt.Sprintf("vm.genid = %q  vm.genidX = %q", fmt.Sprint(g), fmt.Sprint(x))},
		{"hyperv", id.HyperV()},
		{"xen", id.Xen()},
		{"qemu", targets.Text("qemu", id)},
		{"libvirt", targets.Text("libvirt", id)},
		{"proxmox", targets.Text("proxmox", id)},
		{"libvirt-vmx", id.LibvirtVMware() + "  (libvirt's VMX/ESX driver spelling; never give it to QEMU)"},
	}
	for _, row := range rows {
		fmt.Fprintf(tw, "  %s\t%s\n", row[0], row[1])
	}
	for _, s := range r.Snapshots {
		v := s.State
		if !s.ID.IsZero() {
			v = s.ID.GUID() + " (guest " + s.ID.Windows() + ")"
		}
		fmt.Fprintf(tw, "  snapshot %s\t%s, line %d\n", textsafe.Quote(s.Name), v, s.Line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", textsafe.Controls(wn))
	}
	return nil
}

// spacedHex writes the guest bytes as two groups of eight, like hexdump -C.
func spacedHex(id genid.ID) string {
	var b strings.Builder
	for i, c := range id {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == 8 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String()
}

// writeJSON writes v as indented JSON, without escaping <, > and &.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
