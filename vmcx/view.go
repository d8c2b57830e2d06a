package vmcx

import (
	"errors"
	"fmt"
	"io"
)

// view reads the file through the patches of a replayed journal. Bytes past
// the real end of the file, within the extent a patch reached, read as zero.
type view struct {
	r       io.ReaderAt
	real    int64 // size of the file on disk
	size    int64 // size of the image, patches included
	patches []patchData
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
// not all in the image.
func (v *view) read(off int64, n int, what string) ([]byte, error) {
	if off < 0 || n < 0 || off > v.size-int64(n) {
		return nil, corrupt(off, what, "%d bytes at %#x run past the end of the %d-byte file (truncated?)", n, off, v.size)
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
