// Package vmcxbuild writes Hyper-V configuration containers from the format
// description in the project's docs/hyperv-format.md, with every CRC
// computed. Tests use it to make synthetic .vmcx files, including corrupt
// ones, without third-party samples; the fixture and inventory generators
// use it to write realistic configurations.
package vmcxbuild

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/genid-migrate/genid-migrate/vmcx"
)

// Value types and flags (docs/hyperv-format.md §2.6).
const (
	TypeFree   = 1
	TypeInt    = 3
	TypeUInt   = 4
	TypeDouble = 5
	TypeString = 6
	TypeBytes  = 7
	TypeBool   = 8
	TypeNode   = 9

	FlagFileObject = 0x01
)

const (
	page        = 0x1000
	headerSize  = 0x1000
	objTableOff = 2 * headerSize
	entryHead   = 21
	leafSlack   = 12
)

// A Key is a key to write: a node with children or a leaf with a value.
type Key struct {
	Name     string
	Type     uint8
	Flags    uint8
	Value    []byte // encoded value (not for nodes, which are computed)
	Children []*Key
	Seq      uint32 // insertion sequence; 0 = position among siblings, from 1

	table  int   // assigned key table (0-based)
	offset int   // offset within the table, header included
	size   int   // entry size
	file   int64 // file offset of the entry
}

// Node returns a node key.
func Node(name string, children ...*Key) *Key {
	return &Key{Name: name, Type: TypeNode, Children: children}
}

// String returns a String key (UTF-16LE with a byte-length prefix).
func String(name, s string) *Key {
	u := utf16.Encode([]rune(s))
	v := make([]byte, 4+2*len(u))
	binary.LittleEndian.PutUint32(v, uint32(2*len(u)))
	for i, c := range u {
		binary.LittleEndian.PutUint16(v[4+2*i:], c)
	}
	return &Key{Name: name, Type: TypeString, Value: v}
}

// Int returns an Int key.
func Int(name string, n int64) *Key {
	v := make([]byte, 8)
	binary.LittleEndian.PutUint64(v, uint64(n))
	return &Key{Name: name, Type: TypeInt, Value: v}
}

// UInt returns a UInt key.
func UInt(name string, n uint64) *Key {
	v := make([]byte, 8)
	binary.LittleEndian.PutUint64(v, n)
	return &Key{Name: name, Type: TypeUInt, Value: v}
}

// Double returns a Double key.
func Double(name string, f float64) *Key {
	v := make([]byte, 8)
	binary.LittleEndian.PutUint64(v, math.Float64bits(f))
	return &Key{Name: name, Type: TypeDouble, Value: v}
}

// Bool returns a Bool key.
func Bool(name string, b bool) *Key {
	v := make([]byte, 4)
	if b {
		v[0] = 1
	}
	return &Key{Name: name, Type: TypeBool, Value: v}
}

// Bytes returns an Array key.
func Bytes(name string, b []byte) *Key {
	v := make([]byte, 4+len(b))
	binary.LittleEndian.PutUint32(v, uint32(len(b)))
	copy(v[4:], b)
	return &Key{Name: name, Type: TypeBytes, Value: v}
}

// A JournalEntry is a replay-log entry to write.
type JournalEntry struct {
	Target     int64  // file offset the data is for
	Data       []byte // the data
	BadCRC     bool   // store a wrong entry CRC
	BadDataCRC bool   // store a wrong data CRC
}

// Options shape the file.
type Options struct {
	Sequence     [2]uint16 // header A and B sequence numbers; zero means 2 and 1
	Version      uint32    // format version; zero means 0x400
	TableLimit   int       // bytes of entries per key table before the next; zero means a full page
	Live         []JournalEntry
	Stale        [][]byte // data placed in the log's data area after live data, not referenced
	LogSize      int64    // nominal replay log size; zero means two pages
	TrimLog      bool     // end the file where the last log data ends, as real files may
	ExtraObjects int      // unused allocated free objects (type 4) to add, as real files have
}

// A Layout says where the builder put things.
type Layout struct {
	Size        int64
	LogOffset   int64
	LogDataOff  int64            // file offset of the log's data area
	TableOffset []int64          // file offset of each key table
	Entries     map[string]int64 // file offset of each key's entry, by path ("a/b/c"; repeats get "#2"…)
	Boundaries  []int64          // offsets where a structure starts, for truncation tests
}

// Build writes a container holding root and returns it with its layout.
func Build(root *Key, opt Options) ([]byte, *Layout, error) {
	if opt.Sequence == [2]uint16{} {
		opt.Sequence = [2]uint16{2, 1}
	}
	if opt.Version == 0 {
		opt.Version = 0x400
	}
	limit := opt.TableLimit
	if limit <= 0 || limit > page-10 {
		limit = page - 10
	}
	// Assign sequences, sizes, tables and offsets, parents first.
	var keys []*Key
	var assign func(k *Key)
	assign = func(k *Key) {
		keys = append(keys, k)
		for i, c := range k.Children {
			if c.Seq == 0 {
				c.Seq = uint32(i + 1)
			}
			assign(c)
		}
	}
	if root.Seq == 0 {
		root.Seq = 1
	}
	assign(root)
	table, used := 0, 10
	for _, k := range keys {
		if len(k.Name)+1 > 255 {
			return nil, nil, fmt.Errorf("key name %q too long", k.Name)
		}
		k.size = entryHead + len(k.Name) + 1 + len(k.value())
		if k.Type != TypeNode {
			k.size += leafSlack
		}
		if k.size > page-10 {
			return nil, nil, fmt.Errorf("key %q does not fit in a table", k.Name)
		}
		if used+k.size > 10+limit {
			table, used = table+1, 10
		}
		k.table, k.offset = table, used
		used += k.size
	}
	tables := table + 1
	l := &Layout{Entries: map[string]int64{}}
	logOff := int64(objTableOff + page + tables*page)
	logSize := opt.LogSize
	if logSize == 0 {
		logSize = 2 * page
	}
	l.LogOffset, l.LogDataOff = logOff, logOff+page
	// Log data: live entries' data, then stale data.
	var logData []byte
	dataOffsets := make([]int, len(opt.Live))
	for i, e := range opt.Live {
		dataOffsets[i] = page + len(logData)
		logData = append(logData, e.Data...)
	}
	for _, s := range opt.Stale {
		logData = append(logData, s...)
	}
	size := logOff + logSize
	if end := logOff + page + int64(len(logData)); end > size {
		size = end
	}
	if opt.TrimLog {
		size = logOff + page + int64(len(logData))
	}
	b := make([]byte, size)

	// Headers.
	for i, off := range []int64{0, 0x1000} {
		h := b[off : off+0x2E]
		binary.LittleEndian.PutUint32(h[0:], vmcx.Signature)
		binary.LittleEndian.PutUint16(h[8:], opt.Sequence[i])
		binary.LittleEndian.PutUint32(h[0x0A:], opt.Version)
		binary.LittleEndian.PutUint32(h[0x16:], page)
		binary.LittleEndian.PutUint64(h[0x1A:], uint64(logOff))
		binary.LittleEndian.PutUint64(h[0x22:], uint64(logSize))
		binary.LittleEndian.PutUint32(h[0x2A:], headerSize)
		putCRC(h, 4)
		l.Boundaries = append(l.Boundaries, off)
	}
	// Object table: key tables, extra free objects, the log.
	ot := b[objTableOff : objTableOff+page]
	binary.LittleEndian.PutUint32(ot[0:], 0x01110001)
	const slots = (page - 8) / 18
	binary.LittleEndian.PutUint32(ot[4:], slots)
	slot := 0
	addObject := func(typ uint8, off int64, size uint32) {
		s := ot[8+slot*18 : 8+(slot+1)*18]
		s[0] = typ
		binary.LittleEndian.PutUint64(s[5:], uint64(off))
		binary.LittleEndian.PutUint32(s[0x0D:], size)
		s[0x11] = 1
		slot++
	}
	for t := 0; t < tables; t++ {
		off := int64(objTableOff + page + t*page)
		l.TableOffset = append(l.TableOffset, off)
		addObject(2, off, page)
	}
	for i := 0; i < opt.ExtraObjects; i++ {
		addObject(4, logOff+logSize+int64(i)*0x3000, 0x3000)
	}
	for i := 0; i < slots; i++ {
		putCRC(ot[8+i*18:8+(i+1)*18], 1)
	}
	l.Boundaries = append(l.Boundaries, objTableOff)
	// Key tables.
	for t := 0; t < tables; t++ {
		off := l.TableOffset[t]
		kt := b[off : off+page]
		binary.LittleEndian.PutUint16(kt[0:], 2)
		binary.LittleEndian.PutUint16(kt[2:], uint16(t+1))
		binary.LittleEndian.PutUint16(kt[4:], uint16(3+t))
		putCRC(kt[:10], 6)
		l.Boundaries = append(l.Boundaries, off)
	}
	paths := map[string]int{}
	var write func(k *Key, parent *Key, path string)
	write = func(k *Key, parent *Key, path string) {
		path = strings.TrimPrefix(path+"/"+k.Name, "/")
		off := l.TableOffset[k.table] + int64(k.offset)
		k.file = off
		e := b[off : off+int64(k.size)]
		e[0], e[1] = k.Type, k.Flags
		binary.LittleEndian.PutUint32(e[2:], uint32(k.size))
		if parent != nil {
			binary.LittleEndian.PutUint16(e[6:], uint16(parent.table+1))
			binary.LittleEndian.PutUint32(e[8:], uint32(parent.offset))
		}
		binary.LittleEndian.PutUint32(e[0x10:], k.Seq)
		e[0x14] = byte(len(k.Name) + 1)
		copy(e[entryHead:], k.Name)
		v := k.value()
		copy(e[entryHead+len(k.Name)+1:], v)
		putCRC(e[:entryHead+len(k.Name)+1+len(v)], 0x0C)
		paths[path]++
		name := path
		if n := paths[path]; n > 1 {
			name = fmt.Sprintf("%s#%d", path, n)
		}
		l.Entries[name] = off
		l.Boundaries = append(l.Boundaries, off)
		for _, c := range k.Children {
			write(c, k, path)
		}
	}
	write(root, nil, "")
	// A free entry fills the rest of each table.
	ends := make([]int, tables)
	for _, k := range keys {
		ends[k.table] = max(ends[k.table], k.offset+k.size)
	}
	for t, end := range ends {
		if rest := page - end; rest >= entryHead {
			e := b[l.TableOffset[t]+int64(end):]
			e[0] = TypeFree
			binary.LittleEndian.PutUint32(e[2:], uint32(rest))
		}
	}
	// Replay log.
	lg := b[logOff : logOff+page]
	binary.LittleEndian.PutUint32(lg[0:], 0x01110003)
	binary.LittleEndian.PutUint32(lg[8:], uint32(len(opt.Live)))
	binary.LittleEndian.PutUint32(lg[0x0D:], (page-0x22)/0x1C)
	putCRC(lg[:0x22], 4)
	for i, e := range opt.Live {
		en := lg[0x22+i*0x1C : 0x22+(i+1)*0x1C]
		binary.LittleEndian.PutUint64(en[0:], uint64(e.Target))
		binary.LittleEndian.PutUint32(en[8:], uint32(len(e.Data)))
		binary.LittleEndian.PutUint32(en[0x0C:], uint32(dataOffsets[i]))
		dc := crc32.ChecksumIEEE(e.Data)
		if e.BadDataCRC {
			dc ^= 1
		}
		binary.LittleEndian.PutUint32(en[0x18:], dc)
		putCRC(en, 0x14)
		if e.BadCRC {
			en[0x14] ^= 1
		}
	}
	copy(b[logOff+page:], logData)
	l.Boundaries = append(l.Boundaries, logOff, logOff+page)
	l.Size = int64(len(b))
	return b, l, nil
}

// value returns the bytes a key's entry stores as its value.
func (k *Key) value() []byte {
	if k.Type != TypeNode {
		return k.Value
	}
	v := make([]byte, 12)
	var next uint32
	for _, c := range k.Children {
		if c.Seq >= next {
			next = c.Seq + 1
		}
	}
	binary.LittleEndian.PutUint32(v[8:], next)
	return v
}

// putCRC stores the CRC-32/IEEE of b, with the 4 bytes at off zeroed, at off.
func putCRC(b []byte, off int) {
	binary.LittleEndian.PutUint32(b[off:], 0)
	binary.LittleEndian.PutUint32(b[off:], crc32.ChecksumIEEE(b))
}

// EntryCRC recomputes the CRC of the entry at off in b, covering its header,
// key and a value of valueLen bytes; tests use it after editing an entry.
func EntryCRC(b []byte, off int64, valueLen int) {
	keyLen := int(b[off+0x14])
	putCRC(b[off:off+int64(entryHead+keyLen+valueLen)], 0x0C)
}

// SetParent points the entry at off to the parent entry at parentOff
// (both file offsets, in tables of the layout) and recomputes its CRC.
func (l *Layout) SetParent(b []byte, off, parentOff int64, valueLen int) {
	for i, t := range l.TableOffset {
		if parentOff >= t && parentOff < t+page {
			binary.LittleEndian.PutUint16(b[off+6:], uint16(i+1))
			binary.LittleEndian.PutUint32(b[off+8:], uint32(parentOff-t))
		}
	}
	EntryCRC(b, off, valueLen)
}
