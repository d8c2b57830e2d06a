package formats

import (
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/readers/ovf"
	"github.com/genid-migrate/genid-migrate/readers/vmware"
)

// OVFConfig reads an OVF descriptor's vmw:ExtraConfig by the .vmx
// reader's rules: the same keys, values and errors as a .vmx's.
func OVFConfig(d *ovf.Descriptor) (*vmware.Config, error) {
	entries := make([]vmware.Entry, len(d.ExtraConfig))
	for i, e := range d.ExtraConfig {
		entries[i] = vmware.Entry(e)
	}
	c, err := vmware.FromFile(vmware.FromEntries(entries))
	c.DisplayName = d.Name
	return c, err
}

// ovfVM is an OVF descriptor read by the .vmx rules.
type ovfVM struct {
	d *ovf.Descriptor
	c *vmware.Config
}

func readOVF(d *ovf.Descriptor, err error) (*ovfVM, error) {
	if d == nil {
		return nil, err
	}
	c, err := OVFConfig(d)
	return &ovfVM{d, c}, err
}

// Reading is the .vmx reading of the descriptor's settings, named by the
// virtual system; uuid.bios and vc.uuid identify it when the export kept
// them.
func (v *ovfVM) Reading() *genid.Reading {
	if v == nil {
		return nil
	}
	r := v.c.Reading()
	if r.Where != "" {
		r.Where += " (vmw:ExtraConfig)"
	}
	for i, f := range r.Fields {
		if f.Key == "display_name" {
			r.Fields[i] = genid.Field{Key: "name", Label: "Name", Value: f.Value}
		}
	}
	if v.d.Member != "" {
		r.Fields = append(r.Fields, genid.Field{Key: "member", Label: "descriptor", Value: v.d.Member})
	}
	return r
}
