package inventory

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
)

// readDir returns a directory's entries sorted by name, with their types
// from the directory itself (getdents), and the directory's device and
// inode (fstat on the same descriptor): no stat per entry or per
// directory, no os.File. Errors read as os.ReadDir's.
func (w *walker) readDir(path string) (entries []dirEntry, key [2]uint64, keyOK bool, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, key, false, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) == nil {
		key, keyOK = [2]uint64{uint64(st.Dev), st.Ino}, true
	}
	if w.dirBuf == nil {
		w.dirBuf = make([]byte, 32<<10)
	}
	var names []byte // every name, one allocation when made a string
	type raw struct {
		end int
		typ fs.FileMode
	}
	var raws []raw
	for {
		n, err := syscall.ReadDirent(fd, w.dirBuf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, key, keyOK, &fs.PathError{Op: "readdirent", Path: path, Err: err}
		}
		if n <= 0 {
			break
		}
		// struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16,
		// d_type u8, d_name NUL-terminated.
		b := w.dirBuf[:n]
		for len(b) >= 19 {
			reclen := int(binary.LittleEndian.Uint16(b[16:]))
			if reclen < 19 || reclen > len(b) {
				break
			}
			ino, typ, name := binary.LittleEndian.Uint64(b), b[18], b[19:reclen]
			b = b[reclen:]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			if ino == 0 || string(name) == "." || string(name) == ".." {
				continue
			}
			names = append(names, name...)
			raws = append(raws, raw{len(names), direntType(typ)})
		}
	}
	all := string(names)
	entries = make([]dirEntry, 0, len(raws))
	from := 0
	for _, r := range raws {
		e := dirEntry{name: all[from:r.end], typ: r.typ}
		from = r.end
		if r.typ == unknownType { // the file system did not say: ask, as os.ReadDir does
			fi, err := os.Lstat(joinChild(path, e.name))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue // gone since the listing
			case err != nil:
				e.typ = 0 // opened as a file, which says what is wrong
			default:
				e.typ = fi.Mode().Type()
			}
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return entries, key, keyOK, nil
}

// unknownType marks an entry whose type the directory did not give.
const unknownType = fs.ModeIrregular | fs.ModeTemporary

func direntType(t byte) fs.FileMode {
	switch t {
	case syscall.DT_REG:
		return 0
	case syscall.DT_DIR:
		return fs.ModeDir
	case syscall.DT_LNK:
		return fs.ModeSymlink
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe
	case syscall.DT_SOCK:
		return fs.ModeSocket
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.DT_BLK:
		return fs.ModeDevice
	}
	return unknownType
}
