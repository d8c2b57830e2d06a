package edit

import (
	"errors"
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	reader "github.com/genid-migrate/genid-migrate/readers/libvirt"
	writer "github.com/genid-migrate/genid-migrate/writers/libvirt"
)

// Libvirt is the libvirt domain: its <genid> is written in the QEMU
// convention, which is how libvirt's QEMU driver passes it on.
var Libvirt = &Kind{
	Name:    "libvirt domain",
	Noun:    "domain",
	Element: "<genid>",
	Holds:   "holds",
	Spell:   genid.ID.GUID,
	Inspect: inspectLibvirt,
	Set: func(doc []byte, id genid.ID) ([]byte, Span, error) {
		out, e, err := writer.SetGenID(doc, id)
		return out, Span{Start: e.Start, OldEnd: e.OldEnd, NewEnd: e.NewEnd, Line: e.Line, Inserted: e.Inserted}, err
	},
	Carried: func(doc []byte) (genid.ID, error) {
		d, err := reader.Parse(doc)
		if d == nil || d.GenID == nil {
			return genid.ID{}, fmt.Errorf("no <genid>: %v", err)
		}
		u, err := reader.ParseUUID(d.GenIDText)
		if err != nil {
			return genid.ID{}, err
		}
		return genid.FromUUIDBytes(u), nil
	},
}

func inspectLibvirt(doc []byte) (*State, error) {
	dom, err := reader.Parse(doc)
	if dom == nil {
		return nil, err
	}
	if dom.QEMUArgs != nil {
		return nil, &genid.InputError{Line: dom.QEMUArgs.Line, Key: "qemu:commandline", Err: fmt.Errorf("%w: the domain passes a vmgenid device through <qemu:commandline>; a <genid> beside it would be a second device, which QEMU refuses. Remove those <qemu:arg> lines first", genid.ErrUnsupported)}
	}
	st := &State{Current: dom.ID}
	if dom.GenID != nil {
		st.Line = dom.GenID.Line
	}
	if dom.Type == "vmware" {
		st.Force = "a type='vmware' domain (libvirt's VMX/ESX driver) reads <genid> in its own convention; the value written here follows the QEMU convention, which holds only once the domain runs on QEMU/KVM"
		// What the domain gives its guest once it runs on QEMU.
		st.Current = genid.ID{}
		if dom.GenID != nil {
			if u, err := reader.ParseUUID(dom.GenIDText); err == nil {
				st.Current = genid.FromUUIDBytes(u)
			}
		}
	}
	if dom.RunsOnQEMU() && !dom.ACPI {
		st.Warnings = append(st.Warnings, reader.NoACPIWarning)
	}
	var ie *genid.InputError
	switch {
	case errors.As(err, &ie) && ie.Key == "genid" && errors.Is(err, genid.ErrUnsupported):
		return nil, err
	case errors.As(err, &ie) && ie.Key == "genid":
		return st, &FixableError{err}
	case err != nil && !errors.Is(err, genid.ErrNotFound):
		return nil, err
	}
	return st, nil
}
