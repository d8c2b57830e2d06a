package vmware

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/ascii"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
)

// Limits on what the reader accepts. Real .vmx files are a few kilobytes.
const (
	MaxLineSize = bounded.MaxLineSize // longest line accepted, in bytes
	MaxFileSize = bounded.MaxFileSize // largest file accepted, in bytes
)

// The keys that hold the generation ID, in lower case.
const (
	KeyGenID  = "vm.genid"  // the low 64 bits
	KeyGenIDX = "vm.genidx" // the high 64 bits (spelled vm.genidX by VMware)
)

// An Entry is one `key = "value"` line.
type Entry struct {
	Key   string // as spelled in the file
	Value string // unquoted, |XX escapes decoded, converted to UTF-8
	Line  int    // 1-based line number
}

// A File is a parsed .vmx file: its entries in file order.
type File struct {
	Entries  []Entry
	Encoding string   // the .encoding value, "" if absent
	Warnings []string // things worth telling the user that are not errors

	// Conflicts lists keys set again with a different value: the first
	// entry is the one Lookup returns.
	Conflicts []Conflict

	index   keyIndex // key → first entry, ignoring ASCII case
	firstOf []int32  // firstOf[i] is the first entry with entry i's key
}

// Lookup returns the first entry whose key equals key, ignoring the case of
// ASCII letters (as VMware compares keys).
func (f *File) Lookup(key string) (Entry, bool) {
	i := f.index.find(f.Entries, key)
	if i < 0 {
		return Entry{}, false
	}
	return f.Entries[i], true
}

// Count returns how many entries set key, ignoring the case of ASCII
// letters: more than one is a key set twice.
func (f *File) Count(key string) int {
	n := 0
	for _, e := range f.Entries {
		if ascii.EqualFold(e.Key, key) {
			n++
		}
	}
	return n
}

// keyIndex is an open-addressing hash table of entry indices, keyed by the
// entry's key with ASCII case folded. It allocates once per file, where a
// map keyed by lower-cased strings allocates for most keys.
type keyIndex struct {
	slots []int32 // entry index + 1; 0 is empty
}

func newKeyIndex(entries int) keyIndex {
	n := 16
	for n < 2*entries {
		n *= 2
	}
	return keyIndex{slots: make([]int32, n)}
}

// foldHash hashes a key with ASCII letters lower-cased, eight bytes at a
// time: keys equal but for the case of ASCII letters hash alike.
func foldHash(s string) uint64 {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
		mul  = 0x9e3779b97f4a7c15
	)
	h := uint64(len(s)) * mul
	for len(s) > 0 {
		var w uint64
		if len(s) >= 8 {
			w = uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
				uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
			s = s[8:]
		} else {
			for i := len(s) - 1; i >= 0; i-- {
				w = w<<8 | uint64(s[i])
			}
			s = ""
		}
		// Lower-case the bytes in 'A'..'Z' (high bit clear): each byte's
		// low seven bits plus a bias sets its high bit from 'A' on, and a
		// second bias from past 'Z' on; no sum carries into the next byte.
		x := w &^ high
		upper := (x + (0x80-'A')*ones) &^ (x + (0x80-'Z'-1)*ones) &^ w & high
		w |= upper >> 2
		h = (h ^ w) * mul
		h ^= h >> 29
	}
	return h
}

// find returns the index of the first entry whose key folds to key, or -1.
func (x *keyIndex) find(entries []Entry, key string) int {
	if len(x.slots) == 0 {
		return -1
	}
	mask := uint64(len(x.slots) - 1)
	for i := foldHash(key) & mask; ; i = (i + 1) & mask {
		e := x.slots[i]
		if e == 0 {
			return -1
		}
		if ascii.EqualFold(entries[e-1].Key, key) {
			return int(e - 1)
		}
	}
}

// add returns the index of the first entry with the key of entries[i],
// recording i as that entry if there is none. The table must have room (it
// is sized for every entry at twice their number).
func (x *keyIndex) add(entries []Entry, i int) int {
	mask := uint64(len(x.slots) - 1)
	key := entries[i].Key
	for j := foldHash(key) & mask; ; j = (j + 1) & mask {
		e := x.slots[j]
		if e == 0 {
			x.slots[j] = int32(i + 1)
			return i
		}
		if ascii.EqualFold(entries[e-1].Key, key) {
			return int(e - 1)
		}
	}
}

// A Conflict is a key set twice with different values.
type Conflict struct {
	First, Again Entry
}

// A Config is what a report needs from a .vmx file: the generation ID and
// the VM's identity.
type Config struct {
	ID         genid.ID // zero when the file holds no (complete) ID
	GenIDLine  int      // line of vm.genid, 0 if absent
	GenIDXLine int      // line of vm.genidX, 0 if absent

	DisplayName  string // displayName
	UUIDBios     string // uuid.bios, as written ("56 4d … -… ")
	UUIDLocation string // uuid.location
	VCUUID       string // vc.uuid (set by vCenter)
	GuestOS      string // guestOS
	Encoding     string // .encoding
	Warnings     []string
}

// Parse reads the entries of a .vmx file. It checks syntax only.
func Parse(r io.Reader) (*File, error) {
	data, err := bounded.ReadAll(r, MaxFileSize, 0, "a .vmx file")
	if err != nil {
		return nil, err
	}
	return ParseBytes(data)
}

// FromEntries builds a File from key/value pairs that did not come from a
// .vmx file's text, such as vCenter's config.extraConfig or an OVF's
// vmw:ExtraConfig, so that the same rules read them: keys compared
// ignoring ASCII case, the first of repeated keys used, conflicts
// reported. Values are taken as they are (no |XX escapes, already UTF-8);
// an entry's Line, if not zero, is its position for messages.
func FromEntries(entries []Entry) *File {
	f := &File{index: newKeyIndex(len(entries)), Entries: make([]Entry, 0, len(entries)), firstOf: make([]int32, 0, len(entries))}
	for _, e := range entries {
		f.add(e)
	}
	for i, e := range f.Entries {
		if first := int(f.firstOf[i]); first != i && f.Entries[first].Value != e.Value {
			f.Conflicts = append(f.Conflicts, Conflict{First: f.Entries[first], Again: e})
		}
	}
	return f
}

// ParseBytes is [Parse] on the bytes of a file, which it does not keep.
func ParseBytes(data []byte) (*File, error) {
	text := string(data) // one copy; entries are substrings of it
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.Count(text, "\n") + 1
	f := &File{index: newKeyIndex(lines), Entries: make([]Entry, 0, lines), firstOf: make([]int32, 0, lines)}
	for line := 1; text != ""; line++ {
		l, rest, _ := strings.Cut(text, "\n")
		text = rest
		if len(l) > MaxLineSize {
			return nil, &genid.InputError{Line: line, Err: fmt.Errorf("line longer than %d MiB", MaxLineSize>>20)}
		}
		if len(data) > MaxFileSize {
			return nil, &genid.InputError{Line: line, Err: fmt.Errorf("file larger than %d MiB: not a configuration file", MaxFileSize>>20)}
		}
		key, raw, err := splitLine(strings.TrimSuffix(l, "\r"))
		if err != nil {
			return nil, &genid.InputError{Line: line, Key: key, Err: err}
		}
		if key != "" {
			f.add(Entry{Key: key, Value: raw, Line: line})
		}
	}
	if len(data) > MaxFileSize {
		return nil, &genid.InputError{Line: 1, Err: fmt.Errorf("file larger than %d MiB: not a configuration file", MaxFileSize>>20)}
	}
	f.decodeValues()
	return f, nil
}

// add records e, keeping the first of repeated keys.
func (f *File) add(e Entry) {
	if ascii.EqualFold(e.Key, ".encoding") {
		f.Encoding = unescape(e.Value)
	}
	f.Entries = append(f.Entries, e)
	f.firstOf = append(f.firstOf, int32(f.index.add(f.Entries, len(f.Entries)-1)))
}

// decodeValues turns the raw quoted text of every entry into UTF-8.
func (f *File) decodeValues() {
	conv, known := decoderFor(f.Encoding)
	if !known {
		f.Warnings = append(f.Warnings, fmt.Sprintf(".encoding %q is not converted: values are shown as UTF-8 with invalid bytes replaced", f.Encoding))
	}
	for i := range f.Entries {
		f.Entries[i].Value = conv(unescape(f.Entries[i].Value))
	}
	// Conflicts compare the values as decoded.
	for i, e := range f.Entries {
		if first := int(f.firstOf[i]); first != i && f.Entries[first].Value != e.Value {
			f.Conflicts = append(f.Conflicts, Conflict{First: f.Entries[first], Again: e})
		}
	}
}

// splitLine splits one line into its key and the raw text between the
// quotes. Blank and comment lines give an empty key and no error.
func splitLine(s string) (key, raw string, err error) {
	ks, ke, rs, re, err := splitLineAt(s)
	return s[ks:ke], s[rs:re], err
}

// splitLineAt is splitLine giving where the key and the raw value lie in
// s: s[ks:ke] and s[rs:re].
func splitLineAt(s string) (ks, ke, rs, re int, err error) {
	t := trimBlank(s)
	if t == "" || t[0] == '#' {
		return 0, 0, 0, 0, nil
	}
	ks = len(s) - len(t)
	eq := strings.IndexByte(t, '=')
	if eq < 0 {
		return 0, 0, 0, 0, fmt.Errorf("not a key = \"value\" line: %s", excerpt(t))
	}
	key := t[:eq]
	for key != "" && (key[len(key)-1] == ' ' || key[len(key)-1] == '\t') {
		key = key[:len(key)-1]
	}
	if key == "" || !plainKey(key) {
		return 0, 0, 0, 0, fmt.Errorf("not a key = \"value\" line: %s", excerpt(t))
	}
	ke = ks + len(key)
	rest := trimBlank(t[eq+1:])
	if rest == "" || rest[0] != '"' {
		return ks, ke, 0, 0, fmt.Errorf("value is not in double quotes: %s", excerpt(t))
	}
	end := strings.IndexByte(rest[1:], '"')
	if end < 0 {
		return ks, ke, 0, 0, fmt.Errorf("value has no closing quote: %s", excerpt(t))
	}
	rs = len(s) - len(rest) + 1
	re = rs + end
	after := trimBlank(rest[2+end:])
	if after != "" && after[0] != '#' {
		return ks, ke, 0, 0, fmt.Errorf("unexpected text after the closing quote: %s", excerpt(t))
	}
	return ks, ke, rs, re, nil
}

// trimBlank removes leading spaces and tabs.
func trimBlank(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[i:]
}

// plainKey reports whether a key holds no space, tab, quote or '#'.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		switch k[i] {
		case ' ', '\t', '"', '#':
			return false
		}
	}
	return true
}

// excerpt quotes a line for an error message, shortened if long.
func excerpt(s string) string {
	const max = 60
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}

// unescape decodes VMware's |XX escapes; a bar not followed by two hex
// digits is kept as it is.
func unescape(s string) string {
	if !strings.Contains(s, "|") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Read parses a .vmx file and extracts its generation ID and identity.
//
// The returned Config is non-nil whenever the file parsed as a VM's
// configuration, even when the error is [genid.ErrNotFound] or
// [genid.ErrIncomplete], so that a report can still name the VM. Files in
// the same syntax that are not a VM's ([File.NotVM]) give
// [genid.ErrNotVM].
func Read(r io.Reader) (*Config, error) {
	data, err := bounded.ReadAll(r, MaxFileSize, 0, "a .vmx file")
	if err != nil {
		return nil, err
	}
	return ReadBytes(data)
}

// onLine says where an entry is, when it came from a file's line.
func onLine(line int) string {
	if line > 0 {
		return fmt.Sprintf(" on line %d", line)
	}
	return ""
}

// ReadBytes is [Read] on the bytes of a file, which it does not keep.
func ReadBytes(data []byte) (*Config, error) {
	if c, err, ok := readFast(data); ok {
		return c, err
	}
	return readFull(data)
}

// readFull is ReadBytes through the full parser.
func readFull(data []byte) (*Config, error) {
	f, err := ParseBytes(data)
	if err != nil {
		return nil, err
	}
	if why := f.NotVM(); why != "" {
		return nil, fmt.Errorf("%w: %s", genid.ErrNotVM, why)
	}
	return FromFile(f)
}

// NotVM says why a file of key = "value" lines is not a VM's
// configuration, or "" when it is: a .vmx always has settings only a VM
// has (config.version, virtualHW.version, guestOS, memsize, a device such
// as scsi0.present, or the generation ID itself), which VMware's other
// files in that syntax lack: the snapshot list (.vmsd), the host's
// inventory (inventory.vmls), a team's configuration.
func (f *File) NotVM() string {
	snapshots, inventory := 0, 0
	for _, e := range f.Entries {
		k := strings.ToLower(e.Key)
		switch {
		case vmKey(k):
			return ""
		case strings.HasPrefix(k, "snapshot"):
			snapshots++
		case strings.HasPrefix(k, "vmlist") || strings.HasPrefix(k, "index"):
			inventory++
		}
	}
	switch {
	case snapshots > 0:
		return "a VMware snapshot list (.vmsd): its settings describe snapshots, not a VM"
	case inventory > 0:
		return "a VMware inventory (inventory.vmls): it lists VMs, it is not one"
	}
	return "key = \"value\" lines without any VM setting (config.version, virtualHW.version, guestOS, memsize, a device, vm.genid)"
}

// vmKey reports keys only a VM's configuration has (lower case).
func vmKey(k string) bool {
	switch k {
	case "config.version", "virtualhw.version", "guestos", "memsize", "numvcpus", "displayname", "uuid.bios",
		"uuid.location", "vc.uuid", KeyGenID, KeyGenIDX, "nvram", "firmware", "vmci0.present", "svga.present":
		return true
	}
	dev, _, ok := strings.Cut(k, ".")
	if !ok {
		return false
	}
	dev, _, _ = strings.Cut(dev, ":") // scsi0:1.present
	i := len(dev)
	for i > 0 && dev[i-1] >= '0' && dev[i-1] <= '9' {
		i--
	}
	if i == len(dev) {
		return false
	}
	switch dev[:i] {
	case "scsi", "ide", "sata", "nvme", "ethernet", "floppy", "serial", "parallel", "pcibridge", "usb_xhci", "sound":
		return true
	}
	return false
}

// ReadFile is [Read] on a named file; errors carry the name.
func ReadFile(name string) (*Config, error) { return bounded.Parse(name, "a .vmx file", ReadBytes) }

// Reading returns what the configuration holds in the shape every reader
// shares: the VM is identified by uuid.bios, else vc.uuid (vCenter's
// instance UUID).
func (c *Config) Reading() *genid.Reading {
	if c == nil {
		return nil
	}
	r := &genid.Reading{ID: c.ID, Convention: genid.ConvVMware, Where: genid.Lines(c.GenIDLine, c.GenIDXLine), Name: c.DisplayName, Warnings: c.Warnings}
	r.SetIdentity("uuid.bios", c.UUIDBios)
	r.SetIdentity("vc.uuid", c.VCUUID)
	r.AddFields(
		genid.Field{Key: "display_name", Label: "displayName", Value: c.DisplayName},
		genid.Field{Key: "uuid_bios", Label: "uuid.bios", Value: c.UUIDBios},
		genid.Field{Key: "uuid_location", Label: "uuid.location", Value: c.UUIDLocation},
		genid.Field{Key: "vc_uuid", Label: "vc.uuid", Value: c.VCUUID},
		genid.Field{Key: "guest_os", Label: "guestOS", Value: c.GuestOS},
	)
	return r
}

// FromFile extracts the generation ID and identity from parsed entries.
func FromFile(f *File) (*Config, error) {
	c := &Config{Encoding: f.Encoding}
	// Copies: entries share the file's text, which a Config must not keep alive.
	get := func(key string) string { e, _ := f.Lookup(key); return strings.Clone(e.Value) }
	c.DisplayName = get("displayName")
	c.UUIDBios = get("uuid.bios")
	c.UUIDLocation = get("uuid.location")
	c.VCUUID = get("vc.uuid")
	c.GuestOS = get("guestOS")

	var halves [2]int64
	var lines [2]int
	var names [2]string
	var present [2]bool
	for i, key := range []string{KeyGenID, KeyGenIDX} {
		first, ok := f.Lookup(key)
		if !ok {
			continue
		}
		for _, d := range f.Conflicts { // in file order
			if ascii.EqualFold(d.First.Key, key) {
				e := d.Again
				return c, &genid.InputError{Line: e.Line, Key: e.Key, Err: fmt.Errorf("set twice with different values: %q%s, %q here", first.Value, onLine(first.Line), e.Value)}
			}
		}
		v, err := genid.ParseVMXInt(first.Value)
		if err != nil {
			return c, &genid.InputError{Line: first.Line, Key: first.Key, Err: fmt.Errorf("%q is not a 64-bit decimal integer: %s", first.Value, genid.Reason(err))}
		}
		halves[i], lines[i], names[i], present[i] = v, first.Line, first.Key, true
	}
	c.GenIDLine, c.GenIDXLine = lines[0], lines[1]
	c.Warnings = append(c.Warnings, f.Warnings...)
	for _, d := range f.Conflicts {
		if k := d.First.Key; !ascii.EqualFold(k, KeyGenID) && !ascii.EqualFold(k, KeyGenIDX) {
			if d.Again.Line > 0 {
				c.Warnings = append(c.Warnings, fmt.Sprintf("line %d: %s set again with a different value (line %d is used)", d.Again.Line, d.Again.Key, d.First.Line))
			} else {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s set again with a different value (the first is used)", d.Again.Key))
			}
		}
	}
	switch {
	case !present[0] && !present[1]:
		return c, fmt.Errorf("%w: neither vm.genid nor vm.genidX is set", genid.ErrNotFound)
	case !present[1]:
		return c, &genid.InputError{Line: lines[0], Key: names[0], Err: fmt.Errorf("%w: vm.genid is set but vm.genidX is missing (a VM from ESXi 5.0 Update 2, which implemented the 64-bit draft of the generation ID specification, has only vm.genid; its ID cannot be carried as 16 bytes without a guess)", genid.ErrIncomplete)}
	case !present[0]:
		return c, &genid.InputError{Line: lines[1], Key: names[1], Err: fmt.Errorf("%w: vm.genidX is set but vm.genid is missing", genid.ErrIncomplete)}
	case halves[0] == 0 && halves[1] == 0:
		return c, fmt.Errorf("%w: vm.genid and vm.genidX are both 0, which VMware and libvirt treat as none", genid.ErrZero)
	}
	c.ID = genid.FromVMX(halves[0], halves[1])
	return c, nil
}
