package formats

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
)

// A Literal is a spelling an ID can be given in on the command line: a
// row of the second table, kept apart from the file formats.
type Literal struct {
	Name        string           // the flag's name and the JSON "format" value
	Value       string           // the value's placeholder in help, such as "LOW:HIGH"
	Usage       string           // the flag's help; the placeholder in backquotes
	Description string           // for people
	Convention  genid.Convention // how the text becomes an ID
	Parse       func(string) (genid.ID, error)
}

// literals are the command-line spellings, in the order their inputs are
// read.
var literals = []*Literal{
	{"vmx", "GENID:GENIDX", "VMware vm.genid and vm.genidX as `GENID:GENIDX`, signed decimal", "VMware vm.genid:vm.genidX", genid.ConvVMware, genid.ParseVMXPair},
	{"guid", "UUID", "a `UUID` as QEMU guid=, a qemu/kvm libvirt <genid> or Proxmox vmgenid hold it", "GUID (QEMU/libvirt/Proxmox convention)", genid.ConvQEMU, genid.ParseGUIDInput},
	{"windows", "LOW:HIGH", "`LOW:HIGH` as VMGENID.EXE prints it in the guest (hex, leading zeros optional)", "Windows low:high (VMGENID.EXE)", genid.ConvWindows, genid.ParseWindows},
	{"hyperv", "HEX32", "a Hyper-V generation_id, `HEX32` (32 hex digits)", "Hyper-V generation_id", genid.ConvHyperV, genid.ParseHyperV},
	{"bytes", "HEX32", "the 16 bytes in guest memory order, `HEX32`", "guest bytes", genid.ConvGuestBytes, genid.ParseGuestBytes},
	{"xen", "A:B", "a Xen platform/generation-id or XenServer VM.generation_id, `A:B`", "Xen a:b", genid.ConvXen, genid.ParseXen},
}

// Literals returns the command-line spellings in the order their inputs
// are read. The rows are shared and must not be changed.
func Literals() []*Literal { return append([]*Literal(nil), literals...) }

// LiteralByName returns the spelling the flag name names, or nil.
func LiteralByName(name string) *Literal {
	for _, l := range literals {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// Read reads a value given with the literal's flag.
func (l *Literal) Read(value string) (*Result, error) {
	id, err := l.Parse(value)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", l.Name, err)
	}
	if id.IsZero() {
		return nil, fmt.Errorf("--%s %s: %w: the value is all zeros, which every hypervisor treats as none", l.Name, value, genid.ErrZero)
	}
	return &Result{Input: "--" + l.Name + " " + value, Format: l.Name, Description: l.Description, Reading: genid.Reading{ID: id, Convention: l.Convention}}, nil
}
