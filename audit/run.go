package audit

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/genid-migrate/genid-migrate/inventory"
)

// Counters report progress while an audit runs.
type Counters struct {
	Files   atomic.Int64 // items looked at: files, or VMs of a live inventory
	Configs atomic.Int64 // configurations read
}

// Options shape an audit.
type Options struct {
	Pairs    []Pair                  // explicit source→target pairs (--pairs)
	Workers  int                     // items read in parallel; 0 means twice the CPUs
	Emit     func(rec *Record) error // called for each record, in inventory order, as they are read
	Counters *Counters               // updated as items are read, if not nil

	// ReadTimeout bounds the reading of one item: one that has not been
	// read within it (a dead NFS server, a FUSE file system that never
	// answers) becomes an error record and the audit goes on without it.
	// Zero means DefaultReadTimeout.
	ReadTimeout time.Duration
}

// DefaultReadTimeout is the read timeout of an audit that sets none.
const DefaultReadTimeout = 2 * time.Minute

// A Pair is a source configuration and the target migrated from it, as a
// row of a pairs file gives them.
type Pair struct {
	Source, Target string
	Row            int    // the row of the pairs file, for messages
	Dir            string // the pairs file's directory: relative paths are tried there too
}

// Result is what an audit found; records were streamed to Options.Emit.
type Result struct {
	Findings []Finding
	Summary  Summary
	Entries  []Entry // compact records, for tables and findings
}

// An Entry is the part of a record that findings and tables need.
type Entry struct {
	Path, Format, Name, Identity, IDKind, Role, Message string
	AltIdentity                                         []string // the VM's other UUIDs
	Site                                                string   // the site of a merged record
	Status                                              Status
	ID                                                  [16]byte
	HasID                                               bool
	LiveID                                              [16]byte // what the running guest sees, when it differs
	HasLive                                             bool
	Template                                            bool // never runs
}

// Run audits the inventories in order. Items are read in parallel as the
// inventories yield them, and records are emitted in inventory order: the
// inventories in the order given, each in its own order (a directory's
// entries by name).
func Run(sources []inventory.Source, opt Options) (*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = 2 * runtime.NumCPU()
	}
	jobs := make(chan job, 4*workers)
	results := make(chan done, 4*workers)
	var wg sync.WaitGroup
	timeout := opt.ReadTimeout
	if timeout <= 0 {
		timeout = DefaultReadTimeout
	}
	pathOf := func(it inventory.Item) string {
		if p, ok := it.(interface{ Path() string }); ok {
			return p.Path()
		}
		return ""
	}
	report := func(d done) {
		if opt.Counters != nil {
			opt.Counters.Files.Add(1)
			opt.Counters.Configs.Add(int64(len(d.b.Records)))
		}
		results <- d
	}
	// Each worker reads items on its own goroutine and says, in its slot,
	// which item it is reading since when. A worker that is not done
	// within the timeout is retired by the watchdog: its item becomes an
	// error record, a new worker takes its place, and whatever the old
	// one reads when (if) the kernel returns is dropped. A blocked system
	// call cannot be cancelled; this keeps it from stopping the audit.
	var slotsMu sync.Mutex
	var slots []*slot
	startWorker := func() {
		s := &slot{job: -1}
		slotsMu.Lock()
		slots = append(slots, s)
		slotsMu.Unlock()
		wg.Add(1)
		go func() {
			// The first bytes of each file are read into buf, and a text
			// configuration that fits is read whole into its capacity.
			buf := make([]byte, 8<<10, 128<<10)
			for j := range jobs {
				s.begin(j)
				b := readItem(j.item, buf)
				if s.end() {
					return // retired: the watchdog reported the item and stood in for this worker
				}
				report(done{j.i, b, pathOf(j.item)})
			}
			wg.Done()
		}()
	}
	for w := 0; w < workers; w++ {
		startWorker()
	}
	stopWatch := make(chan struct{})
	go func() {
		tick := time.NewTicker(min(max(timeout/8, time.Millisecond), time.Second))
		defer tick.Stop()
		for {
			select {
			case <-stopWatch:
				return
			case now := <-tick.C:
				slotsMu.Lock()
				var late []job
				for _, s := range slots {
					if j, ok := s.retireIfLate(now, timeout); ok {
						late = append(late, j)
					}
				}
				slotsMu.Unlock()
				for _, j := range late {
					startWorker() // before the retired worker's count is given back
					path := pathOf(j.item)
					if path == "" {
						path = "(an inventory item)"
					}
					report(done{j.i, inventory.Batch{Records: []*Record{inventory.ErrorRecord(path, "", fmt.Errorf("no data within %s (a hung network or FUSE file system?); not read", timeout))}}, path})
					wg.Done()
				}
			}
		}
	}()
	var walkErr error
	go func() {
		n := 0
		for _, s := range sources {
			err := s.Items(context.Background(), func(it inventory.Item) bool {
				jobs <- job{n, it}
				n++
				return true
			})
			if err != nil {
				walkErr = err
				break
			}
		}
		close(jobs)
		wg.Wait()
		close(stopWatch)
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
			if d.b.Skipped {
				res.Summary.Skipped++
			}
			if d.b.Report {
				res.Summary.Reports++
			}
			take := func(rec *Record) {
				res.add(rec)
				if opt.Emit != nil && emitErr == nil {
					emitErr = opt.Emit(rec)
				}
			}
			for _, rec := range d.b.Records {
				take(rec)
			}
			if d.b.Stream != nil {
				// A merged report, decoded record by record in order.
				if err := d.b.Stream(func(rec *Record) error { take(rec); return nil }); err != nil {
					take(inventory.ErrorRecord(d.path, "audit-report", err))
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
	var pairs []pairing
	res.Findings, pairs = findings(res.Entries, opt.Pairs)
	for _, p := range pairs {
		s, t := res.Entries[p.src], res.Entries[p.tgt]
		if !s.HasID {
			continue
		}
		res.Summary.Pairs.Checked++
		if t.HasID && t.ID == s.ID {
			res.Summary.Pairs.Matching++
		}
	}
	for _, f := range res.Findings {
		res.Summary.Findings[f.Kind]++
	}
	return res, nil
}

// A job is an item to read, with its place in inventory order.
type job struct {
	i    int
	item inventory.Item
}

// done is an item read.
type done struct {
	i    int
	b    inventory.Batch
	path string // the item's, for an error while streaming its records
}

// A slot is what one worker is reading, and since when.
type slot struct {
	mu      sync.Mutex
	job     int // the item's index; -1 between items
	current job
	start   time.Time
	retired bool
}

func (s *slot) begin(j job) {
	s.mu.Lock()
	s.job, s.current, s.start = j.i, j, time.Now()
	s.mu.Unlock()
}

// end marks the item read and reports whether the worker was retired
// meanwhile.
func (s *slot) end() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.job, s.current = -1, job{}
	return s.retired
}

// retireIfLate retires the worker if its item has been read for longer
// than timeout, and returns the item.
func (s *slot) retireIfLate(now time.Time, timeout time.Duration) (job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job < 0 || s.retired || now.Sub(s.start) < timeout {
		return job{}, false
	}
	s.retired = true
	return s.current, true
}

// readItem reads one item, turning a panic in a reader into an error
// record that names the item: one bad file never ends an audit.
func readItem(it inventory.Item, buf []byte) (b inventory.Batch) {
	defer func() {
		if r := recover(); r != nil {
			path := "(an inventory item)"
			if p, ok := it.(interface{ Path() string }); ok {
				path = p.Path()
			}
			b = inventory.Batch{Records: []*Record{inventory.ErrorRecord(path, "", fmt.Errorf("%s: %v", InternalError, r))}}
		}
	}()
	return it.Read(buf)
}

// InternalError starts the message of a record whose reading panicked: a
// bug, never an input's fault.
const InternalError = "internal error while reading this file (a bug in genid-migrate, please report it)"

func (r *Result) add(rec *Record) {
	r.Summary.Configs++
	r.Summary.Status[rec.Status]++
	r.Summary.Formats[rec.Format]++
	// Entries outlive the files' text: keep copies, never substrings of it.
	e := Entry{Path: rec.Path, Format: rec.Format, Name: strings.Clone(rec.Name), Identity: rec.Identity, IDKind: rec.IDKind, AltIdentity: rec.AltIdentity, Site: rec.Site, Role: rec.Role, Status: rec.Status, Message: strings.Clone(rec.Message)}
	if id := rec.ID(); !id.IsZero() {
		e.ID, e.HasID = id, true
	}
	if id := rec.LiveID(); !id.IsZero() {
		e.LiveID, e.HasLive = id, true
	}
	e.Template = rec.Template
	r.Entries = append(r.Entries, e)
}

// ReadReport reads the records of a JSONL report ([inventory.ReadReport]).
func ReadReport(path string) ([]*Record, error) { return inventory.ReadReport(path) }
