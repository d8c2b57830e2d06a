package inventory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxReport is the largest report read back: per-site reports of large
// estates run to hundreds of megabytes.
const maxReport = 1 << 30

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

// DecodeReport reads JSONL report lines from r; name is the report's, for
// the records' report field.
func DecodeReport(r io.Reader, name string) ([]*Record, error) {
	var recs []*Record
	err := StreamReport(r, name, func(rec *Record) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// StreamReport reads JSONL report lines from r and calls each with every
// record as it is decoded, so that a report of any size costs one record's
// memory at a time. It stops at the first error, its own or each's.
func StreamReport(r io.Reader, name string, each func(*Record) error) error {
	sc := bufio.NewScanner(io.LimitReader(r, maxReport))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	site := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
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
			return fmt.Errorf("line %d: %v", line, err)
		}
		if line == 1 && kind.Type != "header" {
			return errors.New("line 1: not an audit report (no header)")
		}
		switch kind.Type {
		case "header":
			if kind.SchemaVersion != SchemaVersion {
				return fmt.Errorf("line %d: report schema version %d, this tool reads %d", line, kind.SchemaVersion, SchemaVersion)
			}
		case "record":
			var rec Record
			if err := json.Unmarshal(b, &rec); err != nil {
				return fmt.Errorf("line %d: %v", line, err)
			}
			if rec.Path == "" || rec.Status == "" {
				return fmt.Errorf("line %d: a record needs a path and a status", line)
			}
			if rec.GuestBytes != "" && rec.ID().IsZero() {
				return fmt.Errorf("line %d: guest_bytes %q is not 32 hex digits", line, rec.GuestBytes)
			}
			if rec.Report == "" {
				rec.Report = name
			}
			if rec.Site == "" {
				rec.Site = site
			}
			rec.Type = ""
			if err := each(&rec); err != nil {
				return err
			}
		case "finding", "summary":
		default:
			return fmt.Errorf("line %d: unknown line type %q", line, kind.Type)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return nil
}
