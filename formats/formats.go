// Package formats is the table of input formats: one row per format, with
// its name, how it is recognised by content, which reader reads it and how
// its path adds to what the reader found. It reads any input the tool
// accepts (a file, a stream, a value given on the command line, a running
// QEMU) into one [Result] shape, and says what an error reading it means:
// the exit code and the audit status ([ExitCode], [StatusOf]).
//
// Adding a format is one reader package under readers/ and one row in
// [table]; nothing above this package changes.
package formats

import (
	"bytes"
	"io"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/readers/hyperv"
	"github.com/genid-migrate/genid-migrate/readers/kubevirt"
	"github.com/genid-migrate/genid-migrate/readers/libvirt"
	"github.com/genid-migrate/genid-migrate/readers/ovf"
	"github.com/genid-migrate/genid-migrate/readers/proxmox"
	"github.com/genid-migrate/genid-migrate/readers/qemu"
	"github.com/genid-migrate/genid-migrate/readers/vmware"
)

// A Format is one input format: a row of the table.
type Format struct {
	Name        string             // the JSON "format" value and the name --from takes
	Aliases     []string           // other names --from accepts
	Description string             // for people, such as "VMware .vmx"
	Conventions []genid.Convention // the conventions its readings can have
	Reader      string             // the reader's package, relative to the module
	Random      bool               // read through random access, not whole (a binary container)

	// Sniff reports whether a file whose first bytes are h is in this
	// format. Rows are tried in table order; the first that says yes wins.
	Sniff func(h *Head) bool
	// Read reads the input.
	Read func(in *Input) (*genid.Reading, error)
	// FromPath adds what the file's path says, if anything (a Hyper-V
	// checkpoint under Snapshots/, a Proxmox VMID); nil if nothing.
	FromPath func(path string, r *genid.Reading)
}

// Names of the file formats, the values of the JSON "format" field.
const (
	VMX        = "vmx"
	HyperVVMCX = "hyperv-vmcx"
	HyperVXML  = "hyperv-xml"
	Libvirt    = "libvirt"
	QEMU       = "qemu-cmdline"
	Proxmox    = "proxmox"
	OVF        = "ovf"
	OVA        = "ova"
	KubeVirt   = "kubevirt"
)

// table lists the file formats in detection order.
var table = []*Format{
	{
		Name: HyperVVMCX, Aliases: []string{"vmcx"}, Description: "Hyper-V .vmcx configuration",
		Conventions: []genid.Convention{genid.ConvHyperV}, Reader: "readers/hyperv", Random: true,
		Sniff:    func(h *Head) bool { return h.Container() },
		Read:     random(hyperv.ReadVMCX),
		FromPath: checkpointPath,
	},
	{
		Name: HyperVXML, Description: "Hyper-V XML configuration",
		Conventions: []genid.Convention{genid.ConvHyperV}, Reader: "readers/hyperv",
		Sniff:    func(h *Head) bool { return h.UTF16() || h.XMLRoot() == "configuration" },
		Read:     whole(hyperv.ParseXML),
		FromPath: checkpointPath,
	},
	{
		Name: Libvirt, Description: "libvirt domain XML",
		Conventions: []genid.Convention{genid.ConvQEMU, genid.ConvLibvirtVMware}, Reader: "readers/libvirt",
		Sniff: func(h *Head) bool { return h.XMLRoot() == "domain" },
		Read:  whole(libvirt.Parse),
	},
	{
		Name: OVF, Description: "OVF descriptor",
		Conventions: []genid.Convention{genid.ConvVMware}, Reader: "readers/ovf",
		Sniff: func(h *Head) bool {
			return h.XMLRoot() == "Envelope" && bytes.Contains(h.Bytes(), []byte("http://schemas.dmtf.org/ovf/envelope/"))
		},
		Read: whole(func(b []byte) (*ovfVM, error) { return readOVF(ovf.Parse(b)) }),
	},
	{
		Name: OVA, Description: "OVA archive", Random: true,
		Conventions: []genid.Convention{genid.ConvVMware}, Reader: "readers/ovf",
		Sniff: func(h *Head) bool { return ovf.IsOVA(h.Bytes()) },
		Read:  random(func(r io.ReaderAt, n int64) (*ovfVM, error) { return readOVF(ovf.ReadOVA(r, n)) }),
	},
	{
		// Before the line formats: "apiVersion: v1" is a Proxmox-shaped line.
		Name: KubeVirt, Aliases: []string{"kubevirt-yaml", "kubevirt-json"}, Description: "KubeVirt manifest",
		Conventions: []genid.Convention{genid.ConvQEMU, genid.ConvLibvirtVMware}, Reader: "readers/kubevirt",
		Sniff: kubevirtHead,
		Read: func(in *Input) (*genid.Reading, error) {
			b, err := in.Bytes()
			if err != nil {
				return nil, err
			}
			vm, err := kubevirt.Read(b, in.Options.LabelConvention)
			return vm.Reading(), err
		},
	},
	{
		Name: VMX, Aliases: []string{"vmware"}, Description: "VMware .vmx",
		Conventions: []genid.Convention{genid.ConvVMware}, Reader: "readers/vmware",
		Sniff: func(h *Head) bool { return vmxLine(h.FirstLine()) },
		Read:  whole(vmware.ReadBytes),
	},
	{
		Name: Proxmox, Aliases: []string{"pve"}, Description: "Proxmox VE qemu-server config",
		Conventions: []genid.Convention{genid.ConvQEMU}, Reader: "readers/proxmox",
		Sniff: func(h *Head) bool { return proxmoxLine(h.FirstLine()) },
		Read:  whole(proxmox.ReadBytes),
		FromPath: func(path string, r *genid.Reading) {
			if vmid := proxmox.VMID(path); vmid != "" {
				r.Fields = insertAfter(r.Fields, "name", genid.Field{Key: "vmid", Label: "VMID", Value: vmid})
			}
		},
	},
	{
		Name: QEMU, Aliases: []string{"qemu", "cmdline"}, Description: "QEMU command line",
		Conventions: []genid.Convention{genid.ConvQEMU}, Reader: "readers/qemu",
		Sniff: qemuHead,
		Read:  whole(qemu.ReadBytes),
	},
}

// Formats returns the file formats in detection order. The slice is the
// caller's; the rows are shared and must not be changed.
func Formats() []*Format { return append([]*Format(nil), table...) }

// ByName returns the format a name or alias names, ignoring case, or nil.
func ByName(name string) *Format {
	for _, f := range table {
		if strings.EqualFold(name, f.Name) {
			return f
		}
		for _, a := range f.Aliases {
			if strings.EqualFold(name, a) {
				return f
			}
		}
	}
	return nil
}

// Names returns the formats' names, for messages and help.
func Names() []string {
	var out []string
	for _, f := range table {
		out = append(out, f.Name)
	}
	return out
}

// A reading is a reader's own result type, which gives the shared shape.
// Each reader's Reading method accepts a nil receiver and returns nil.
type reading interface{ Reading() *genid.Reading }

// whole adapts a reader of a file's bytes to a row's Read.
func whole[T reading](read func([]byte) (T, error)) func(*Input) (*genid.Reading, error) {
	return func(in *Input) (*genid.Reading, error) {
		b, err := in.Bytes()
		if err != nil {
			return nil, err
		}
		v, err := read(b)
		return v.Reading(), err
	}
}

// random adapts a reader of a file through random access to a row's Read.
// A file already read whole is read in memory, in place.
func random[T reading](read func(io.ReaderAt, int64) (T, error)) func(*Input) (*genid.Reading, error) {
	return func(in *Input) (*genid.Reading, error) {
		r := in.r
		if in.whole != nil && int64(len(in.whole)) == in.size {
			r = inMemory{bytes.NewReader(in.whole), in.whole}
		}
		v, err := read(r, in.size)
		return v.Reading(), err
	}
}

// inMemory is content read whole, for readers that read in place
// ([vmcx.InMemory]).
type inMemory struct {
	*bytes.Reader
	b []byte
}

// Bytes returns the whole content.
func (m inMemory) Bytes() []byte { return m.b }

func checkpointPath(path string, r *genid.Reading) {
	if hyperv.IsCheckpointPath(path) {
		hyperv.MarkCheckpoint(r)
	}
}

func insertAfter(fs []genid.Field, key string, f genid.Field) []genid.Field {
	for i := range fs {
		if fs[i].Key == key {
			return append(fs[:i+1], append([]genid.Field{f}, fs[i+1:]...)...)
		}
	}
	return append([]genid.Field{f}, fs...)
}
