// Package genid holds the virtual machine generation ID as the 16 bytes a
// guest finds in memory, and converts it to and from every spelling that
// hypervisors and guest tools use.
//
// # Byte order
//
// An [ID] is G: the 16 bytes a hypervisor writes into the guest's
// generation-ID buffer (the ACPI device with _CID "VM_Gen_Counter"), in
// guest-memory order. Every other spelling is a lossless transform of G:
//
//	spelling                         G from it
//	guest bytes (hex)                the bytes as written
//	Windows low:high (VMGENID.EXE)   LE64(low) ‖ LE64(high)
//	VMware vm.genid, vm.genidX       LE64(genid) ‖ LE64(genidX)
//	Xen a:b                          LE64(a) ‖ LE64(b)
//	Hyper-V generation_id            reverse(hexdecode(s))
//	QEMU guid=, libvirt <genid>      fields 1–3 of the UUID byte-swapped,
//	(qemu/kvm), Proxmox vmgenid      the last 8 bytes as written
//	libvirt <genid> (vmware domain)  each 8-byte half of the UUID reversed
//
// The table and its sources (real guests, QEMU 7.2, libvirt 9.0, the
// Microsoft "Virtual Machine Generation ID" specification) are in the
// project's docs/byte-order.md; each conversion cites one of the vectors
// in testdata/vectors.json, which the tests check.
//
// # Zero
//
// The zero ID means "no generation ID": VMware, libvirt and Xen all treat
// an all-zero value as absent. Readers return [ErrNotFound] rather than a
// zero ID.
//
// # Parsing
//
// The Parse functions are strict about the spelling they read and lenient
// only where the tools that produce it are (VMGENID.EXE drops leading
// zeros, so [ParseWindows] accepts that). Errors are [*ParseError] values
// that name the spelling and quote the input.
package genid
