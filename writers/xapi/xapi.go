// Package xapi writes a generation ID for XenServer and XCP-ng.
//
// XAPI keeps the ID in the VM record's generation_id field as "low:high",
// two decimal 64-bit halves, and writes it to XenStore
// platform/generation-id, where hvmloader reads the halves with strtoll and
// stores them little-endian in the guest's buffer: G = LE64(low) ‖
// LE64(high) (docs/byte-order.md, "The spellings": Xen), which is
// [genid.ID.Xen].
//
// The field can be given only when the VM is created (the record passed to
// VM.create, or the generation_id of an XVA's ova.xml that `xe vm-import`
// reads); XAPI offers no call that changes it afterwards, and a checkpoint
// revert draws a new one.
package xapi

import (
	"strconv"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Field is the VM record's field name.
const Field = "generation_id"

// Member returns the field as a member of a JSON or XML-RPC struct for
// VM.create: `"generation_id": "<low>:<high>"`.
func Member(id genid.ID) string { return strconv.Quote(Field) + ": " + strconv.Quote(id.Xen()) }
