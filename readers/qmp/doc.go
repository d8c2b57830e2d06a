// Package qmp reads the generation ID a running QEMU guest sees, through
// the VM's QMP socket, without changing the VM's state.
//
// # How
//
// QMP's query-vm-generation-id returns the GUID the device was given (the
// host's view, in the QEMU convention). To read what the guest actually
// sees, the probe finds the buffer the guest firmware set up: QEMU's ACPI
// tables hold an SSDT with OEM table ID "VMGENID" whose AML names VGIA, the
// guest-physical address of the buffer; the 16 bytes at VGIA+40 are G
// (QEMU hw/acpi/vmgenid.c; docs/libvirt-qemu.md §5.2). SeaBIOS leaves the
// RSDP in 0xE0000–0xFFFFF; OVMF puts its tables just below the top of low
// RAM, which the probe scans downwards in 1 MiB windows, at most 64 MiB.
// Memory is read with the read-only HMP command xp, in small regions: never
// a whole-memory dump.
//
// # Safety
//
// Only query commands and xp are sent. Sockets are a unix path or a TCP
// host:port on the loopback network; other addresses are refused.
package qmp
