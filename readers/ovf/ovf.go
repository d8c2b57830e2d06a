// Package ovf reads the generation ID of a virtual machine from an OVF
// descriptor (.ovf) or an OVA archive, where VMware's tools keep a VM's
// .vmx settings as vmw:ExtraConfig elements of its VirtualHardwareSection
// (ovftool --exportFlags=extraconfig):
//
//	<vmw:ExtraConfig ovf:required="false" vmw:key="vm.genid" vmw:value="-8536691797830587195"/>
//
// This package reads the descriptor's structure: the virtual system, its
// name, and its vmw:ExtraConfig keys and values with their lines. What
// the keys mean is the .vmx reader's to say (package formats reads them
// with vmware.FromEntries): readers do not depend on each other. An OVA
// is a tar archive whose first member is the descriptor (the OVF
// standard, DSP0243, puts it first); only that member is read, never the
// disks after it.
//
// # Security
//
// Input is assumed hostile and fuzzed: descriptors over 64 MiB are refused,
// and an OVA's first member is checked before it is read.
package ovf

import (
	"archive/tar"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/internal/xmlspan"
)

// The namespaces of the elements read.
const (
	EnvelopeNS = "http://schemas.dmtf.org/ovf/envelope/1" // the OVF envelope (DSP8023)
	VMwareNS   = "http://www.vmware.com/schema/ovf"       // vmw:Config, vmw:ExtraConfig
)

// An ExtraConfig is one vmw:ExtraConfig element: a .vmx setting.
type ExtraConfig struct {
	Key   string // vmw:key
	Value string // vmw:value
	Line  int    // the element's line
}

// A Descriptor is what the tool needs from an OVF descriptor: its one
// virtual system's names and settings.
type Descriptor struct {
	SystemID    string        // VirtualSystem ovf:id
	Name        string        // VirtualSystem's Name element, else its id
	Member      string        // in an OVA, the descriptor's name in the archive
	ExtraConfig []ExtraConfig // the VirtualHardwareSection's vmw:ExtraConfig, in order
}

// Parse reads an OVF descriptor with one virtual system.
func Parse(doc []byte) (*Descriptor, error) {
	if len(doc) > bounded.MaxFileSize {
		return nil, bounded.TooLarge(bounded.MaxFileSize, "an OVF descriptor")
	}
	d := xmlspan.NewDecoder(doc, "utf-8", "us-ascii", "ascii")
	var (
		stack   []xml.Name
		systems []*Descriptor
		entries []ExtraConfig
		root    bool
		inName  bool
		name    strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, msg := xmlspan.ErrorAt(d, err)
			return nil, &genid.InputError{Line: line, Err: fmt.Errorf("XML syntax error: %s", msg)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := d.InputPos()
			if len(stack) == 0 {
				if t.Name.Local != "Envelope" || t.Name.Space != EnvelopeNS {
					return nil, &genid.InputError{Line: line, Err: fmt.Errorf("%w: the root element is not an OVF Envelope", genid.ErrNotVM)}
				}
				root = true
			}
			stack = append(stack, t.Name)
			switch {
			case t.Name.Local == "VirtualSystem" && t.Name.Space == EnvelopeNS:
				c := &Descriptor{}
				for _, a := range t.Attr {
					if a.Name.Local == "id" && a.Name.Space == EnvelopeNS {
						c.SystemID = a.Value
					}
				}
				systems = append(systems, c)
			case t.Name.Local == "Name" && t.Name.Space == EnvelopeNS && len(stack) >= 2 && stack[len(stack)-2].Local == "VirtualSystem":
				inName = len(systems) == 1
				name.Reset()
			case t.Name.Local == "ExtraConfig" && t.Name.Space == VMwareNS && len(systems) == 1 && len(stack) >= 2 &&
				stack[len(stack)-2].Local == "VirtualHardwareSection" && stack[len(stack)-2].Space == EnvelopeNS:
				var e ExtraConfig
				for _, a := range t.Attr {
					if a.Name.Space == VMwareNS {
						switch a.Name.Local {
						case "key":
							e.Key = a.Value
						case "value":
							e.Value = a.Value
						}
					}
				}
				if e.Key != "" {
					e.Line = line
					entries = append(entries, e)
				}
			}
		case xml.EndElement:
			if inName && t.Name.Local == "Name" {
				systems[0].Name = strings.TrimSpace(name.String())
				inName = false
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if inName {
				name.Write(t)
			}
		}
	}
	switch {
	case !root:
		return nil, &genid.InputError{Line: 1, Err: errors.New("no root element")}
	case len(systems) == 0:
		return nil, fmt.Errorf("%w: the OVF describes no VirtualSystem", genid.ErrNotVM)
	case len(systems) > 1:
		return nil, fmt.Errorf("%w: the OVF describes %d virtual systems (a vApp); read one VM's OVF", genid.ErrUnsupported, len(systems))
	}
	c := systems[0]
	if c.Name == "" {
		c.Name = c.SystemID
	}
	c.ExtraConfig = entries
	return c, nil
}

// MaxDescriptor is the largest OVA member read as a descriptor.
const MaxDescriptor = bounded.MaxFileSize

// IsOVA reports whether head, the first bytes of a file, start a tar
// archive whose first member is an .ovf.
func IsOVA(head []byte) bool {
	if len(head) < 512 || string(head[257:262]) != "ustar" {
		return false
	}
	h, err := tar.NewReader(bytes.NewReader(head[:512])).Next()
	return err == nil && strings.EqualFold(path.Ext(h.Name), ".ovf")
}

// ReadOVA reads the descriptor of an OVA: the archive's first member,
// which must be the .ovf, read without reading the disks after it.
func ReadOVA(r io.ReaderAt, size int64) (*Descriptor, error) {
	tr := tar.NewReader(io.NewSectionReader(r, 0, size))
	h, err := tr.Next()
	if err != nil {
		return nil, &genid.InputError{Err: fmt.Errorf("not a tar archive: %v", err)}
	}
	if !strings.EqualFold(path.Ext(h.Name), ".ovf") {
		return nil, &genid.InputError{Err: fmt.Errorf("the first member is %q, not the .ovf the OVF standard puts first; extract the archive and read its .ovf", h.Name)}
	}
	if h.Size < 0 || h.Size > MaxDescriptor || h.Size > size {
		return nil, &genid.InputError{Err: fmt.Errorf("the descriptor %q claims %d bytes: not a descriptor", h.Name, h.Size)}
	}
	b, err := bounded.ReadAll(tr, MaxDescriptor, h.Size, "an OVF descriptor")
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, &genid.InputError{Key: h.Name, Err: fmt.Errorf("the archive ends inside the descriptor (%d bytes announced)", h.Size)}
	}
	if err != nil {
		return nil, err
	}
	c, err := Parse(b)
	var ie *genid.InputError
	if errors.As(err, &ie) && ie.Key == "" {
		ie.Key = h.Name
	}
	if c != nil {
		c.Member = h.Name
	}
	return c, err
}

// ReadFile reads a .ovf or an .ova, by content.
func ReadFile(name string) (*Descriptor, error) {
	return bounded.Parse(name, "an OVF descriptor", func(b []byte) (*Descriptor, error) {
		if IsOVA(b) {
			return ReadOVA(bytes.NewReader(b), int64(len(b)))
		}
		return Parse(b)
	})
}
