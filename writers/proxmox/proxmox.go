// Package proxmox writes a generation ID for Proxmox VE.
//
// Proxmox's qemu-server passes the vmgenid option to QEMU unchanged
// (`-device vmgenid,guid=<value>`, src/PVE/QemuServer.pm), so the value is
// the QEMU GUID, [genid.ID.GUID]. Proxmox regenerates it on restore,
// snapshot rollback and template clone: set it after those, not before.
package proxmox

import (
	"fmt"
	"strconv"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Line returns the qemu-server/<vmid>.conf line "vmgenid: <GUID>".
func Line(id genid.ID) string { return "vmgenid: " + id.GUID() }

// Command returns the argv of `qm set <vmid> --vmgenid <GUID>`. The VMID
// must be an integer from 100 to 999999999, as Proxmox requires.
func Command(vmid string, id genid.ID) ([]string, error) {
	n, err := strconv.ParseUint(vmid, 10, 32)
	if err != nil || n < 100 || n > 999999999 || strconv.FormatUint(n, 10) != vmid {
		return nil, fmt.Errorf("invalid Proxmox VMID %q: want an integer from 100 to 999999999", vmid)
	}
	return []string{"qm", "set", vmid, "--vmgenid", id.GUID()}, nil
}
