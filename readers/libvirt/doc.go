// Package libvirt reads the generation ID of a libvirt domain from its XML
// (a file, `virsh dumpxml` output, or libvirt's own VMX/ESX conversion).
//
// # Byte order depends on the driver
//
// The <genid> element is UUID text, but what the guest sees depends on the
// driver that wrote it (docs/byte-order.md, docs/libvirt-qemu.md §1):
//
//   - type='qemu' or type='kvm': libvirt passes the value to QEMU's guid=
//     unchanged, so it is read in the QEMU convention ([genid.FromUUIDBytes]).
//   - type='vmware' (libvirt's VMX and ESX drivers, `virsh
//     domxml-from-native vmware-vmx`, `virsh -c esx://… dumpxml`): the text
//     is "%016x%016x" of VMware's vm.genid and vm.genidX, so each 8-byte half
//     is reversed ([genid.FromLibvirtVMwareUUID]).
//
// Other domain types are refused: their meaning has not been established.
//
// The value is read as libvirt's virUUIDParse reads it (checked against
// libvirt 9.0's domxml-to-native): leading white space is skipped, a '-' or
// a space may stand anywhere between two hex digit pairs, the pairs
// themselves are contiguous, and only white space may follow the sixteenth
// byte; braces are rejected. An empty <genid/> asks libvirt to generate an
// ID ([genid.ErrNotFound]). A vmgenid device given through
// <qemu:commandline> is read too; both it and <genid> is an error QEMU
// would report (one vmgenid device per VM).
//
// # Security
//
// Input is assumed hostile and fuzzed; documents over 64 MiB are refused.
package libvirt
