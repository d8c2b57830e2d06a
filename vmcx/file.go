package vmcx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
)

// Signature is the first field of both file header copies of every
// container (.vmcx, .vmrs, data.vmcx), at offset 0 (copy A) and 0x1000
// (copy B), little-endian (docs/hyperv-format.md §2).
const Signature = 0x01282014

// Sniff reports whether head, the first bytes of a file, starts a
// container: either header copy carries [Signature]. Copy B is looked at
// only when head reaches it, so 4 bytes are enough for most files.
func Sniff(head []byte) bool {
	return len(head) >= 4 && binary.LittleEndian.Uint32(head) == Signature ||
		len(head) >= headerBOffset+4 && binary.LittleEndian.Uint32(head[headerBOffset:]) == Signature
}

// The other signatures, the format version and structure sizes
// (docs/hyperv-format.md §2).
const (
	fileSignature  = Signature  // file header
	logSignature   = 0x01110003 // replay log header
	objSignature   = 0x01110001 // object table header
	tableSignature = 0x0002     // key table header
	formatVersion  = 0x400

	headerLen     = 0x2E // bytes of a file header in use
	headerBOffset = 0x1000
	logHeaderLen  = 0x22
	logEntryLen   = 0x1C
	objHeaderLen  = 8
	objSlotLen    = 18
	tableHeadLen  = 10
	entryHeadLen  = 21

	maxTableSize    = 1 << 20  // largest key table read
	maxTablesTotal  = 64 << 20 // most key-table bytes read in all
	maxJournalBytes = 16 << 20 // most journal data held in memory
	maxDepth        = 64       // deepest key path
)

// Object types in the object table.
const (
	ObjectUnused       = 0
	ObjectContinuation = 1
	ObjectKeyTable     = 2
	ObjectFile         = 3
	ObjectFree         = 4
	ObjectReplayLog    = 6
)

// A Header is one of the two file header copies.
type Header struct {
	Offset     int64  // 0 for copy A, 0x1000 for copy B
	Sequence   uint16 // the copy with the higher sequence is the current one
	Version    uint32
	Alignment  uint32 // page size
	LogOffset  uint64 // replay log
	LogSize    uint64
	HeaderSize uint32
	Err        error // why the copy is not valid, nil if it is
}

// Copy returns "A" or "B".
func (h Header) Copy() string {
	if h.Offset == 0 {
		return "A"
	}
	return "B"
}

// A Journal describes the replay log.
type Journal struct {
	Offset   int64 `json:"offset"`   // of the log header
	Live     int   `json:"live"`     // entries still to replay (num_entries)
	Max      int   `json:"max"`      // capacity of the entry array
	Replayed int   `json:"replayed"` // live entries applied in memory
}

// An Object is an allocated slot of the object table.
type Object struct {
	Slot   int
	Type   uint8
	Offset int64
	Size   uint32
}

// A Table is a key table.
type Table struct {
	Index    uint16 `json:"index"`
	Sequence uint16 `json:"sequence"`
	Offset   int64  `json:"offset"`
	Size     int64  `json:"size"`
}

// A File is an opened container.
type File struct {
	Size     int64     // file size in bytes
	Headers  [2]Header // copies A and B as read
	Header   Header    // the copy in use
	Journal  Journal
	Objects  []Object // allocated object-table slots
	Tables   []Table
	Keys     []*Key // every key, in file order
	roots    []*Key
	closer   io.Closer
	unknowns int
}

// Open opens the named file and reads its container.
func Open(name string) (*File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	vf, err := NewFile(f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	vf.closer = f
	return vf, nil
}

// Close closes the file if Open opened it; otherwise it does nothing.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// NewFile reads the container from r, whose size is size. It reads only
// the headers, the replay log's header (and live entries), the object
// table and the key tables; r is not kept after it returns.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	f := &File{Size: size}
	v := &view{r: r, real: size, size: size}
	if size < 2*headerBOffset+objHeaderLen {
		return nil, corrupt(0, "file", "%d bytes, shorter than the two headers and the object table", size)
	}
	v.readHead()
	defer v.release()
	for i, off := range []int64{0, headerBOffset} {
		f.Headers[i] = readHeader(v, off, size)
	}
	a, b := f.Headers[0], f.Headers[1]
	switch {
	case a.Err == nil && b.Err == nil:
		f.Header = a
		if int16(b.Sequence-a.Sequence) > 0 { // serial-number order, as the sequence is 16 bits
			f.Header = b
		}
	case a.Err == nil:
		f.Header = a
	case b.Err == nil:
		f.Header = b
	default:
		if errors.Is(a.Err, ErrVersion) || errors.Is(b.Err, ErrVersion) {
			if errors.Is(a.Err, ErrVersion) {
				return nil, a.Err
			}
			return nil, b.Err
		}
		return nil, fmt.Errorf("vmcx: neither file header is valid: %w; header B: %v", a.Err, b.Err)
	}
	if err := f.readJournal(v); err != nil {
		return nil, err
	}
	if err := f.readObjects(v); err != nil {
		return nil, err
	}
	if err := f.readTables(v); err != nil {
		return nil, err
	}
	if err := f.link(); err != nil {
		return nil, err
	}
	f.ownValues()
	return f, nil
}

// ownValues copies the keys' values, which refer to the bytes read, into
// one buffer of the File's own.
func (f *File) ownValues() {
	n := 0
	for _, k := range f.Keys {
		n += len(k.value)
	}
	buf := make([]byte, 0, n)
	for _, k := range f.Keys {
		if k.value != nil {
			start := len(buf)
			buf = append(buf, k.value...)
			k.value = buf[start:len(buf):len(buf)]
		}
	}
}

// readHeader reads and validates the header copy at off.
func readHeader(v *view, off, size int64) Header {
	h := Header{Offset: off}
	what := "file header " + h.Copy()
	b, err := v.read(off, headerLen, what)
	if err != nil {
		h.Err = err
		return h
	}
	if sig := le32(b, 0); sig != fileSignature {
		h.Err = corrupt(off, what, "signature %#08x, want %#08x", sig, fileSignature)
		return h
	}
	if stored, computed := le32(b, 4), v.crcZeroed(b, 4); stored != computed {
		h.Err = checksum(off, what, stored, computed)
		return h
	}
	h.Sequence = binary.LittleEndian.Uint16(b[8:])
	h.Version = le32(b, 0x0A)
	h.Alignment = le32(b, 0x16)
	h.LogOffset = binary.LittleEndian.Uint64(b[0x1A:])
	h.LogSize = binary.LittleEndian.Uint64(b[0x22:])
	h.HeaderSize = le32(b, 0x2A)
	switch {
	case h.Version != formatVersion:
		h.Err = &FormatError{Offset: off + 0x0A, What: what, Err: fmt.Errorf("%w %#x (only %#x is read)", ErrVersion, h.Version, formatVersion)}
	case h.Alignment < 0x1000 || h.Alignment > 0x10000 || h.Alignment&(h.Alignment-1) != 0:
		h.Err = corrupt(off+0x16, what, "alignment %#x is not a power of two from 0x1000 to 0x10000", h.Alignment)
	case h.HeaderSize < headerLen || h.HeaderSize > h.Alignment:
		h.Err = corrupt(off+0x2A, what, "header size %#x outside [%#x, alignment %#x]", h.HeaderSize, headerLen, h.Alignment)
	case h.LogOffset%uint64(h.Alignment) != 0 || h.LogOffset < 0x3000:
		h.Err = corrupt(off+0x1A, what, "replay log offset %#x is not page-aligned at or after 0x3000", h.LogOffset)
	case h.LogOffset > uint64(size) || uint64(size)-h.LogOffset < logHeaderLen:
		h.Err = corrupt(off+0x1A, what, "replay log header at %#x lies outside the %d-byte file", h.LogOffset, size)
	}
	return h
}

// readJournal checks the replay log and replays live entries into v.
func (f *File) readJournal(v *view) error {
	off := int64(f.Header.LogOffset)
	page := int64(f.Header.Alignment)
	f.Journal.Offset = off
	b, err := v.read(off, logHeaderLen, "replay log header")
	if err != nil {
		return err
	}
	if sig := le32(b, 0); sig != logSignature {
		return corrupt(off, "replay log header", "signature %#08x, want %#08x", sig, logSignature)
	}
	if stored, computed := le32(b, 4), v.crcZeroed(b, 4); stored != computed {
		return checksum(off, "replay log header", stored, computed)
	}
	live, max := le32(b, 8), le32(b, 0x0D)
	if int64(max)*logEntryLen+logHeaderLen > page {
		return corrupt(off+0x0D, "replay log header", "%d entries do not fit in a %#x-byte page", max, page)
	}
	if live > max {
		return corrupt(off+8, "replay log header", "%d live entries, more than the %d the log holds", live, max)
	}
	f.Journal.Live, f.Journal.Max = int(live), int(max)
	if live == 0 {
		return nil
	}
	// Validate every live entry before applying any.
	type entry struct {
		target int64
		data   []byte
	}
	var entries []entry
	total := 0
	unclean := func(err error) error {
		return fmt.Errorf("vmcx: unclean configuration (pending journal, %d live entries): %w", live, err)
	}
	for i := 0; i < int(live); i++ {
		eoff := off + logHeaderLen + int64(i)*logEntryLen
		what := fmt.Sprintf("replay log entry %d", i)
		e, err := v.read(eoff, logEntryLen, what)
		if err != nil {
			return unclean(err)
		}
		if stored, computed := le32(e, 0x14), v.crcZeroed(e, 0x14); stored != computed {
			return unclean(checksum(eoff, what, stored, computed))
		}
		target := binary.LittleEndian.Uint64(e[0:])
		length := int64(le32(e, 8))
		dataOff := int64(le32(e, 0x0C))
		if target > 1<<40 || length > maxJournalBytes || total+int(length) > maxJournalBytes {
			return unclean(corrupt(eoff, what, "target %#x, length %#x out of range", target, length))
		}
		data, err := v.read(off+dataOff, int(length), what+" data")
		if err != nil {
			return unclean(err)
		}
		if stored, computed := le32(e, 0x18), crc32.ChecksumIEEE(data); stored != computed {
			return unclean(checksum(off+dataOff, what+" data", stored, computed))
		}
		total += int(length)
		entries = append(entries, entry{int64(target), append([]byte(nil), data...)})
	}
	for _, e := range entries {
		v.patch(e.target, e.data)
	}
	f.Journal.Replayed = len(entries)
	return nil
}

// readObjects reads the object table at twice the header size.
func (f *File) readObjects(v *view) error {
	off := 2 * int64(f.Header.HeaderSize)
	page := int(f.Header.Alignment)
	h, err := v.read(off, objHeaderLen, "object table")
	if err != nil {
		return err
	}
	if sig := le32(h, 0); sig != objSignature {
		return corrupt(off, "object table", "signature %#08x, want %#08x", sig, objSignature)
	}
	count := le32(h, 4)
	if int64(count)*objSlotLen+objHeaderLen > int64(page) {
		return corrupt(off+4, "object table", "%d slots do not fit in a %#x-byte page", count, page)
	}
	slots, err := v.read(off+objHeaderLen, int(count)*objSlotLen, "object table")
	if err != nil {
		return err
	}
	for i := 0; i < int(count); i++ {
		s := slots[i*objSlotLen : (i+1)*objSlotLen]
		soff := off + objHeaderLen + int64(i)*objSlotLen
		if stored, computed := le32(s, 1), v.crcZeroed(s, 1); stored != computed {
			return checksum(soff, fmt.Sprintf("object table slot %d", i), stored, computed)
		}
		if s[0x11] == 0 {
			continue
		}
		o := Object{Slot: i, Type: s[0], Offset: int64(binary.LittleEndian.Uint64(s[5:])), Size: le32(s, 0x0D)}
		f.Objects = append(f.Objects, o)
	}
	// The count has no checksum of its own: a damaged one that hides
	// allocated slots would hide key tables (and the ID). Slots past the
	// count in the page must not be allocated, checksummed slots.
	if room := (page - objHeaderLen) / objSlotLen; room > int(count) {
		rest, err := v.read(off+objHeaderLen+int64(count)*objSlotLen, (room-int(count))*objSlotLen, "object table")
		if err != nil {
			return err
		}
		for i := 0; i < room-int(count); i++ {
			s := rest[i*objSlotLen : (i+1)*objSlotLen]
			if s[0x11] != 0 && le32(s, 1) != 0 && le32(s, 1) == v.crcZeroed(s, 1) {
				return corrupt(off+4, "object table", "slot count %d, but slot %d after it is allocated and checksummed: the count is damaged", count, int(count)+i)
			}
		}
	}
	return nil
}

// readTables loads and checks every allocated key table.
func (f *File) readTables(v *view) error {
	page := int64(f.Header.Alignment)
	total := int64(0)
	var names nameArena
	for _, o := range f.Objects {
		soff := 2*int64(f.Header.HeaderSize) + objHeaderLen + int64(o.Slot)*objSlotLen
		switch o.Type {
		case ObjectKeyTable:
		case ObjectContinuation:
			return unsupported(soff, fmt.Sprintf("object table slot %d", o.Slot), "object-table continuation (never seen in a real file)")
		default:
			continue
		}
		size := int64(o.Size)
		what := "object table slot " + strconv.Itoa(o.Slot)
		switch {
		case o.Offset < 0 || o.Offset%page != 0:
			return corrupt(soff, what, "key table offset %#x is not page-aligned", o.Offset)
		case size < tableHeadLen+entryHeadLen || size > maxTableSize:
			return corrupt(soff, what, "key table size %#x outside [%#x, %#x]", size, tableHeadLen+entryHeadLen, maxTableSize)
		case o.Offset > v.size-size:
			return corrupt(soff, what, "key table %#x+%#x runs past the end of the %d-byte file", o.Offset, size, v.size)
		}
		total += size
		if total > maxTablesTotal {
			return corrupt(soff, what, "more than %d MiB of key tables", maxTablesTotal>>20)
		}
		b, err := v.read(o.Offset, int(size), "key table")
		if err != nil {
			return err
		}
		if sig := binary.LittleEndian.Uint16(b); sig != tableSignature {
			return corrupt(o.Offset, "key table", "signature %#04x, want %#04x", sig, tableSignature)
		}
		if stored, computed := le32(b, 6), v.crcZeroed(b[:tableHeadLen], 6); stored != computed {
			return checksum(o.Offset, "key table header", stored, computed)
		}
		t := Table{Index: binary.LittleEndian.Uint16(b[2:]), Sequence: binary.LittleEndian.Uint16(b[4:]), Offset: o.Offset, Size: size}
		if t.Index == 0 {
			return corrupt(o.Offset+2, "key table header", "index 0")
		}
		for _, prev := range f.Tables {
			if prev.Index == t.Index {
				return unsupported(o.Offset+2, "key table header", "a second key table with index %d (the first at %#x): versioned tables have never been seen in a real file", t.Index, prev.Offset)
			}
		}
		f.Tables = append(f.Tables, t)
		if err := f.readEntries(v, t, b, &names); err != nil {
			return err
		}
	}
	names.assign(f.Keys)
	return nil
}

// nameArena collects the keys' names while the tables are read, so that
// they become one string rather than one allocation each.
type nameArena struct {
	b    []byte
	ends []int // ends[i] is where the i-th key's name ends in b
}

func (a *nameArena) add(name []byte) {
	a.b = append(a.b, name...)
	a.ends = append(a.ends, len(a.b))
}

// assign sets the names of keys, which were added in the same order.
func (a *nameArena) assign(keys []*Key) {
	all := string(a.b)
	start := 0
	for i, k := range keys {
		k.Name = all[start:a.ends[i]]
		start = a.ends[i]
	}
}

// readEntries parses the entries of one key table. Their names go to
// names, in the order the keys are added to f.Keys.
func (f *File) readEntries(v *view, t Table, b []byte, names *nameArena) error {
	// First pass: check sizes and count the entries, to allocate them at once.
	count := 0
	for off := int64(tableHeadLen); off <= int64(len(b))-entryHeadLen; {
		size := int64(le32(b, int(off)+2))
		if size == 0 {
			break // terminator
		}
		if size < entryHeadLen || size > int64(len(b))-off {
			return corrupt(t.Offset+off, "key entry", "size %#x outside [%#x, %#x]", size, entryHeadLen, int64(len(b))-off)
		}
		if Type(b[off]) != TypeFree {
			count++
		} else if crc := le32(b, int(off)+0x0C); crc != 0 {
			// Free entries carry no CRC; a live entry whose type byte
			// (which the CRC covers, but is read first) was damaged to
			// "free" still has its own.
			return corrupt(t.Offset+off, "key entry", "marked free but carries a checksum (%#08x): a live entry whose type byte is damaged", crc)
		}
		off += size
	}
	slab := make([]Key, count)
	f.Keys = slices.Grow(f.Keys, count)
	n := 0
	for off := int64(tableHeadLen); n < count; {
		size := int64(le32(b, int(off)+2))
		e := b[off : off+size]
		eoff := t.Offset + off
		off += size
		if Type(e[0]) == TypeFree {
			continue
		}
		k := &slab[n]
		n++
		name, err := parseEntry(v, k, e, eoff, e[0], e[1])
		if err != nil {
			return err
		}
		k.Table, k.TableOffset = t.Index, uint32(eoff-t.Offset)
		if !k.Type.Known() {
			f.unknowns++
		}
		f.Keys = append(f.Keys, k)
		names.add(name)
	}
	return nil
}

// parseEntry decodes one non-free entry into the zero Key k and checks its CRC. It returns the
// key's name; k.Name is set later, from all the names at once.
func parseEntry(v *view, k *Key, e []byte, eoff int64, typ, flags byte) ([]byte, error) {
	// k is new (zero): set fields one by one rather than copying a whole
	// Key, which costs write barriers for its pointer fields.
	k.Type, k.Flags, k.Offset = Type(typ), flags, eoff
	k.parentTable, k.parentOffset, k.Sequence = binary.LittleEndian.Uint16(e[6:]), le32(e, 8), le32(e, 0x10)
	keyLen := int(e[0x14])
	if keyLen < 1 || entryHeadLen+keyLen > len(e) {
		return nil, corrupt(eoff, "key entry", "key length %d does not fit in a %d-byte entry", keyLen, len(e))
	}
	name := e[entryHeadLen : entryHeadLen+keyLen]
	if i := bytes.IndexByte(name, 0); i >= 0 && i < keyLen-1 {
		return nil, corrupt(eoff+entryHeadLen+int64(i), "key entry", "NUL inside the key name")
	}
	if name[keyLen-1] != 0 {
		return nil, corrupt(eoff+entryHeadLen+int64(keyLen)-1, "key entry", "key name not NUL-terminated")
	}
	name = name[:keyLen-1]
	if !k.Type.Known() {
		return name, nil // value size unknown: cannot be checked; reading it fails
	}
	voff := entryHeadLen + keyLen
	rest := e[voff:]
	var n int
	switch {
	case flags&FlagFileObject != 0:
		n = 12
	case k.Type == TypeInt || k.Type == TypeUInt || k.Type == TypeDouble:
		n = 8
	case k.Type == TypeBool:
		n = 4
	case k.Type == TypeNode:
		n = 12
	case k.Type == TypeString || k.Type == TypeBytes:
		if len(rest) < 4 {
			return nil, corrupt(eoff+int64(voff), "key entry", "%s length does not fit", k.Type)
		}
		l := le32(rest, 0)
		if int64(l) > int64(len(rest))-4 {
			return nil, corrupt(eoff+int64(voff), "key entry", "%s of %d bytes does not fit in the entry", k.Type, l)
		}
		if k.Type == TypeString && l%2 != 0 {
			return nil, corrupt(eoff+int64(voff), "key entry", "UTF-16 string of an odd %d bytes", l)
		}
		n = 4 + int(l)
	}
	if n > len(rest) {
		return nil, corrupt(eoff+int64(voff), "key entry", "%s value of %d bytes does not fit in the entry", k.Type, n)
	}
	covered := e[:voff+n]
	if stored, computed := le32(e, 0x0C), v.crcZeroed(covered, 0x0C); stored != computed {
		return nil, checksum(eoff, "key entry "+quote(string(name)), stored, computed)
	}
	k.value = rest[:n:n] // the bytes read; NewFile copies them before it returns
	k.verified = true
	return name, nil
}

// link builds the tree from the parent references.
func (f *File) link() error {
	f.Keys = slices.Clip(f.Keys)
	// The keys of each table are contiguous in f.Keys, in increasing table
	// offset: a parent is found by a binary search in its table's run.
	type run struct {
		table  uint16
		lo, hi int
	}
	var runs []run
	for i, k := range f.Keys {
		if len(runs) == 0 || runs[len(runs)-1].table != k.Table {
			runs = append(runs, run{k.Table, i, i})
		}
		runs[len(runs)-1].hi = i + 1
	}
	find := func(table uint16, offset uint32) int {
		for _, r := range runs {
			if r.table == table {
				keys := f.Keys[r.lo:r.hi]
				i := sort.Search(len(keys), func(i int) bool { return keys[i].TableOffset >= offset })
				if i < len(keys) && keys[i].TableOffset == offset {
					return r.lo + i
				}
				return -1
			}
		}
		return -1
	}
	children := make([]int32, len(f.Keys)) // number of children of each key
	linked := 0
	for _, k := range f.Keys {
		if k.parentTable == 0 {
			f.roots = append(f.roots, k)
			continue
		}
		j := find(k.parentTable, k.parentOffset)
		if j < 0 {
			return corrupt(k.Offset+6, "key entry "+quote(k.Name), "parent (table %d, offset %#x) does not exist", k.parentTable, k.parentOffset)
		}
		p := f.Keys[j]
		switch {
		case p.Type != TypeNode:
			return corrupt(k.Offset+6, "key entry "+quote(k.Name), "parent %s at %#x is a %s, not a node", quote(p.Name), p.Offset, p.Type)
		case p == k:
			return corrupt(k.Offset+6, "key entry "+quote(k.Name), "is its own parent")
		}
		k.Parent = p
		children[j]++
		linked++
	}
	// Every parent's children share one backing array.
	slab := make([]*Key, linked)
	for j, n := range children {
		if n > 0 {
			f.Keys[j].Children = slab[:0:n]
			slab = slab[n:]
		}
	}
	for _, k := range f.Keys {
		if p := k.Parent; p != nil {
			p.Children = append(p.Children, k)
		}
	}
	// Every key must reach a root within maxDepth steps: no cycles.
	for _, k := range f.Keys {
		d := 0
		for p := k; p.Parent != nil; p = p.Parent {
			if d++; d > maxDepth {
				return corrupt(k.Offset, "key entry "+quote(k.Name), "no root within %d parents (a parent cycle?)", maxDepth)
			}
		}
	}
	for _, k := range f.Keys {
		if len(k.Children) > 1 {
			slices.SortStableFunc(k.Children, func(a, b *Key) int { return int(a.Sequence) - int(b.Sequence) })
		}
	}
	if len(f.roots) == 0 && len(f.Keys) > 0 {
		return corrupt(f.Keys[0].Offset, "key tree", "no root key")
	}
	return nil
}

// Roots returns the keys without a parent, in file order. Every real file
// has exactly one.
func (f *File) Roots() []*Key { return f.roots }

// Walk calls fn for every key, in tree order: each root, then its
// children depth first, as [Key.Children] orders them. It stops at the
// first error fn returns and returns it.
func (f *File) Walk(fn func(k *Key) error) error {
	var walk func(k *Key) error
	walk = func(k *Key) error {
		if err := fn(k); err != nil {
			return err
		}
		for _, c := range k.Children {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range f.roots {
		if err := walk(r); err != nil {
			return err
		}
	}
	return nil
}

// Lookup returns every key at path ("a/b/c", from a root; a leading "/"
// is allowed), in tree order. Sibling names may repeat, so there can be
// several.
func (f *File) Lookup(path string) []*Key {
	parts := splitPath(path)
	if len(parts) == 0 {
		return nil
	}
	var out []*Key
	for _, r := range f.roots {
		if r.Name == parts[0] {
			out = append(out, r.Lookup(parts[1:]...)...)
		}
	}
	return out
}

// Unknown returns the number of entries of value types this package does
// not know (skipped, unverifiable).
func (f *File) Unknown() int { return f.unknowns }

func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
