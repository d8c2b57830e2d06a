// Package audit reports, per VM and across VMs, what a migration needs to
// know about generation IDs in the configurations inventories hold: which
// VMs have none, which share one, which configurations are malformed, and
// which migrated VMs no longer carry their source's. Configurations come
// from package inventory; audit pairs them, finds problems across them and
// writes the reports.
package audit

import (
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// SchemaVersion is the version of the JSON and JSONL reports.
const SchemaVersion = inventory.SchemaVersion

// A Record describes one configuration ([inventory.Record]).
type Record = inventory.Record

// Status is what one configuration holds ([formats.Status]).
type Status = formats.Status

// Record statuses.
const (
	StatusOK         = formats.StatusOK
	StatusMissing    = formats.StatusMissing
	StatusZero       = formats.StatusZero
	StatusAuto       = formats.StatusAuto
	StatusIncomplete = formats.StatusIncomplete
	StatusMalformed  = formats.StatusMalformed
	StatusNoVM       = formats.StatusNoVM
	StatusCheckpoint = formats.StatusCheckpoint
	StatusError      = formats.StatusError
)

// A Finding is a problem across one or more records.
type Finding struct {
	Type       string    `json:"type,omitempty"` // "finding" in JSONL
	Kind       string    `json:"kind"`           // duplicate, mismatch, live-differs, malformed, incomplete, missing, error
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
	Pairs    PairCounts     `json:"pairs"`
}

// PairCounts count the migrated VMs an audit compared with their sources.
type PairCounts struct {
	Checked  int `json:"checked"`  // sources with an ID paired with a target
	Matching int `json:"matching"` // of those, targets whose guest sees the source's ID
}

// FindingKinds are the finding kinds, in report order.
var FindingKinds = []string{"duplicate", "mismatch", "pair-error", "live-differs", "malformed", "incomplete", "missing", "error"}

// DefaultFailOn are the finding kinds that make audit exit 1 by default.
var DefaultFailOn = []string{"duplicate", "mismatch", "pair-error", "malformed"}
