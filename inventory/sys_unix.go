//go:build unix

package inventory

import (
	"io"
	"io/fs"
	"os"
	"syscall"
)

// fileKey returns a file's device and inode.
func fileKey(st os.FileInfo) ([2]uint64, bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return [2]uint64{}, false
	}
	return [2]uint64{uint64(sys.Dev), sys.Ino}, true
}

// rawFile is a file read with plain system calls: an audit opens tens of
// thousands of files for a few reads each, and an [os.File] adds to each
// a poller registration attempt, a finalizer and locking it does not need.
type rawFile struct {
	fd   int
	path string
}

// openFile opens path for reading without waiting for a writer (a file
// replaced by a named pipe since the listing must not hang the audit), and
// returns its size and type from one fstat. Errors read as os.Open's.
func openFile(path string) (*rawFile, int64, fs.FileMode, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, 0, 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	var mode fs.FileMode
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		mode = fs.ModeDir
	case syscall.S_IFIFO:
		mode = fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		mode = fs.ModeSocket
	case syscall.S_IFCHR:
		mode = fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		mode = fs.ModeDevice
	default:
		mode = fs.ModeIrregular
	}
	return &rawFile{fd: fd, path: path}, st.Size, mode, nil
}

// readFull reads into b until it is full or the file ends, and returns
// how much it read.
func (f *rawFile) readFull(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := syscall.Read(f.fd, b[n:])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return n, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case m == 0:
			return n, nil
		}
		n += m
	}
	return n, nil
}

// ReadAt reads len(b) bytes at off, as [io.ReaderAt] says.
func (f *rawFile) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	for n < len(b) {
		m, err := syscall.Pread(f.fd, b[n:], off+int64(n))
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return n, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case m == 0:
			return n, io.EOF
		}
		n += m
	}
	return n, nil
}

func (f *rawFile) close() { syscall.Close(f.fd) }
