package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/readers/hyperv"
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
	head := make([]byte, formats.SniffSize)
	var n int
	if st.Mode().IsRegular() {
		n, _ = f.ReadAt(head, 0)
	} else { // a pipe such as bash's <(…): its first bytes decide whether to read on
		b, err := bounded.ReadAll(io.LimitReader(f, formats.SniffSize), formats.SniffSize, formats.SniffSize, "")
		if err != nil {
			return genid.WithFile(err, path)
		}
		n = copy(head, b)
	}
	format := formats.Detect(head[:n])
	if format == nil || format.Reader != "readers/hyperv" {
		return &formats.UnrecognizedError{Input: path, Reason: "not a Hyper-V configuration (inspect reads .vmcx, .vmrs, data.vmcx and Hyper-V XML)"}
	}
	if !st.Mode().IsRegular() {
		rest, err := bounded.ReadAll(f, bounded.MaxFileSize-int64(n), 0, "a Hyper-V configuration")
		if err != nil {
			return genid.WithFile(err, path)
		}
		data := append(head[:n:n], rest...)
		r, size = bytes.NewReader(data), int64(len(data))
	}
	var rep *hyperv.Report
	switch {
	case format.Random:
		rep, err = hyperv.InspectVMCX(r, size)
		if err == nil && c.Bool("verify-only") {
			fmt.Fprintf(c.App.Writer, "%s: every checksum verified (%d keys in %d key tables, header %s)\n", path, len(rep.Keys), len(rep.Tables), rep.Header)
			return nil
		}
	default:
		rep, err = hyperv.InspectXML(io.NewSectionReader(r, 0, size))
		if err == nil && c.Bool("verify-only") {
			fmt.Fprintf(c.App.Writer, "%s: well-formed XML configuration (%d elements; XML has no checksums)\n", path, len(rep.Keys))
			return nil
		}
	}
	if err != nil {
		return genid.WithFile(err, path)
	}
	rep.File = path
	if c.Bool("json") {
		return writeJSON(c.App.Writer, rep)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s: %s\n", path, format.Description)
	if format.Random {
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
