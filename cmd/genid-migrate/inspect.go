package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/internal/source"
	"github.com/genid-migrate/genid-migrate/internal/textlimit"
	"github.com/genid-migrate/genid-migrate/readers/hyperv"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

func inspectCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show the key tree of a Hyper-V configuration (.vmcx, .vmrs, data.vmcx or XML)",
		ArgsUsage: "FILE",
		Description: `Lists every key of a Hyper-V configuration with its type and value, for admins with no
Hyper-V host at hand. For a binary container it first shows which file-header copy is in
use and both copies' sequence numbers, and the replay log's state; every checksum is
verified while reading. --verify-only checks the checksums and prints nothing else
(exit 0, or 4 with the offset of the first bad structure).

Examples:
   genid-migrate inspect "Virtual Machines/993F7B33-6057-4D1E-A1FE-A1A1D77BE974.vmcx"
   genid-migrate inspect --json data.vmcx | jq '.keys[].path'
   genid-migrate inspect --verify-only vm.vmcx`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"},
			&cli.BoolFlag{Name: "verify-only", Usage: "only check every checksum: exit 0 or 4"},
		},
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			if c.NArg() != 1 {
				return &usageError{fmt.Sprintf("inspect takes one FILE, %d given", c.NArg())}
			}
			return inspect(c, c.Args().First())
		},
	}
}

type inspectKey struct {
	Path   string `json:"path"`
	Type   string `json:"type"`
	Value  any    `json:"value,omitempty"`
	Offset int64  `json:"offset,omitempty"`
	Line   int    `json:"line,omitempty"`
}

type inspectHeader struct {
	Copy     string `json:"copy"`
	Offset   int64  `json:"offset"`
	Sequence uint16 `json:"sequence"`
	Valid    bool   `json:"valid"`
	Error    string `json:"error,omitempty"`
}

type inspectReport struct {
	File    string          `json:"file"`
	Format  string          `json:"format"`
	Header  string          `json:"header_used,omitempty"`
	Headers []inspectHeader `json:"headers,omitempty"`
	Journal *vmcx.Journal   `json:"journal,omitempty"`
	Tables  []vmcx.Table    `json:"tables,omitempty"`
	Keys    []inspectKey    `json:"keys"`
}

func inspect(c *cli.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var r io.ReaderAt = f
	size := st.Size()
	if !st.Mode().IsRegular() { // a pipe such as bash's <(…): read it, bounded
		data, err := io.ReadAll(io.LimitReader(f, textlimit.MaxFileSize))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		r, size = bytes.NewReader(data), int64(len(data))
	}
	head := make([]byte, 8<<10)
	n, _ := r.ReadAt(head, 0)
	format := source.Detect(head[:n])
	rep := inspectReport{File: path, Format: string(format)}
	switch format {
	case source.HyperVVMCX:
		vf, err := vmcx.NewFile(r, size)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if c.Bool("verify-only") {
			fmt.Fprintf(c.App.Writer, "%s: every checksum verified (%d keys in %d key tables, header %s)\n", path, len(vf.Keys), len(vf.Tables), vf.Header.Copy())
			return nil
		}
		rep.Header = vf.Header.Copy()
		for _, h := range vf.Headers {
			ih := inspectHeader{Copy: h.Copy(), Offset: h.Offset, Sequence: h.Sequence, Valid: h.Err == nil}
			if h.Err != nil {
				ih.Error = h.Err.Error()
			}
			rep.Headers = append(rep.Headers, ih)
		}
		rep.Journal, rep.Tables = &vf.Journal, vf.Tables
		var walk func(k *vmcx.Key)
		walk = func(k *vmcx.Key) {
			rep.Keys = append(rep.Keys, inspectKey{Path: k.Path(), Type: k.Type.String(), Value: keyValue(k), Offset: k.Offset})
			for _, ch := range k.Children {
				walk(ch)
			}
		}
		for _, r := range vf.Roots() {
			walk(r)
		}
	case source.HyperVXML:
		entries, err := hyperv.WalkXML(io.NewSectionReader(r, 0, size))
		if err != nil {
			return namedInput(path, err)
		}
		if c.Bool("verify-only") {
			fmt.Fprintf(c.App.Writer, "%s: well-formed XML configuration (%d elements; XML has no checksums)\n", path, len(entries))
			return nil
		}
		for _, e := range entries {
			k := inspectKey{Path: e.Path, Type: e.Type, Line: e.Line}
			if e.Type != "node" {
				k.Value = e.Value
			}
			rep.Keys = append(rep.Keys, k)
		}
	default:
		return &source.UnsupportedError{Input: path, Reason: "not a Hyper-V configuration (inspect reads .vmcx, .vmrs, data.vmcx and Hyper-V XML)"}
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, rep)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s: %s\n", path, formatNames[format])
	if format == source.HyperVVMCX {
		for _, h := range rep.Headers {
			state := "valid"
			if !h.Valid {
				state = "NOT VALID: " + h.Error
			}
			used := ""
			if h.Copy == rep.Header {
				used = " (in use)"
			}
			fmt.Fprintf(w, "  header %s at %#x: sequence %d, %s%s\n", h.Copy, h.Offset, h.Sequence, state, used)
		}
		j := rep.Journal
		state := "clean"
		if j.Live > 0 {
			state = fmt.Sprintf("%d pending entries, replayed in memory (the file was not changed)", j.Replayed)
		}
		fmt.Fprintf(w, "  replay log at %#x: %s (%d entry slots)\n", j.Offset, state, j.Max)
		fmt.Fprintf(w, "  %d key tables, %d keys; every checksum verified\n\n", len(rep.Tables), len(rep.Keys))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range rep.Keys {
		if k.Value == nil {
			fmt.Fprintf(tw, "%s\t%s\n", k.Path, k.Type)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Path, k.Type, display(k.Value))
	}
	return tw.Flush()
}

// keyValue returns a key's value for listing, or an explanation.
func keyValue(k *vmcx.Key) any {
	if k.Type == vmcx.TypeNode {
		return nil
	}
	v, err := k.Value()
	if err != nil {
		return "(" + err.Error() + ")"
	}
	if b, ok := v.([]byte); ok {
		if len(b) == 8 && k.Name == "creation_time" {
			return fmt.Sprintf("FILETIME %d", binary.LittleEndian.Uint64(b))
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	return v
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	}
	s := fmt.Sprint(v)
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}

func namedInput(path string, err error) error {
	return fmt.Errorf("%s: %w", path, err)
}
