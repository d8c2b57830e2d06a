// Package qemuargs finds the vmgenid device in a list of QEMU arguments. It
// is shared by the readers of QEMU command lines and of libvirt domains
// (whose <qemu:commandline> passes arguments to QEMU unchanged).
//
// QEMU reads guid= as a big-endian UUID and swaps its first three fields
// before writing guest RAM, so the value is read with [genid.ParseGUID].
// QEMU accepts only the 36-character dashed form and at most one vmgenid
// device; no guid, or guid=auto, makes QEMU generate an ID at every start
// (docs/libvirt-qemu.md §2.3).
package qemuargs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
)

// A Device is one vmgenid -device argument.
type Device struct {
	Index   int    // index in the argument list of the -device value
	JSON    bool   // given in JSON syntax
	ID      string // id=, "" if none
	GUID    string // guid= as written
	HasGUID bool   // guid= is present
}

// Info is what a QEMU argument list says about the VM.
type Info struct {
	Devices []Device // vmgenid devices, in order
	Program string   // the first argument that is not an environment assignment
	Name    string   // guest= (or the first element) of -name
	UUID    string   // -uuid
	SMBIOS  string   // uuid= of -smbios type=1: the system UUID the guest sees (qemu-server passes this, not -uuid)
}

// An ArgError reports a problem with the argument at Index.
type ArgError struct {
	Index int
	Err   error
}

func (e *ArgError) Error() string { return fmt.Sprintf("argument %d: %v", e.Index+1, e.Err) }

// Unwrap returns the underlying error.
func (e *ArgError) Unwrap() error { return e.Err }

// Scan reads args, stopping at the first -device value it cannot parse.
func Scan(args []string) (*Info, error) {
	info := &Info{}
	for _, a := range args {
		if !isEnvAssignment(a) {
			info.Program = a
			break
		}
	}
	for i := 0; i+1 < len(args); i++ {
		opt, val := args[i], args[i+1]
		switch opt {
		case "-name", "--name":
			info.Name = guestName(val)
		case "-uuid", "--uuid":
			info.UUID = val
		case "-smbios", "--smbios":
			if u := smbiosUUID(val); u != "" {
				info.SMBIOS = u
			}
		case "-device", "--device":
		default:
			continue
		}
		i++
		if opt != "-device" && opt != "--device" {
			continue
		}
		dev, err := parseDevice(val)
		if err != nil {
			return info, &ArgError{Index: i, Err: err}
		}
		if dev.driver == "vmgenid" {
			info.Devices = append(info.Devices, Device{Index: i, JSON: dev.json, ID: dev.id, GUID: dev.guid, HasGUID: dev.hasGUID})
		}
	}
	return info, nil
}

// GenID returns the generation ID the arguments give the guest and the
// device that gives it. No device, no guid, guid=auto and an all-zero GUID
// are [genid.ErrNotFound]; a second device or a guid QEMU would reject is an
// [*ArgError].
func (info *Info) GenID() (genid.ID, *Device, error) {
	switch len(info.Devices) {
	case 0:
		return genid.ID{}, nil, fmt.Errorf("%w: no -device vmgenid", genid.ErrNotFound)
	case 1:
	default:
		d := info.Devices[1]
		return genid.ID{}, &d, &ArgError{Index: d.Index, Err: fmt.Errorf("a second vmgenid device (the first is argument %d): QEMU allows at most one", info.Devices[0].Index+1)}
	}
	d := info.Devices[0]
	if !d.HasGUID || strings.EqualFold(d.GUID, "auto") {
		return genid.ID{}, &d, fmt.Errorf("%w: the vmgenid device has no fixed guid, so QEMU generates a new ID at every start", genid.ErrGenerated)
	}
	id, err := genid.ParseGUID(d.GUID)
	if err != nil {
		return genid.ID{}, &d, &ArgError{Index: d.Index, Err: fmt.Errorf("guid=%q: QEMU accepts only a GUID in the form 8-4-4-4-12: %s", d.GUID, genid.Reason(err))}
	}
	if id.IsZero() {
		return id, &d, fmt.Errorf("%w: the vmgenid guid is all zeros, which guests read as no ID", genid.ErrZero)
	}
	return id, &d, nil
}

// smbiosUUID returns uuid= of an -smbios type=1 value, "" otherwise. The
// value is QEMU's key=value list, where ",," is a literal comma.
func smbiosUUID(v string) string {
	var typ1 bool
	var uuid string
	for _, kv := range splitOpts(v) {
		k, val, _ := strings.Cut(kv, "=")
		switch k {
		case "type":
			typ1 = val == "1"
		case "uuid":
			uuid = val
		}
	}
	if !typ1 {
		return ""
	}
	return uuid
}

// splitOpts splits a QEMU option list at single commas.
func splitOpts(v string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == ',' {
			if i+1 < len(v) && v[i+1] == ',' {
				cur.WriteByte(',')
				i++
				continue
			}
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(v[i])
	}
	return append(out, cur.String())
}

func isEnvAssignment(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	if !ok || k == "" || strings.HasPrefix(s, "-") {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// guestName returns the guest name from a -name value: its guest= element
// or its first element.
func guestName(v string) string {
	elems := splitKeyval(v)
	for _, e := range elems {
		if k, val, ok := strings.Cut(e, "="); ok && k == "guest" {
			return val
		}
	}
	if !strings.Contains(elems[0], "=") {
		return elems[0]
	}
	return ""
}

type device struct {
	driver, guid, id string
	hasGUID, json    bool
}

// parseDevice reads a -device value in classic or JSON syntax.
func parseDevice(v string) (device, error) {
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(v))
		if err := dec.Decode(&m); err != nil {
			return device{}, fmt.Errorf("JSON device is not a JSON object: %v", err)
		}
		if dec.More() {
			return device{}, errors.New("JSON device has text after the object")
		}
		d := device{json: true}
		d.driver, _ = m["driver"].(string)
		if d.driver != "vmgenid" {
			return d, nil
		}
		if g, ok := m["guid"]; ok {
			s, isStr := g.(string)
			if !isStr {
				return d, fmt.Errorf("JSON vmgenid device: guid is %T, not a string", g)
			}
			d.guid, d.hasGUID = s, true
		}
		d.id, _ = m["id"].(string)
		return d, nil
	}
	var d device
	for i, e := range splitKeyval(v) {
		k, val, ok := strings.Cut(e, "=")
		switch {
		case !ok && i == 0:
			d.driver = e
		case k == "driver":
			d.driver = val
		case k == "guid":
			d.guid, d.hasGUID = val, ok
		case k == "id":
			d.id = val
		}
	}
	return d, nil
}

// splitKeyval splits QEMU's classic option syntax at commas; ",," is a
// literal comma.
func splitKeyval(v string) []string {
	var elems []string
	var cur strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != ',' {
			cur.WriteByte(v[i])
			continue
		}
		if i+1 < len(v) && v[i+1] == ',' {
			cur.WriteByte(',')
			i++
			continue
		}
		elems = append(elems, cur.String())
		cur.Reset()
	}
	return append(elems, cur.String())
}
