package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/source"
	"github.com/genid-migrate/genid-migrate/writers/libvirt"
	"github.com/genid-migrate/genid-migrate/writers/proxmox"
	"github.com/genid-migrate/genid-migrate/writers/qemu"
	"github.com/genid-migrate/genid-migrate/writers/vmware"
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

func newRecord(r *source.Result) record {
	id := r.ID
	g, x := id.VMX()
	el, _ := libvirt.Element(id)
	rec := record{
		Input:         r.Input,
		Format:        string(r.Format),
		GuestBytes:    id.GuestBytes(),
		Windows:       id.Windows(),
		GUID:          id.GUID(),
		VMXGenID:      fmt.Sprint(g),
		VMXGenIDX:     fmt.Sprint(x),
		HyperV:        id.HyperV(),
		Xen:           id.Xen(),
		QEMUDevice:    qemu.Device(id),
		Convention:    string(r.Convention),
		Libvirt:       el,
		Proxmox:       proxmox.Line(id),
		LibvirtVMware: id.LibvirtVMware(),
		Where:         r.Where,
		Checkpoint:    r.Checkpoint,
		Warnings:      r.Warnings,
	}
	if len(r.VM) > 0 {
		rec.VM = map[string]string{}
		for _, f := range r.VM {
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

// formatNames are the human names of the input formats.
var formatNames = map[source.Format]string{
	source.VMX:        "VMware .vmx",
	source.Proxmox:    "Proxmox VE qemu-server config",
	source.QEMU:       "QEMU command line",
	source.LibvirtXML: "libvirt domain XML",
	source.HyperVXML:  "Hyper-V XML configuration",
	source.HyperVVMCX: "Hyper-V .vmcx configuration",
	source.QMPLive:    "running QEMU guest (QMP)",
	source.GUID:       "GUID (QEMU/libvirt/Proxmox convention)",
	source.Windows:    "Windows low:high (VMGENID.EXE)",
	source.HyperV:     "Hyper-V generation_id",
	source.GuestBytes: "guest bytes",
	source.XenLiteral: "Xen a:b",
}

// printHuman writes the aligned table show prints for one input.
func printHuman(w io.Writer, r *source.Result) error {
	id := r.ID
	head := r.Input + ": " + formatNames[r.Format]
	if r.Format == source.VMX && strings.HasPrefix(r.Input, "--") {
		head = r.Input + ": VMware vm.genid:vm.genidX"
	}
	if r.Where != "" {
		head += ", " + r.Where
	}
	switch r.Convention {
	case source.ConvLibvirtVMware:
		head += ", read as libvirt's VMX/ESX driver writes it"
	case source.ConvQEMU:
		if r.Format == source.LibvirtXML {
			head += ", read as QEMU's guid="
		}
	}
	fmt.Fprintln(w, head)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range r.VM {
		fmt.Fprintf(tw, "  %s\t%s\n", f.Label, f.Value)
	}
	g, x := id.VMX()
	el, _ := libvirt.Element(id)
	rows := [][2]string{
		{"guest bytes", spacedHex(id)},
		{"windows", id.Windows()},
		{"guid", id.GUID()},
		{"vmx", fmt.Sprintf("vm.genid = %q  vm.genidX = %q", fmt.Sprint(g), fmt.Sprint(x))},
		{"hyperv", id.HyperV()},
		{"xen", id.Xen()},
		{"qemu", strings.Join(qemu.Args(id), " ")},
		{"libvirt", el},
		{"proxmox", proxmox.Line(id)},
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
		fmt.Fprintf(tw, "  snapshot %s\t%s, line %d\n", s.Name, v, s.Line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", wn)
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

// convertTo renders one spelling for convert. It returns the text to print
// (with its final newline) and, for forms that are commands, their argv.
func convertTo(format string, id genid.ID, vmid string) (string, []string, error) {
	switch format {
	case "libvirt":
		el, err := libvirt.Element(id)
		return el + "\n", nil, err
	case "qemu":
		args := qemu.Args(id)
		return strings.Join(args, " ") + "\n", args, nil
	case "qemu-json":
		return qemu.DeviceJSON(id) + "\n", qemu.ArgsJSON(id), nil
	case "proxmox":
		if vmid != "" {
			args, err := proxmox.Command(vmid, id)
			if err != nil {
				return "", nil, &usageError{"--vmid: " + err.Error()}
			}
			return strings.Join(args, " ") + "\n", args, nil
		}
		return proxmox.Line(id) + "\n", nil, nil
	case "vmx":
		return vmware.Lines(id), nil, nil
	case "hyperv":
		return id.HyperV() + "\n", nil, nil
	case "windows":
		return id.Windows() + "\n", nil, nil
	case "guid":
		return id.GUID() + "\n", nil, nil
	case "bytes":
		return id.GuestBytes() + "\n", nil, nil
	case "xen":
		return id.Xen() + "\n", nil, nil
	case "libvirt-vmware":
		return id.LibvirtVMware() + "\n", nil, nil
	}
	return "", nil, &usageError{fmt.Sprintf("--to %q: want one of %s", format, strings.Join(convertFormats, ", "))}
}

// convertFormats are the --to values, the contract's first.
var convertFormats = []string{"libvirt", "qemu", "proxmox", "vmx", "hyperv", "windows", "guid", "bytes", "xen", "qemu-json", "libvirt-vmware"}

// writeJSON writes v as indented JSON, without escaping <, > and &.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
