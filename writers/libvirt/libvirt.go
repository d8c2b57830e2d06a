// Package libvirt writes a generation ID as libvirt domain XML.
//
// In a domain of type qemu or kvm, libvirt passes <genid> to QEMU's guid=
// unchanged (after normalising case and dashes), so the text written is
// [genid.ID.GUID] and the guest sees the ID's bytes. The same text in a
// type='vmware' domain would mean something else to libvirt's VMX/ESX
// driver; these writers are for QEMU-family domains. An empty <genid/> asks
// libvirt for a new random ID and is never written here.
//
// The element is built from libvirt.org/go/libvirtxml types. Editing an
// existing domain's XML is done elsewhere, byte for byte: libvirtxml's round
// trip drops comments and reorders attributes.
package libvirt

import (
	"encoding/xml"
	"strings"

	"libvirt.org/go/libvirtxml"

	"github.com/genid-migrate/genid-migrate/genid"
)

// GenID returns the libvirtxml value for the <genid> element of a qemu or
// kvm domain.
func GenID(id genid.ID) *libvirtxml.DomainGenID {
	return &libvirtxml.DomainGenID{Value: id.GUID()}
}

// Element returns the <genid> element as text: "<genid>GUID</genid>".
func Element(id genid.ID) (string, error) {
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	if err := enc.EncodeElement(GenID(id), xml.StartElement{Name: xml.Name{Local: "genid"}}); err != nil {
		return "", err
	}
	if err := enc.Flush(); err != nil {
		return "", err
	}
	return b.String(), nil
}
