//go:build !unix

package inventory

import (
	"io"
	"io/fs"
	"os"
)

// fileKey: no device and inode numbers here; directories reached twice
// through links are not recognised (Windows trees rarely hold such links).
func fileKey(os.FileInfo) ([2]uint64, bool) { return [2]uint64{}, false }

// rawFile is an [os.File] here; see sys_unix.go.
type rawFile struct{ *os.File }

// openFile opens path for reading and returns its size and type.
func openFile(path string) (*rawFile, int64, fs.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, 0, err
	}
	return &rawFile{f}, st.Size(), st.Mode().Type(), nil
}

// readFull reads into b until it is full or the file ends.
func (f *rawFile) readFull(b []byte) (int, error) {
	n, err := io.ReadFull(f.File, b)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return n, err
}

func (f *rawFile) close() { f.File.Close() }
