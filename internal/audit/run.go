package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode/utf8"

	"github.com/genid-migrate/genid-migrate/internal/source"
	"github.com/genid-migrate/genid-migrate/internal/textlimit"
)

// Counters report progress while an audit runs.
type Counters struct {
	Files   atomic.Int64 // files looked at
	Configs atomic.Int64 // configurations read
}

// Options shape an audit.
type Options struct {
	Pairs    []Pair                  // explicit source→target pairs (--pairs)
	Workers  int                     // parallel readers; 0 means twice the CPUs
	Emit     func(rec *Record) error // called for each record, in path order, as they are read
	Counters *Counters               // updated as files are read, if not nil
}

// A Pair is a source configuration and the target migrated from it.
type Pair struct{ Source, Target string }

// Result is what an audit found; records were streamed to Options.Emit.
type Result struct {
	Findings []Finding
	Summary  Summary
	Entries  []Entry // compact records, for tables and findings
}

// An Entry is the part of a record that findings and tables need.
type Entry struct {
	Path, Format, Name, Identity, IDKind, Role, Message string
	Status                                              Status
	ID                                                  [16]byte
	HasID                                               bool
}

type file struct {
	path    string
	err     error // a problem found while walking
	special bool  // a socket, device or named pipe met in a directory: skipped, never opened
}

// Run audits the files and directories in paths. Files are read in
// parallel as the walk finds them, and records are emitted in walk order:
// the paths in the order given, each directory's entries by name.
func Run(paths []string, opt Options) (*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = 2 * runtime.NumCPU()
	}
	type job struct {
		i int
		f file
	}
	type done struct {
		i       int
		recs    []*Record
		skipped bool
		report  bool
	}
	jobs := make(chan job, 4*workers)
	results := make(chan done, 4*workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 8<<10)
			for j := range jobs {
				recs, skipped, report := readOne(j.f, buf)
				if opt.Counters != nil {
					opt.Counters.Files.Add(1)
					opt.Counters.Configs.Add(int64(len(recs)))
				}
				results <- done{j.i, recs, skipped, report}
			}
		}()
	}
	var walkErr error
	go func() {
		n := 0
		walkErr = walk(paths, func(f file) {
			jobs <- job{n, f}
			n++
		})
		close(jobs)
		wg.Wait()
		close(results)
	}()
	res := &Result{Summary: Summary{Status: map[Status]int{}, Formats: map[string]int{}, Findings: map[string]int{}}}
	pending := map[int]done{}
	next := 0
	var emitErr error
	for d := range results {
		pending[d.i] = d
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			res.Summary.Files++
			if d.skipped {
				res.Summary.Skipped++
			}
			if d.report {
				res.Summary.Reports++
			}
			for _, rec := range d.recs {
				res.add(rec)
				if opt.Emit != nil && emitErr == nil {
					emitErr = opt.Emit(rec)
				}
			}
		}
	}
	if walkErr != nil {
		return nil, walkErr
	}
	if emitErr != nil {
		return nil, emitErr
	}
	res.Findings = findings(res.Entries, opt.Pairs)
	for _, f := range res.Findings {
		res.Summary.Findings[f.Kind]++
	}
	return res, nil
}

func (r *Result) add(rec *Record) {
	r.Summary.Configs++
	r.Summary.Status[rec.Status]++
	r.Summary.Formats[rec.Format]++
	// Entries outlive the files' text: keep copies, never substrings of it.
	e := Entry{Path: rec.Path, Format: rec.Format, Name: strings.Clone(rec.Name), Identity: rec.Identity, IDKind: rec.IDKind, Role: rec.Role, Status: rec.Status, Message: strings.Clone(rec.Message)}
	if id := rec.ID(); !id.IsZero() {
		e.ID, e.HasID = id, true
	}
	r.Entries = append(r.Entries, e)
}

// readOne reads one file: a configuration gives one record, a report of
// an earlier audit gives its records, anything else is skipped.
func readOne(f file, buf []byte) (recs []*Record, skipped, report bool) {
	if f.err != nil {
		return []*Record{errorRecord(f.path, "", f.err)}, false, false
	}
	if f.special {
		return nil, true, false
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return []*Record{errorRecord(f.path, "", err)}, false, false
	}
	defer fh.Close()
	n, err := io.ReadFull(fh, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return []*Record{errorRecord(f.path, "", err)}, false, false
	}
	head := buf[:n]
	var whole []byte
	size := int64(n)
	if n < len(buf) {
		whole = head // the first read reached the end of the file
	} else if st, err := fh.Stat(); err != nil {
		return []*Record{errorRecord(f.path, "", err)}, false, false
	} else {
		size = st.Size()
	}
	if bytes.HasPrefix(head, []byte(`{"type":"header"`)) {
		recs, err := ReadReport(f.path)
		if err != nil {
			return []*Record{errorRecord(f.path, "audit-report", err)}, false, true
		}
		return recs, false, true
	}
	format := source.Detect(head)
	if format == source.Unrecognized {
		return nil, true, false
	}
	if size > textlimit.MaxFileSize && format != source.HyperVVMCX {
		return []*Record{errorRecord(f.path, string(format), fmt.Errorf("%d bytes: over the %d MiB limit for a %s file", size, textlimit.MaxFileSize>>20, format))}, false, false
	}
	res, err := source.ReadOpened(f.path, fh, size, format, whole)
	var pe *fs.PathError
	if res == nil && errors.As(err, &pe) {
		return []*Record{errorRecord(f.path, string(format), err)}, false, false
	}
	rec := recordFrom(f.path, res, err)
	if rec.Format == "unknown" {
		rec.Format = string(format)
	}
	if !utf8.ValidString(f.path) {
		rec.Message = joinMsg(rec.Message, "the path is not valid UTF-8; it is shown with replacement characters")
	}
	return []*Record{rec}, false, false
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// walk calls found for each file under paths, in walk order (the paths as
// given, each directory's entries by name), following symbolic links to
// files and directories once each. Problems met on the way (unreadable
// directories, broken links, loops) are files with an error.
func walk(paths []string, found func(file)) error {
	seen := map[[2]uint64]string{} // directory (device, inode) → first path
	var visit func(dir string) error
	visit = func(dir string) error {
		// A directory reached twice (through a symbolic link loop, or a
		// second link to it) is recorded once, with the reason, and not
		// walked again.
		if key, ok := dirKey(dir); ok {
			if first, dup := seen[key]; dup {
				found(file{path: dir, err: fmt.Errorf("already scanned as %s (a symbolic link loop?)", first)})
				return nil
			}
			seen[key] = dir
		}
		root := strings.TrimRight(dir, string(filepath.Separator)) + string(filepath.Separator) // follows a linked root
		return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				found(file{path: p, err: err})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p == root {
					return nil
				}
				if key, ok := dirKey(p); ok {
					if first, dup := seen[key]; dup {
						found(file{path: p, err: fmt.Errorf("already scanned as %s (a symbolic link loop?)", first)})
						return fs.SkipDir
					}
					seen[key] = p
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				st, err := os.Stat(p)
				switch {
				case errors.Is(err, fs.ErrNotExist):
					found(file{path: p, err: errors.New("symbolic link to a target that does not exist")})
				case errors.Is(err, syscall.ELOOP):
					found(file{path: p, err: errors.New("symbolic link loop")})
				case err != nil:
					found(file{path: p, err: fmt.Errorf("symbolic link: %w", err)})
				case st.IsDir():
					if err := visit(p); err != nil {
						return err
					}
				case st.Mode().IsRegular():
					found(file{path: p})
				default:
					found(file{path: p, special: true})
				}
				return nil
			}
			// Sockets, devices and pipes are counted as skipped: opening
			// a pipe would wait for a writer.
			found(file{path: p, special: !d.Type().IsRegular()})
			return nil
		})
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		switch {
		case st.Mode().IsRegular():
			found(file{path: p})
			continue
		case !st.IsDir():
			found(file{path: p, err: fmt.Errorf("%s, not a regular file or a directory", kindOf(st.Mode()))})
			continue
		}
		if err := visit(p); err != nil {
			return err
		}
	}
	return nil
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
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return [2]uint64{}, false
	}
	return [2]uint64{uint64(sys.Dev), sys.Ino}, true
}

// ReadReport reads the records of a JSONL report written by audit --jsonl,
// marking each with the report's path. Findings and the summary in it are
// ignored: they are recomputed across everything audited.
func ReadReport(path string) ([]*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeReport(f, path)
}

// DecodeReport reads JSONL report lines from r.
func DecodeReport(r io.Reader, name string) ([]*Record, error) {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<30))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var recs []*Record
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var kind struct {
			Type          string `json:"type"`
			SchemaVersion int    `json:"schema_version"`
		}
		if err := json.Unmarshal(b, &kind); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		switch kind.Type {
		case "header":
			if kind.SchemaVersion != SchemaVersion {
				return nil, fmt.Errorf("line %d: report schema version %d, this tool reads %d", line, kind.SchemaVersion, SchemaVersion)
			}
		case "record":
			var rec Record
			if err := json.Unmarshal(b, &rec); err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
			if rec.Path == "" || rec.Status == "" {
				return nil, fmt.Errorf("line %d: a record needs a path and a status", line)
			}
			if rec.GuestBytes != "" && rec.ID().IsZero() {
				return nil, fmt.Errorf("line %d: guest_bytes %q is not 32 hex digits", line, rec.GuestBytes)
			}
			if rec.Report == "" {
				rec.Report = name
			}
			rec.Type = ""
			recs = append(recs, &rec)
		case "finding", "summary":
		default:
			return nil, fmt.Errorf("line %d: unknown line type %q", line, kind.Type)
		}
		if line == 1 && kind.Type != "header" {
			return nil, errors.New("line 1: not an audit report (no header)")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return recs, nil
}
