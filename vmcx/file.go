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
	"strconv"
	"sync"
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
func NewFile(r io.ReaderAt, size int64) (*File, error) { return newFile(r, size, nil) }

// NewFileOnly is [NewFile] for a reader that needs only the keys at a few
// paths: it checks everything NewFile checks (every header, journal entry,
// object-table slot, key table and key entry checksum, every parent
// reference, the tree's depth and its root), so it fails exactly when
// NewFile fails and with the same error, but builds only the roots and the
// keys on the given paths ("a/b/c" from a root, as [File.Lookup] takes
// them) with their ancestors. Keys, Roots, Walk and Lookup see only those;
// a key's Children are those of its children that were built.
func NewFileOnly(r io.ReaderAt, size int64, paths ...string) (*File, error) {
	return newFile(r, size, paths)
}

// newFile reads the container; paths, when not nil, limits the keys built.
func newFile(r io.ReaderAt, size int64, paths []string) (*File, error) {
	f := &File{Size: size}
	v := &view{r: r, real: size, size: size}
	if size < 2*headerBOffset+objHeaderLen {
		return nil, corrupt(0, "file", "%d bytes, shorter than the two headers and the object table", size)
	}
	bld := builders.Get().(*builder)
	defer bld.release()
	v.scratch = bld.scratch // checksum scratch, reused from file to file
	defer func() { bld.scratch = v.scratch }()
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
	if err := f.readTables(v, bld); err != nil {
		return nil, err
	}
	if err := f.link(bld); err != nil {
		return nil, err
	}
	f.build(bld, paths)
	return f, nil
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

// readTables loads and checks every allocated key table, and every entry
// in it, into bld.
func (f *File) readTables(v *view, bld *builder) error {
	page := int64(f.Header.Alignment)
	total := int64(0)
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
		bld.tables = append(bld.tables, b)
		if err := f.readEntries(v, t, b, uint16(len(bld.tables)-1), bld); err != nil {
			return err
		}
	}
	return nil
}

// readEntries parses and checks the entries of one key table, the tab-th
// read, into bld.
func (f *File) readEntries(v *view, t Table, b []byte, tab uint16, bld *builder) error {
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
	bld.entries = slices.Grow(bld.entries, count)
	n := 0
	for off := int64(tableHeadLen); n < count; {
		size := int64(le32(b, int(off)+2))
		e := b[off : off+size]
		eo := off
		off += size
		if Type(e[0]) == TypeFree {
			continue
		}
		n++
		r := rawEntry{table: t.Index, tableOffset: uint32(eo), tab: tab}
		if err := parseEntry(v, &r, e, t.Offset+eo, uint32(eo)); err != nil {
			return err
		}
		if !Type(r.typ).Known() {
			f.unknowns++
		}
		bld.entries = append(bld.entries, r)
	}
	return nil
}

// parseEntry decodes one non-free entry e, at file offset eoff and table
// offset eo, into r and checks its CRC.
func parseEntry(v *view, r *rawEntry, e []byte, eoff int64, eo uint32) error {
	typ, flags := Type(e[0]), e[1]
	r.typ, r.flags, r.off = uint8(typ), flags, eoff
	r.parentTable, r.parentOffset, r.sequence = binary.LittleEndian.Uint16(e[6:]), le32(e, 8), le32(e, 0x10)
	keyLen := int(e[0x14])
	if keyLen < 1 || entryHeadLen+keyLen > len(e) {
		return corrupt(eoff, "key entry", "key length %d does not fit in a %d-byte entry", keyLen, len(e))
	}
	name := e[entryHeadLen : entryHeadLen+keyLen]
	if i := bytes.IndexByte(name, 0); i >= 0 && i < keyLen-1 {
		return corrupt(eoff+entryHeadLen+int64(i), "key entry", "NUL inside the key name")
	}
	if name[keyLen-1] != 0 {
		return corrupt(eoff+entryHeadLen+int64(keyLen)-1, "key entry", "key name not NUL-terminated")
	}
	name = name[:keyLen-1]
	r.nameOff, r.nameLen = eo+entryHeadLen, uint8(len(name))
	if !typ.Known() {
		return nil // value size unknown: cannot be checked; reading it fails
	}
	voff := entryHeadLen + keyLen
	rest := e[voff:]
	var n int
	switch {
	case flags&FlagFileObject != 0:
		n = 12
	case typ == TypeInt || typ == TypeUInt || typ == TypeDouble:
		n = 8
	case typ == TypeBool:
		n = 4
	case typ == TypeNode:
		n = 12
	case typ == TypeString || typ == TypeBytes:
		if len(rest) < 4 {
			return corrupt(eoff+int64(voff), "key entry", "%s length does not fit", typ)
		}
		l := le32(rest, 0)
		if int64(l) > int64(len(rest))-4 {
			return corrupt(eoff+int64(voff), "key entry", "%s of %d bytes does not fit in the entry", typ, l)
		}
		if typ == TypeString && l%2 != 0 {
			return corrupt(eoff+int64(voff), "key entry", "UTF-16 string of an odd %d bytes", l)
		}
		n = 4 + int(l)
	}
	if n > len(rest) {
		return corrupt(eoff+int64(voff), "key entry", "%s value of %d bytes does not fit in the entry", typ, n)
	}
	covered := e[:voff+n]
	if stored, computed := le32(e, 0x0C), v.crcZeroed(covered, 0x0C); stored != computed {
		return checksum(eoff, "key entry "+quote(string(name)), stored, computed)
	}
	r.valOff, r.valLen = eo+uint32(voff), uint32(n)
	r.verified = true
	return nil
}

// link checks the tree the parent references make, on the entries: every
// parent exists and is a node, no key is its own parent, every key
// reaches a root within maxDepth steps, and there is a root. It records
// each entry's parent and children (in sequence order) in bld.
func (f *File) link(bld *builder) error {
	es := bld.entries
	n := len(es)
	// The entries of each table are contiguous, in increasing table
	// offset: a parent is found by a binary search in its table's run.
	type run struct {
		table  uint16
		lo, hi int
	}
	var runs []run
	for i := range es {
		if len(runs) == 0 || runs[len(runs)-1].table != es[i].table {
			runs = append(runs, run{es[i].table, i, i})
		}
		runs[len(runs)-1].hi = i + 1
	}
	find := func(table uint16, offset uint32) int {
		for _, r := range runs {
			if r.table == table {
				lo, hi := r.lo, r.hi // the first entry at or past offset is in [lo, hi]
				for lo < hi {
					m := int(uint(lo+hi) >> 1)
					if es[m].tableOffset < offset {
						lo = m + 1
					} else {
						hi = m
					}
				}
				if lo < r.hi && es[lo].tableOffset == offset {
					return lo
				}
				return -1
			}
		}
		return -1
	}
	parent := grow(&bld.parent, n)
	start := grow(&bld.start, n+1)
	clear(start)
	bld.roots = bld.roots[:0]
	lastParent, lastTable, lastOffset := -1, uint16(0), uint32(0)
	for i := range es {
		e := &es[i]
		if e.parentTable == 0 {
			parent[i] = -1
			bld.roots = append(bld.roots, int32(i))
			continue
		}
		j := lastParent // siblings are usually written together: ask once for them
		if e.parentTable != lastTable || e.parentOffset != lastOffset {
			j = find(e.parentTable, e.parentOffset)
			lastParent, lastTable, lastOffset = j, e.parentTable, e.parentOffset
		}
		if j < 0 {
			return corrupt(e.off+6, "key entry "+quote(bld.name(i)), "parent (table %d, offset %#x) does not exist", e.parentTable, e.parentOffset)
		}
		p := &es[j]
		switch {
		case Type(p.typ) != TypeNode:
			return corrupt(e.off+6, "key entry "+quote(bld.name(i)), "parent %s at %#x is a %s, not a node", quote(bld.name(j)), p.off, Type(p.typ))
		case j == i:
			return corrupt(e.off+6, "key entry "+quote(bld.name(i)), "is its own parent")
		}
		parent[i] = int32(j)
		start[j+1]++
	}
	// Every key must reach a root within maxDepth steps: no cycles.
	for i := range es {
		d := 0
		for p := int32(i); parent[p] >= 0; p = parent[p] {
			if d++; d > maxDepth {
				return corrupt(es[i].off, "key entry "+quote(bld.name(i)), "no root within %d parents (a parent cycle?)", maxDepth)
			}
		}
	}
	if len(bld.roots) == 0 && n > 0 {
		return corrupt(es[0].off, "key tree", "no root key")
	}
	// Children, in file order, then each parent's stably by sequence.
	for j := 0; j < n; j++ {
		start[j+1] += start[j]
	}
	children := grow(&bld.children, int(start[n]))
	fill := grow(&bld.fill, n)
	copy(fill, start[:n])
	for i := range es {
		if p := parent[i]; p >= 0 {
			children[fill[p]] = int32(i)
			fill[p]++
		}
	}
	for j := 0; j < n; j++ {
		if c := children[start[j]:start[j+1]]; len(c) > 1 {
			slices.SortStableFunc(c, func(a, b int32) int { return int(es[a].sequence) - int(es[b].sequence) })
		}
	}
	return nil
}

// build makes Keys of the entries: every one, or (paths not nil) the
// roots and the keys on paths with their ancestors. Keys get copies of
// their names and values, so nothing refers to the bytes read.
func (f *File) build(bld *builder, paths []string) {
	es := bld.entries
	n := len(es)
	keep := grow(&bld.keep, n)
	if paths == nil {
		for i := range keep {
			keep[i] = 1
		}
	} else {
		clear(keep)
		for _, r := range bld.roots {
			keep[r] = 1
		}
		for _, p := range paths {
			parts := splitPath(p)
			if len(parts) == 0 {
				continue
			}
			var cur []int32
			for _, r := range bld.roots {
				if bld.name(int(r)) == parts[0] {
					cur = append(cur, r)
				}
			}
			for _, part := range parts[1:] {
				var next []int32
				for _, j := range cur {
					for _, c := range bld.children[bld.start[j]:bld.start[j+1]] {
						if bld.nameIs(int(c), part) {
							keep[c] = 1
							next = append(next, c)
						}
					}
				}
				cur = next
			}
		}
	}
	// Positions of the kept entries among the Keys, and the room their
	// names, values and children take.
	pos := grow(&bld.pos, n)
	count, nameBytes, valueBytes, childCount := 0, 0, 0, 0
	for i := range es {
		if keep[i] == 0 {
			pos[i] = -1
			continue
		}
		pos[i] = int32(count)
		count++
		nameBytes += int(es[i].nameLen)
		valueBytes += int(es[i].valLen)
		if p := bld.parent[i]; p >= 0 {
			childCount++
		}
	}
	slab := make([]Key, count)
	f.Keys = make([]*Key, count)
	names := make([]byte, 0, nameBytes)
	values := make([]byte, 0, valueBytes)
	ends := grow(&bld.ends, count)
	for i := range es {
		if pos[i] < 0 {
			continue
		}
		e := &es[i]
		k := &slab[pos[i]]
		f.Keys[pos[i]] = k
		tb := bld.tables[e.tab]
		names = append(names, tb[e.nameOff:e.nameOff+uint32(e.nameLen)]...)
		ends[pos[i]] = int32(len(names))
		k.Offset, k.TableOffset, k.Sequence, k.Table = e.off, e.tableOffset, e.sequence, e.table
		k.Type, k.Flags = Type(e.typ), e.flags
		k.parentTable, k.parentOffset, k.verified = e.parentTable, e.parentOffset, e.verified
		if e.verified {
			start := len(values)
			values = append(values, tb[e.valOff:e.valOff+e.valLen]...)
			k.value = values[start:len(values):len(values)]
		}
	}
	all := string(names)
	from := int32(0)
	for i, k := range f.Keys {
		k.Name = all[from:ends[i]]
		from = ends[i]
	}
	// Parents, and children in the order link sorted them.
	kids := make([]*Key, 0, childCount)
	for i := range es {
		if pos[i] < 0 {
			continue
		}
		k := f.Keys[pos[i]]
		if p := bld.parent[i]; p >= 0 {
			k.Parent = f.Keys[pos[p]]
		}
		from := len(kids)
		for _, c := range bld.children[bld.start[i]:bld.start[i+1]] {
			if pos[c] >= 0 {
				kids = append(kids, f.Keys[pos[c]])
			}
		}
		if len(kids) > from {
			k.Children = kids[from:len(kids):len(kids)]
		}
	}
	for _, r := range bld.roots {
		f.roots = append(f.roots, f.Keys[pos[r]])
	}
}

// rawEntry is a checked key entry before (and unless) it becomes a Key:
// where its name and value lie in its table's bytes, and no pointers, so
// that the entries of a file cost one reusable slice.
type rawEntry struct {
	off                                 int64 // file offset of the entry
	tableOffset, parentOffset, sequence uint32
	nameOff, valOff, valLen             uint32 // in the table's bytes
	table, parentTable, tab             uint16 // tab: the index of the table's bytes in builder.tables
	typ, flags, nameLen                 uint8
	verified                            bool
}

// builder holds the working state of reading one file's key tables,
// reused from file to file.
type builder struct {
	entries                 []rawEntry
	tables                  [][]byte // the key tables' bytes, in the order read
	parent, start, children []int32  // each entry's parent (-1 for a root); children of j: children[start[j]:start[j+1]]
	fill, pos, ends         []int32
	roots                   []int32
	keep                    []uint8
	scratch                 []byte // the view's, for checksums
}

var builders = sync.Pool{New: func() any { return new(builder) }}

// release returns the builder for reuse, referring to no file's bytes.
func (b *builder) release() {
	clear(b.tables)
	b.tables = b.tables[:0]
	b.entries = b.entries[:0]
	builders.Put(b)
}

// name returns entry i's name.
func (b *builder) name(i int) string {
	e := &b.entries[i]
	return string(b.tables[e.tab][e.nameOff : e.nameOff+uint32(e.nameLen)])
}

// nameIs reports whether entry i's name is s, without a copy.
func (b *builder) nameIs(i int, s string) bool {
	e := &b.entries[i]
	return string(b.tables[e.tab][e.nameOff:e.nameOff+uint32(e.nameLen)]) == s
}

// grow sets *s to n elements, reusing its array when it is large enough.
func grow[T any](s *[]T, n int) []T {
	if cap(*s) < n {
		*s = make([]T, n)
	}
	*s = (*s)[:n]
	return *s
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
