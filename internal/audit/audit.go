// Package audit scans inventories of VM configurations and reports, per VM
// and across VMs, what a migration needs to know about generation IDs:
// which VMs have none, which share one, which configurations are malformed,
// and which migrated VMs no longer carry their source's.
package audit

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/source"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// SchemaVersion is the version of the JSON and JSONL reports. Fields may be
// added within a version; none is renamed or removed.
const SchemaVersion = 1

// Status is what one configuration holds.
type Status string

// Record statuses.
const (
	StatusOK         Status = "ok"
	StatusMissing    Status = "missing"    // no generation ID
	StatusZero       Status = "zero"       // an all-zero ID
	StatusAuto       Status = "auto"       // the hypervisor generates one (libvirt <genid/>, Proxmox 1, guid=auto)
	StatusIncomplete Status = "incomplete" // half an ID (one of vm.genid, vm.genidX)
	StatusMalformed  Status = "malformed"  // corrupt or unreadable as its format
	StatusNoVM       Status = "no-vm"      // a valid file without a VM (Hyper-V host registry, runtime state)
	StatusCheckpoint Status = "checkpoint" // a Hyper-V checkpoint's configuration
	StatusError      Status = "error"      // could not be read (I/O, permissions, size, symlink loop)
)

// A Record describes one configuration file.
type Record struct {
	Type       string `json:"type,omitempty"` // "record" in JSONL
	Path       string `json:"path"`
	Format     string `json:"format"`
	Status     Status `json:"status"`
	Name       string `json:"name,omitempty"`
	Identity   string `json:"identity,omitempty"`
	IDKind     string `json:"identity_kind,omitempty"`
	Role       string `json:"role,omitempty"` // "source" or "target" (runs on QEMU)
	GuestBytes string `json:"guest_bytes,omitempty"`
	Windows    string `json:"windows,omitempty"`
	GUID       string `json:"guid,omitempty"`
	VMXGenID   string `json:"vmx_genid,omitempty"`
	VMXGenIDX  string `json:"vmx_genidX,omitempty"`
	HyperV     string `json:"hyperv,omitempty"`
	Convention string `json:"convention,omitempty"`
	Where      string `json:"where,omitempty"`
	Message    string `json:"message,omitempty"`
	Report     string `json:"report,omitempty"` // the report file a merged record came from
}

// ID returns the record's ID, zero if it has none.
func (r *Record) ID() genid.ID {
	id, err := genid.ParseGuestBytes(r.GuestBytes)
	if err != nil {
		return genid.ID{}
	}
	return id
}

// A Finding is a problem across one or more records.
type Finding struct {
	Type       string    `json:"type,omitempty"` // "finding" in JSONL
	Kind       string    `json:"kind"`           // duplicate, missing, malformed, incomplete, mismatch, error
	Paths      []string  `json:"paths"`
	Message    string    `json:"message"`
	Fix        string    `json:"fix,omitempty"`
	GuestBytes string    `json:"guest_bytes,omitempty"`
	Pairing    string    `json:"pairing,omitempty"` // how a mismatch's pair was made: pairs-file, uuid, global_id, name
	Diagnosis  []Mistake `json:"diagnosis,omitempty"`
}

// A Mistake names a known wrong conversion that explains a mismatch.
type Mistake struct {
	Mistake     string `json:"mistake"`
	Explanation string `json:"explanation"`
	Tools       string `json:"tools"`
}

// Summary counts what the audit saw.
type Summary struct {
	Type     string         `json:"type,omitempty"` // "summary" in JSONL
	Files    int            `json:"files"`          // files looked at
	Configs  int            `json:"configs"`        // records
	Skipped  int            `json:"skipped"`        // files that are not configurations
	Reports  int            `json:"reports,omitempty"`
	Status   map[Status]int `json:"status"`
	Formats  map[string]int `json:"formats"`
	Findings map[string]int `json:"findings"`
}

// FindingKinds are the finding kinds, in report order.
var FindingKinds = []string{"duplicate", "mismatch", "malformed", "incomplete", "missing", "error"}

// DefaultFailOn are the finding kinds that make audit exit 1 by default.
var DefaultFailOn = []string{"duplicate", "mismatch", "malformed"}

// recordFrom turns what source read into a record.
func recordFrom(path string, res *source.Result, err error) *Record {
	rec := &Record{Path: path, Status: StatusOK}
	if res != nil {
		rec.Format = string(res.Format)
		rec.Name, rec.Identity, rec.IDKind = res.Name, res.Identity, res.IDKind
		rec.Convention, rec.Where = string(res.Convention), res.Where
		rec.Role = "source"
		if res.Target {
			rec.Role = "target"
		}
		if !res.ID.IsZero() {
			id := res.ID
			g, x := id.VMX()
			rec.GuestBytes, rec.Windows, rec.GUID, rec.HyperV = id.GuestBytes(), id.Windows(), id.GUID(), id.HyperV()
			rec.VMXGenID, rec.VMXGenIDX = itoa(g), itoa(x)
		}
		if res.Checkpoint && err == nil {
			rec.Status = StatusCheckpoint
		}
	}
	if err == nil {
		return rec
	}
	rec.Message = strings.TrimPrefix(strings.TrimPrefix(err.Error(), path+":"), " ")
	var (
		ie *genid.InputError
		ve *vmcx.FormatError
		ue *source.UnsupportedError
	)
	switch {
	case res != nil && res.NoVM:
		rec.Status = StatusNoVM
	case errors.Is(err, genid.ErrZero):
		rec.Status = StatusZero
	case errors.Is(err, genid.ErrGenerated):
		rec.Status = StatusAuto
	case errors.Is(err, genid.ErrNotFound):
		rec.Status = StatusMissing
	case errors.Is(err, genid.ErrIncomplete):
		rec.Status = StatusIncomplete
	case errors.As(err, &ie), errors.As(err, &ve), errors.As(err, &ue), errors.Is(err, vmcx.ErrFormat), errors.Is(err, vmcx.ErrChecksum), errors.Is(err, vmcx.ErrVersion), errors.Is(err, vmcx.ErrUnsupported):
		rec.Status = StatusMalformed
	default:
		rec.Status = StatusError
	}
	if rec.Format == "" {
		rec.Format = "unknown"
	}
	return rec
}

func itoa(v int64) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// errorRecord is a record for a file that could not be read at all.
func errorRecord(path, format string, err error) *Record {
	msg := err.Error()
	if pe, ok := err.(*fs.PathError); ok { // the path is the record's own
		msg = pe.Op + ": " + pe.Err.Error()
	}
	if format == "" {
		format = "unknown"
	}
	return &Record{Path: path, Format: format, Status: StatusError, Message: strings.TrimSpace(msg)}
}
