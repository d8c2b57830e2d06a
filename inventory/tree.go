package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
)

// A walker walks the file trees of one run. Trees share it, so that a
// directory reached from two of them (or twice through links) is read once.
type walker struct {
	seen map[[2]uint64]string // directory (device, inode) → first path

	// follow makes directory links inside a tree followed (audit
	// --follow), within the filesystems of the roots, never into /proc,
	// /sys or /dev. Without it they are not followed, as find -H does:
	// links given as arguments are (datastores are links), links met
	// inside are not.
	follow bool
	devs   map[uint64]bool // the filesystems of the roots, with follow

	dirBuf []byte // for reading directories
}

func newWalker() *walker { return &walker{seen: map[[2]uint64]string{}, devs: map[uint64]bool{}} }

// pseudo are the trees a walk never enters: kernel interfaces, where a
// read can block or consume (/proc/kmsg) and nothing is a configuration.
var pseudo = []string{"/proc", "/sys", "/dev"}

// inPseudo reports whether the resolved path p is in one of them.
func inPseudo(p string) bool {
	for _, d := range pseudo {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// mayEnter says whether a directory link met inside a tree is followed,
// and why not.
func (w *walker) mayEnter(link string) (bool, string) {
	if !w.follow {
		return false, ""
	}
	real, err := filepath.EvalSymlinks(link)
	if err != nil {
		return false, err.Error()
	}
	if inPseudo(real) {
		return false, "a link into " + real + ", a kernel interface: not followed"
	}
	if key, ok := dirKey(real); ok && !w.devs[key[0]] {
		return false, "a link to " + real + ", on another filesystem than the paths given: not followed"
	}
	return true, ""
}

// tree returns the inventory of one path: a file, or a directory and
// everything under it.
// A path that cannot be read is an error record of the walk, not the end
// of it: one missing path among several does not lose the others.
func (w *walker) tree(path string) (Source, error) {
	if key, ok := dirKey(path); ok {
		w.devs[key[0]] = true
	}
	return &tree{w: w, root: path}, nil
}

// Files returns the inventory of paths, files or directory trees, read as
// one walk. Open gives the same for paths among other arguments.
func Files(paths ...string) ([]Source, error) {
	w := newWalker()
	var out []Source
	for _, p := range paths {
		s, err := w.tree(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// tree is the inventory of a file or a directory tree. Its items come in
// walk order: each directory's entries by name, as find lists them.
// Symbolic links are followed once each; problems met on the way
// (unreadable directories, broken links, loops) are items that read as
// error records; sockets, devices and named pipes inside the tree are
// skipped, never opened.
type tree struct {
	w    *walker
	root string
}

// Items walks the tree.
func (t *tree) Items(_ context.Context, yield func(Item) bool) error {
	stop := errors.New("stop")
	found := func(f *file) error {
		if !yield(f) {
			return stop
		}
		return nil
	}
	err := t.w.walk(t.root, found)
	if err == stop {
		return nil
	}
	return err
}

// Path returns the file's path, for messages about it.
func (f *file) Path() string { return f.path }

// file is an item of a tree.
type file struct {
	path    string
	err     error // a problem found while walking
	special bool  // a socket, device or named pipe met in a directory: skipped, never opened
}

// walk calls found for each file under path (itself if it is a file).
func (w *walker) walk(path string, found func(*file) error) error {
	var visit func(dir string) error
	visit = func(dir string) error {
		// A directory reached twice (through a symbolic link loop, or a
		// second link to it) is recorded once, with the reason, and not
		// walked again.
		if key, ok := dirKey(dir); ok {
			if first, dup := w.seen[key]; dup {
				return found(&file{path: dir, err: fmt.Errorf("already scanned as %s (a symbolic link loop?)", first)})
			}
			w.seen[key] = dir
		}
		root := strings.TrimRight(dir, string(filepath.Separator)) + string(filepath.Separator) // follows a linked root
		return w.walkDir(root, true, found, visit)
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return found(&file{path: path, err: err})
	case st.Mode().IsRegular():
		return found(&file{path: path})
	case !st.IsDir():
		return found(&file{path: path, err: fmt.Errorf("%s, not a regular file or a directory", kindOf(st.Mode()))})
	}
	return visit(path)
}

// A dirEntry is a name in a directory and the type the directory gives.
type dirEntry struct {
	name string
	typ  fs.FileMode
}

// walkDir calls found for each file under the directory p, in order of
// name, depth first, as find lists them. A directory that cannot be read
// is an error item, and nothing under it is; a directory reached twice is
// an error item the second time. Links to directories are entered through
// visit when they are followed.
func (w *walker) walkDir(p string, root bool, found func(*file) error, visit func(string) error) error {
	entries, key, keyOK, err := w.readDir(p)
	if !root { // the root's key was recorded by visit
		if !keyOK {
			key, keyOK = dirKey(p)
		}
		if keyOK {
			if first, dup := w.seen[key]; dup {
				return found(&file{path: p, err: fmt.Errorf("already scanned as %s (a symbolic link loop?)", first)})
			}
			w.seen[key] = p
		}
	}
	if err != nil {
		return found(&file{path: p, err: err})
	}
	for _, e := range entries {
		var child string
		if root {
			child = filepath.Join(p, e.name)
		} else {
			child = joinChild(p, e.name)
		}
		var err error
		switch {
		case e.typ.IsDir():
			err = w.walkDir(child, false, found, visit)
		case e.typ&fs.ModeSymlink != 0:
			err = w.link(child, found, visit)
		default:
			// Sockets, devices and pipes are counted as skipped: opening
			// a pipe would wait for a writer.
			err = found(&file{path: child, special: !e.typ.IsRegular()})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// joinChild joins a clean directory path (not the root of the file
// system) and a name read from it: filepath.Join's result, without its
// cleaning.
func joinChild(dir, name string) string {
	if dir == string(filepath.Separator) || strings.HasSuffix(dir, string(filepath.Separator)) {
		return filepath.Join(dir, name)
	}
	return dir + string(filepath.Separator) + name
}

// link reports or follows a symbolic link met inside a tree.
func (w *walker) link(p string, found func(*file) error, visit func(string) error) error {
	st, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return found(&file{path: p, err: errors.New("symbolic link to a target that does not exist")})
	case errors.Is(err, syscall.ELOOP):
		return found(&file{path: p, err: errors.New("symbolic link loop")})
	case err != nil:
		return found(&file{path: p, err: fmt.Errorf("symbolic link: %w", err)})
	case st.IsDir():
		if ok, why := w.mayEnter(p); !ok {
			if why != "" {
				return found(&file{path: p, err: errors.New(why)})
			}
			return found(&file{path: p, special: true}) // not followed: counted as skipped
		}
		return visit(p)
	case st.Mode().IsRegular():
		return found(&file{path: p})
	default:
		return found(&file{path: p, special: true})
	}
}

// kindOf names a kind of special file.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

func dirKey(p string) ([2]uint64, bool) {
	st, err := os.Stat(p)
	if err != nil {
		return [2]uint64{}, false
	}
	return fileKey(st)
}

// bigFile is the size above which a text configuration is read alone.
const bigFile = 8 << 20

// bigFiles admits one big text file at a time across all walks.
var bigFiles = make(chan struct{}, 1)

// reportHeader starts every JSONL report an audit writes.
var reportHeader = []byte(`{"type":"header"`)

// Read reads one file: a configuration gives one record, a report of an
// earlier audit gives its records, anything else is skipped.
//
// scratch is the caller's, reused from file to file: its length is how
// much is read first, to detect the format; a configuration that fits in
// its capacity is read whole into it, and nothing that refers to it
// outlives Read (readers copy what they keep).
func (f *file) Read(scratch []byte) Batch {
	one := func(r *Record) Batch { return Batch{Records: []*Record{r}} }
	if f.err != nil {
		return one(ErrorRecord(f.path, "", f.err))
	}
	if f.special {
		return Batch{Skipped: true}
	}
	// Non-blocking: a file replaced by a named pipe since the listing
	// must not hang the audit on open; its type is checked once open.
	fh, size, mode, err := openFile(f.path)
	if err != nil {
		return one(ErrorRecord(f.path, "", err))
	}
	defer fh.close()
	if !mode.IsRegular() {
		return one(ErrorRecord(f.path, "", fmt.Errorf("became %s while the audit ran; not read", kindOf(mode))))
	}
	n, err := fh.readFull(scratch)
	if err != nil {
		return one(ErrorRecord(f.path, "", err))
	}
	head := scratch[:n]
	var whole []byte
	if n < len(scratch) {
		whole, size = head, int64(n) // the first read reached the end of the file
	}
	if bytes.HasPrefix(head, reportHeader) {
		path := f.path
		return Batch{Report: true, Stream: func(each func(*Record) error) error {
			fr, err := os.Open(path)
			if err != nil {
				return err
			}
			defer fr.Close()
			return StreamReport(fr, path, each)
		}}
	}
	format := formats.DetectFile(fh, size, head)
	if format == nil {
		return Batch{Skipped: true}
	}
	if size > bounded.MaxFileSize && !format.Random {
		return one(ErrorRecord(f.path, format.Name, fmt.Errorf("%d bytes: over the %d MiB limit for a %s file", size, bounded.MaxFileSize>>20, format.Name)))
	}
	if size > bigFile && !format.Random {
		// Text read whole costs a few times its size in memory: one such
		// file at a time keeps an audit's memory bounded by one large
		// file plus the workers' small ones, whatever the tree holds.
		bigFiles <- struct{}{}
		defer func() { <-bigFiles }()
	}
	if whole == nil && size < int64(cap(scratch)) {
		// The rest of the file, after the head, into the caller's buffer:
		// a text configuration is read whole anyway, and a container of
		// this size is read at once by its reader. A file that changed
		// size since fstat is read again by the reader, bounded as always.
		b := scratch[:size+1]
		if m, err := fh.readFull(b[n:]); err == nil && int64(n+m) == size {
			whole = b[:size]
		}
	}
	res, err := formats.ReadOpened(f.path, fh, size, format, whole)
	var pe *fs.PathError
	if res == nil && errors.As(err, &pe) {
		return one(ErrorRecord(f.path, format.Name, err))
	}
	if genid.ClassOf(err) == genid.ClassNotVM && (res == nil || !res.NoVM) {
		// A look-alike (a snapshot list, a NuGet.config, a container's
		// configuration): not a VM, so not a record.
		return Batch{Skipped: true}
	}
	rec := NewRecord(f.path, res, err)
	if rec.Format == "unknown" {
		rec.Format = format.Name
	}
	if !utf8.ValidString(f.path) {
		rec.Message = joinMsg(rec.Message, "the path is not valid UTF-8; it is shown with replacement characters")
	}
	return one(rec)
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
