package hyperv

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/genid-migrate/genid-migrate/vmcx"
)

// A Report lists every key of a Hyper-V configuration, for people with no
// Hyper-V host at hand; for a container, with the header copy in use, both
// copies, the journal's state and the key tables. It marshals to the JSON
// inspect --json prints.
type Report struct {
	File    string         `json:"file"`
	Format  string         `json:"format"` // hyperv-vmcx or hyperv-xml
	Header  string         `json:"header_used,omitempty"`
	Headers []HeaderReport `json:"headers,omitempty"`
	Journal *vmcx.Journal  `json:"journal,omitempty"`
	Tables  []vmcx.Table   `json:"tables,omitempty"`
	Keys    []KeyReport    `json:"keys"`
}

// A HeaderReport is one file header copy of a container.
type HeaderReport struct {
	Copy     string `json:"copy"`
	Offset   int64  `json:"offset"`
	Sequence uint16 `json:"sequence"`
	Valid    bool   `json:"valid"`
	Error    string `json:"error,omitempty"`
}

// A KeyReport is one key: its path, type and value (for a container, a
// bytes value in base64, a FILETIME as such, a value that cannot be read
// as the reason in parentheses).
type KeyReport struct {
	Path   string `json:"path"`
	Type   string `json:"type"`
	Value  any    `json:"value,omitempty"`
	Offset int64  `json:"offset,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// InspectVMCX reads a container (every checksum verified) and lists its
// keys in tree order. The error is the container's, unnamed.
func InspectVMCX(r io.ReaderAt, size int64) (*Report, error) {
	f, err := vmcx.NewFile(r, size)
	if err != nil {
		return nil, err
	}
	rep := &Report{Format: "hyperv-vmcx", Header: f.Header.Copy(), Journal: &f.Journal, Tables: f.Tables}
	for _, h := range f.Headers {
		hr := HeaderReport{Copy: h.Copy(), Offset: h.Offset, Sequence: h.Sequence, Valid: h.Err == nil}
		if h.Err != nil {
			hr.Error = h.Err.Error()
		}
		rep.Headers = append(rep.Headers, hr)
	}
	f.Walk(func(k *vmcx.Key) error {
		rep.Keys = append(rep.Keys, KeyReport{Path: k.Path(), Type: k.Type.String(), Value: keyValue(k), Offset: k.Offset})
		return nil
	})
	return rep, nil
}

// InspectXML reads an XML configuration and lists its elements in
// document order.
func InspectXML(r io.Reader) (*Report, error) {
	entries, err := WalkXML(r)
	if err != nil {
		return nil, err
	}
	rep := &Report{Format: "hyperv-xml"}
	for _, e := range entries {
		k := KeyReport{Path: e.Path, Type: e.Type, Line: e.Line}
		if e.Type != "node" {
			k.Value = e.Value
		}
		rep.Keys = append(rep.Keys, k)
	}
	return rep, nil
}

// keyValue returns a key's value for listing, or an explanation.
func keyValue(k *vmcx.Key) any {
	if k.Type == vmcx.TypeNode {
		return nil
	}
	v, err := k.Value()
	if err != nil {
		return "(" + err.Error() + ")"
	}
	if b, ok := v.([]byte); ok {
		if len(b) == 8 && k.Name == "creation_time" {
			return fmt.Sprintf("FILETIME %d", binary.LittleEndian.Uint64(b))
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	return v
}
