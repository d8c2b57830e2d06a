// Package qemu writes a generation ID in the forms QEMU takes.
//
// QEMU's vmgenid device reads guid= as a big-endian UUID and byte-swaps its
// first three fields before writing guest RAM (hw/acpi/vmgenid.c,
// qemu_uuid_bswap), so the GUID written here is [genid.ID.GUID], which
// undoes that swap: the guest sees exactly the ID's bytes. QEMU accepts only
// the 36-character dashed form, and one vmgenid device per VM
// (docs/libvirt-qemu.md §2.3).
//
// Arguments are returned as argv elements, never as a shell string.
package qemu

import (
	"encoding/json"

	"github.com/genid-migrate/genid-migrate/genid"
)

// DeviceID is the device id given to the vmgenid device, the one libvirt
// uses.
const DeviceID = "vmgenid0"

// Device returns the -device value in QEMU's classic syntax:
// "vmgenid,guid=<GUID>,id=vmgenid0".
func Device(id genid.ID) string {
	return "vmgenid,guid=" + id.GUID() + ",id=" + DeviceID
}

// Args returns the two argv elements that add the device: "-device" and
// [Device].
func Args(id genid.ID) []string {
	return []string{"-device", Device(id)}
}

// device is the JSON form of the device, with members in libvirt's order.
type device struct {
	Driver string `json:"driver"`
	GUID   string `json:"guid"`
	ID     string `json:"id"`
}

// DeviceJSON returns the -device value in the JSON syntax libvirt uses since
// 7.9 with QEMU 6.2: {"driver":"vmgenid","guid":"<GUID>","id":"vmgenid0"}.
func DeviceJSON(id genid.ID) string {
	b, err := json.Marshal(device{Driver: "vmgenid", GUID: id.GUID(), ID: DeviceID})
	if err != nil {
		panic(err) // three strings always marshal
	}
	return string(b)
}

// ArgsJSON returns the argv elements for the JSON form: "-device" and
// [DeviceJSON].
func ArgsJSON(id genid.ID) []string {
	return []string{"-device", DeviceJSON(id)}
}
