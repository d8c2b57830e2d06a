package audit

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/textsafe"
)

// A Writer prints an audit as it runs: Record is called for each record in
// path order, Finish once with the findings and summary.
type Writer interface {
	Record(*Record) error
	Finish(*Result) error
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own structs always marshal
	}
	return b
}

// JSONWriter writes one JSON document: schema_version, records, findings,
// summary. Records are written as they come.
type JSONWriter struct {
	w     *bufio.Writer
	count int
}

// NewJSONWriter returns a JSONWriter on w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	bw := bufio.NewWriterSize(w, 256<<10)
	fmt.Fprintf(bw, "{\n  \"schema_version\": %d,\n  \"records\": [", SchemaVersion)
	return &JSONWriter{w: bw}
}

// Record writes one record.
func (j *JSONWriter) Record(r *Record) error {
	if j.count > 0 {
		j.w.WriteByte(',')
	}
	j.count++
	j.w.WriteString("\n    ")
	c := *r
	c.Path = textsafe.Path(c.Path)
	_, err := j.w.Write(marshal(&c))
	return err
}

// Finish writes the findings and summary and closes the document.
func (j *JSONWriter) Finish(res *Result) error {
	if j.count > 0 {
		j.w.WriteString("\n  ")
	}
	j.w.WriteString("],\n  \"findings\": [")
	for i, f := range res.Findings {
		if i > 0 {
			j.w.WriteByte(',')
		}
		j.w.WriteString("\n    ")
		j.w.Write(marshal(safePaths(f)))
	}
	if len(res.Findings) > 0 {
		j.w.WriteString("\n  ")
	}
	j.w.WriteString("],\n  \"summary\": ")
	j.w.Write(marshal(res.Summary))
	j.w.WriteString("\n}\n")
	return j.w.Flush()
}

// JSONLWriter writes one JSON object per line: a header, the records, the
// findings and the summary, each with a "type". Reports in this form are
// accepted back as audit inputs, so per-site runs merge.
type JSONLWriter struct{ w *bufio.Writer }

// NewJSONLWriter returns a JSONLWriter on w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriterSize(w, 256<<10)
	fmt.Fprintf(bw, "{\"type\":\"header\",\"schema_version\":%d,\"tool\":\"genid-migrate\"}\n", SchemaVersion)
	return &JSONLWriter{bw}
}

// Record writes one record line.
func (j *JSONLWriter) Record(r *Record) error {
	c := *r
	c.Type = "record"
	c.Path = textsafe.Path(c.Path)
	j.w.Write(marshal(&c))
	return j.w.WriteByte('\n')
}

// Finish writes the finding lines and the summary line.
func (j *JSONLWriter) Finish(res *Result) error {
	for _, f := range res.Findings {
		f.Type = "finding"
		j.w.Write(marshal(safePaths(f)))
		j.w.WriteByte('\n')
	}
	s := res.Summary
	s.Type = "summary"
	j.w.Write(marshal(s))
	j.w.WriteByte('\n')
	return j.w.Flush()
}

// CSVColumns are the columns of the CSV report, one row per record.
var CSVColumns = []string{"path", "format", "status", "name", "identity", "role", "guest_bytes", "windows", "guid", "convention", "where", "message", "site"}

// CSVWriter writes one row per record; findings are in the other formats.
type CSVWriter struct{ w *csv.Writer }

// NewCSVWriter returns a CSVWriter on w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	c := csv.NewWriter(w)
	c.Write(CSVColumns)
	return &CSVWriter{c}
}

// Record writes one row.
// Cells are neutralised as OWASP recommends for CSV exports: one that
// starts with =, +, -, @, a tab or a carriage return gets a leading '.
func (c *CSVWriter) Record(r *Record) error {
	row := []string{r.Path, r.Format, string(r.Status), r.Name, r.Identity, r.Role, r.GuestBytes, r.Windows, r.GUID, r.Convention, r.Where, r.Message, r.Site}
	for i := range row {
		row[i] = textsafe.CSVCell(row[i])
	}
	return c.w.Write(row)
}

// safePaths gives a finding's paths as records give theirs in JSON.
func safePaths(f Finding) Finding {
	paths := make([]string, len(f.Paths))
	for i, p := range f.Paths {
		paths[i] = textsafe.Path(p)
	}
	f.Paths = paths
	return f
}

// Finish flushes the rows.
func (c *CSVWriter) Finish(*Result) error {
	c.w.Flush()
	return c.w.Error()
}

// TextWriter writes the readable report after the audit: the summary, the
// findings by kind, and with All a table of every configuration.
type TextWriter struct {
	W   io.Writer
	All bool
}

// Record does nothing: the text report is written at the end.
func (t *TextWriter) Record(*Record) error { return nil }

// Finish writes the report.
func (t *TextWriter) Finish(res *Result) error {
	w := bufio.NewWriter(t.W)
	s := res.Summary
	fmt.Fprintf(w, "%d configurations in %d files (%d other files skipped", s.Configs, s.Files, s.Skipped)
	if s.Reports > 0 {
		fmt.Fprintf(w, ", %d merged reports", s.Reports)
	}
	fmt.Fprintln(w, ")")
	fmt.Fprintf(w, "  status:   %s\n", counts(statusCounts(s.Status)))
	fmt.Fprintf(w, "  formats:  %s\n", counts(s.Formats))
	if len(res.Findings) == 0 {
		fmt.Fprintln(w, "  findings: none")
	} else {
		fmt.Fprintf(w, "  findings: %s\n", counts(s.Findings))
	}
	if p := s.Pairs; p.Checked > 0 {
		fmt.Fprintf(w, "  pairs:    %d migrated VMs compared with their sources, %d carry the source's generation ID\n", p.Checked, p.Matching)
		if p.Matching == p.Checked {
			fmt.Fprintf(w, "  OK: every migrated VM found (%d) carries its source's generation ID\n", p.Checked)
		}
	}
	sites := map[string]string{}
	for _, e := range res.Entries {
		if e.Site != "" {
			sites[e.Path] = e.Site
		}
	}
	kind := ""
	for _, f := range res.Findings {
		if f.Kind != kind {
			kind = f.Kind
			fmt.Fprintf(w, "\n%s (%d)\n", strings.ToUpper(kind), s.Findings[kind])
		}
		fmt.Fprintf(w, "  %s\n", textsafe.Controls(f.Message))
		for _, p := range f.Paths {
			shown := textsafe.Quote(p)
			if site := sites[p]; site != "" {
				shown = "[" + textsafe.Quote(site) + "] " + shown
			}
			fmt.Fprintf(w, "    %s\n", shown)
		}
		for _, d := range f.Diagnosis {
			fmt.Fprintf(w, "    cause: %s (typically %s)\n", d.Explanation, d.Tools)
		}
		if f.Fix != "" {
			fmt.Fprintf(w, "    fix: %s\n", textsafe.Controls(f.Fix))
		}
	}
	if t.All {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "PATH\tFORMAT\tSTATUS\tNAME\tWINDOWS (low:high)")
		for _, e := range res.Entries {
			win := ""
			if e.HasID {
				win = genid.ID(e.ID).Windows()
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", textsafe.Quote(e.Path), e.Format, e.Status, textsafe.Quote(e.Name), win)
		}
		tw.Flush()
	}
	return w.Flush()
}

func statusCounts(m map[Status]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	return strings.Join(parts, ", ")
}
