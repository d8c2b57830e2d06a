package edit

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	reader "github.com/genid-migrate/genid-migrate/readers/vmware"
	writer "github.com/genid-migrate/genid-migrate/writers/vmware"
)

// VMX is a VMware .vmx file, for moves back to VMware: vm.genid and
// vm.genidX are set in VMware's convention.
var VMX = &Kind{
	Name:    "VMware .vmx",
	Noun:    ".vmx",
	Element: "vm.genid and vm.genidX",
	Holds:   "hold",
	Spell: func(id genid.ID) string {
		g, x := id.VMX()
		return fmt.Sprintf("%d, %d", g, x)
	},
	Inspect: inspectVMX,
	Set: func(doc []byte, id genid.ID) ([]byte, Span, error) {
		out, e, err := writer.SetGenID(doc, id)
		return out, Span{Start: e.Start, OldEnd: e.OldEnd, NewEnd: e.NewEnd, Line: e.Line, Inserted: e.Inserted}, err
	},
	Carried: func(doc []byte) (genid.ID, error) {
		c, err := reader.ReadBytes(doc)
		if err != nil {
			return genid.ID{}, err
		}
		return c.ID, nil
	},
}

func inspectVMX(doc []byte) (*State, error) {
	f, err := reader.ParseBytes(doc)
	if err != nil {
		return nil, err // a line that is not key = "value": not a .vmx to edit
	}
	for _, k := range []string{reader.KeyGenID, reader.KeyGenIDX} {
		if n := f.Count(k); n > 1 {
			return nil, fmt.Errorf("%w: %s is set %d times: which VMware uses is not certain; remove all but one", genid.ErrMalformed, k, n)
		}
	}
	return vmwareState(reader.FromFile(f))
}

// vmwareState is the state of a document read by the .vmx rules (a .vmx,
// an OVF's vmw:ExtraConfig): an incomplete or malformed ID is one --force
// replaces.
func vmwareState(c *reader.Config, err error) (*State, error) {
	if c == nil {
		return nil, err
	}
	st := &State{Current: c.ID, Line: c.GenIDLine}
	if st.Line == 0 {
		st.Line = c.GenIDXLine
	}
	switch genid.ClassOf(err) {
	case genid.ClassNone, genid.ClassNotFound, genid.ClassZero:
		return st, nil
	case genid.ClassIncomplete, genid.ClassMalformed:
		return st, &FixableError{err}
	}
	return nil, err
}
