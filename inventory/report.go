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
	sc := bufio.NewScanner(io.LimitReader(r, maxReport))
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
			if rec.Site == "" {
				rec.Site = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
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
