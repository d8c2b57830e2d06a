package vmcx

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
)

// view reads the file through the patches of a replayed journal. Bytes past
// the real end of the file, within the extent a patch reached, read as zero.
type view struct {
	r       io.ReaderAt
	real    int64  // size of the file on disk
	size    int64  // size of the image, patches included
	head    []byte // the file's first bytes, read at once; never modified
	headBuf *[headSize]byte
	patches []patchData
	scratch []byte // for checksums computed with a field zeroed
}

// headSize is how much of the file is read at once when it is opened: a
// whole configuration (real ones are 64 to 80 KiB), and a small, bounded
// read of a multi-gigabyte runtime-state file.
const headSize = 128 << 10

// heads recycles the buffers the first bytes of files are read into: they
// are large, and nothing refers to them once a File is built (key values
// are copied out by release).
var heads = sync.Pool{New: func() any { return new([headSize]byte) }}

// InMemory is an [io.ReaderAt] whose content is in memory as a whole, as
// [bytes.Reader] is, and can be read in place: NewFile then reads the
// container from Bytes without copying it.
type InMemory interface {
	io.ReaderAt
	Bytes() []byte // all of the content; not modified by NewFile
}

// readHead reads the first bytes of the file in one call. A short read is
// not an error here: later reads past what was read go to the file and
// report it.
func (v *view) readHead() {
	if m, ok := v.r.(InMemory); ok {
		if b := m.Bytes(); int64(len(b)) == v.real {
			v.head = b[:len(b):len(b)]
			return
		}
	}
	v.headBuf = heads.Get().(*[headSize]byte)
	n, _ := v.r.ReadAt(v.headBuf[:min(v.real, headSize)], 0)
	v.head = v.headBuf[:n]
}

// release returns the head buffer for reuse. Bytes read from it must no
// longer be referred to.
func (v *view) release() {
	if v.headBuf != nil {
		v.head = nil
		heads.Put(v.headBuf)
		v.headBuf = nil
	}
}

type patchData struct {
	off  int64
	data []byte
}

func (v *view) patch(off int64, data []byte) {
	v.patches = append(v.patches, patchData{off, data})
	if end := off + int64(len(data)); end > v.size {
		v.size = end
	}
}

// read returns n bytes at off, or a FormatError naming what when they are
// not all in the image. The bytes may be shared with other reads: callers
// must not modify them.
func (v *view) read(off int64, n int, what string) ([]byte, error) {
	if off < 0 || n < 0 || off > v.size-int64(n) {
		return nil, corrupt(off, what, "%d bytes at %#x run past the end of the %d-byte file (truncated?)", n, off, v.size)
	}
	if off <= int64(len(v.head))-int64(n) && !v.patched(off, n) {
		return v.head[off : off+int64(n) : off+int64(n)], nil
	}
	b := make([]byte, n)
	if off < v.real {
		m := n
		if int64(m) > v.real-off {
			m = int(v.real - off)
		}
		got, err := v.r.ReadAt(b[:m], off)
		if got < m {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("vmcx: reading %s at %#x: %w", what, off, err)
		}
	}
	for _, p := range v.patches {
		lo, hi := max(off, p.off), min(off+int64(n), p.off+int64(len(p.data)))
		if lo < hi {
			copy(b[lo-off:hi-off], p.data[lo-p.off:hi-p.off])
		}
	}
	return b, nil
}

// patched reports whether a patch overlaps the n bytes at off.
func (v *view) patched(off int64, n int) bool {
	for _, p := range v.patches {
		if max(off, p.off) < min(off+int64(n), p.off+int64(len(p.data))) {
			return true
		}
	}
	return false
}

// crcZeroed is the CRC-32/IEEE of b with the 4 bytes at off taken as zero,
// computed in one pass over a copy (b may be shared).
//
// Most key entries are a few dozen bytes, which the standard library
// checksums a byte or eight at a time; from 64 bytes on, in multiples of
// 16, it uses the carry-less multiply instructions. A short copy is
// therefore checksummed with zeros in front up to such a length, and
// corrected: with the register starting at zero, leading zeros leave it
// unchanged, so crc(M) = ^Update(^0, zeros‖M) ^ crc(zeros of len(M)).
func (v *view) crcZeroed(b []byte, off int) uint32 {
	n := len(b)
	padded := n
	if n >= 28 && n < len(zeroCRC) && (n < 64 || n%16 != 0) { // below 28 bytes, padding costs more than it saves (measured)
		padded = max(64, (n+15)&^15)
	}
	if cap(v.scratch) < padded {
		v.scratch = make([]byte, padded, max(padded, 4<<10))
	}
	s := v.scratch[:padded]
	lead := padded - n
	clear(s[:lead])
	copy(s[lead:], b)
	clear(s[lead+off : lead+off+4])
	if lead == 0 {
		return crc32.ChecksumIEEE(s)
	}
	return ^crc32.Update(^uint32(0), crc32.IEEETable, s) ^ zeroCRC[n]
}

// zeroCRC[n] is the CRC-32/IEEE of n zero bytes.
var zeroCRC = func() (t [256]uint32) {
	for n := 1; n < len(t); n++ { // one zero byte more each time
		t[n] = crc32.Update(t[n-1], crc32.IEEETable, []byte{0})
	}
	return t
}()
