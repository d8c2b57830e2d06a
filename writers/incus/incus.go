// Package incus writes a generation ID for Incus and LXD virtual machines.
//
// Incus keeps the ID in the instance key volatile.uuid.generation and hands
// it to QEMU unchanged as the guid of a vmgenid device in the -readconfig
// file it writes (qemuVmgen in internal/server/instance/drivers/
// driver_qemu_templates.go: [device "vmgenid0"] driver = "vmgenid",
// guid = <volatile.uuid.generation>), so the value is the QEMU GUID,
// [genid.ID.GUID] (docs/byte-order.md, "The spellings": QEMU). LXD, which
// Incus forked from, does the same.
//
// Incus fills the key itself when the instance is created, so it must be
// set after `incus init` (or `incus import`) and before the first start.
package incus

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Key is the instance configuration key that holds the ID.
const Key = "volatile.uuid.generation"

// Setting returns "volatile.uuid.generation=<GUID>", the argument of
// `incus config set`.
func Setting(id genid.ID) string { return Key + "=" + id.GUID() }

// Command returns the argv of `incus config set <instance> volatile.uuid.generation=<GUID>`.
// The instance name must be one Incus accepts (letters, digits and dashes,
// at most 63, not starting with a digit or a dash), optionally after a
// remote ("remote:name"), so that the command is safe to paste.
func Command(instance string, id genid.ID) ([]string, error) {
	if err := ValidName(instance); err != nil {
		return nil, err
	}
	return []string{"incus", "config", "set", instance, Setting(id)}, nil
}

// ValidName reports whether name is an Incus instance name, with an
// optional "remote:" in front.
func ValidName(name string) error {
	remote, inst := "", name
	for i := 0; i < len(name); i++ {
		if name[i] == ':' {
			remote, inst = name[:i], name[i+1:]
			break
		}
	}
	bad := func(why string) error { return fmt.Errorf("invalid Incus instance name %q: %s", name, why) }
	if remote != "" && !label(remote, true) {
		return bad("the remote before the colon must be letters, digits, dashes, dots or underscores")
	}
	if inst == "" || len(inst) > 63 {
		return bad("want 1 to 63 characters")
	}
	if c := inst[0]; c == '-' || c >= '0' && c <= '9' {
		return bad("it must not start with a digit or a dash")
	}
	if inst[len(inst)-1] == '-' {
		return bad("it must not end with a dash")
	}
	if !label(inst, false) {
		return bad("want letters, digits and dashes")
	}
	return nil
}

func label(s string, remote bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
		case remote && (c == '.' || c == '_'):
		default:
			return false
		}
	}
	return true
}
