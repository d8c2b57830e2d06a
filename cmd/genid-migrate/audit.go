package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/atomicfile"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/inventory"
)

func auditCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "scan inventories for missing, duplicate, malformed and mismatched generation IDs",
		ArgsUsage: "PATH|URI…",
		Description: `Walks the files and directories given and reads every VM configuration in them, by
content: VMware .vmx, Hyper-V .vmcx and XML, libvirt domain XML, Proxmox qemu-server
.conf, QEMU command lines. Other files are skipped and counted (disk images are never
read past their first 8 KiB). Reports written by audit --jsonl are read back as inputs,
so per-site runs merge into one fleet-wide view.

Live inventories are read like trees: a vCenter or ESXi host (vpx://USER@HOST[/PATH],
esx://USER@HOST, https://USER@HOST/sdk; add ?no_verify=1 to skip checking the
certificate) through the vSphere API, a libvirt host (qemu:///system, qemu:///session,
qemu+tcp://HOST/system, qemu+tls://HOST/system, ?socket=PATH) through libvirt's RPC.
The password comes from --password-file, else GENID_MIGRATE_PASSWORD, else the URI; it
is never printed.

Each configuration becomes a record (status ok, missing, zero, auto, incomplete,
malformed, no-vm, checkpoint or error). Across records it finds:
   duplicate   the same guest bytes on different VMs (copies of one VM, such as Hyper-V
               checkpoints, a .vmx backup beside its original, or a source and its
               migrated target, are grouped first)
   mismatch    a target (libvirt qemu/kvm, Proxmox, QEMU) that does not carry its
               source's ID, with the known wrong conversion that explains it and the fix
   live-differs  a running libvirt domain whose guest sees another ID than its
               definition holds
   missing, malformed, incomplete, error
Targets are paired with sources by --pairs FILE (CSV: source,target), then by UUID
(VMware uuid.bios or vc.uuid, Hyper-V global_id, libvirt <uuid>, Proxmox smbios1),
then by a name unique on both sides (reported as such).

Output: a readable report (summary, findings, and with --all every configuration),
or --json (one document), --jsonl (one object per line, streamed), --csv (one row per
configuration). Exit 1 when a finding's kind is in --fail-on.

Examples:
   genid-migrate audit /vmfs/volumes/ds1 /mnt/hyperv-exports /etc/libvirt/qemu
   genid-migrate audit 'vpx://administrator%40vsphere.local@vc.example.com/?no_verify=1'
   genid-migrate audit qemu:///system /etc/pve/nodes
   genid-migrate audit --jsonl inventory/ > site-a.jsonl
   genid-migrate audit site-a.jsonl site-b.jsonl
   genid-migrate audit --pairs moves.csv src/ dst/
   genid-migrate audit --fail-on duplicate,mismatch inventory/
   genid-migrate audit --fix-script fix.sh exports/ /etc/libvirt/qemu`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print one JSON document"},
			&cli.BoolFlag{Name: "jsonl", Usage: "print JSON lines as the audit runs (accepted back as input)"},
			&cli.BoolFlag{Name: "csv", Usage: "print one CSV row per configuration"},
			&cli.BoolFlag{Name: "all", Usage: "with the readable report, list every configuration"},
			&cli.StringFlag{Name: "pairs", Usage: "CSV `FILE` of source,target paths to compare"},
			&cli.StringFlag{Name: "site", Usage: "label every record with `NAME` (kept when reports are merged; a merged report's records are labelled with its file name otherwise)"},
			&cli.StringFlag{Name: "fix-script", Usage: "write a shell script with the fix of every mismatch to `FILE`, to review and run (never run by audit)"},
			&cli.StringFlag{Name: "fail-on", Value: strings.Join(audit.DefaultFailOn, ","), Usage: "exit 1 when findings of these `KINDS` exist: " + strings.Join(audit.FindingKinds, ",") + ", or none"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress line"},
			followFlag,
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "files read in parallel (default: twice the CPUs)"},
			passwordFileFlag,
		},
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json") || c.Bool("jsonl")
			return runAudit(c)
		},
	}
}

func runAudit(c *cli.Context) error {
	if c.NArg() == 0 {
		return &usageError{"audit needs at least one PATH"}
	}
	formats := 0
	for _, f := range []string{"json", "jsonl", "csv"} {
		if c.Bool(f) {
			formats++
		}
	}
	if formats > 1 {
		return &usageError{"choose one of --json, --jsonl, --csv"}
	}
	failOn := map[string]bool{}
	for _, k := range strings.Split(c.String("fail-on"), ",") {
		k = strings.TrimSpace(k)
		if k == "" || k == "none" {
			continue
		}
		known := false
		for _, f := range audit.FindingKinds {
			known = known || f == k
		}
		if !known {
			return &usageError{fmt.Sprintf("--fail-on %q: want kinds from %s, or none", k, strings.Join(audit.FindingKinds, ","))}
		}
		failOn[k] = true
	}
	var pairs []audit.Pair
	if p := c.String("pairs"); p != "" {
		var err error
		if pairs, err = readPairs(p); err != nil {
			return err
		}
	}
	opt, err := inventoryOptions(c)
	if err != nil {
		return err
	}
	sources, err := inventory.Open(context.Background(), c.Args().Slice(), opt)
	if err != nil {
		return err
	}
	defer inventory.CloseAll(sources)
	var w audit.Writer
	switch {
	case c.Bool("json"):
		w = audit.NewJSONWriter(c.App.Writer)
	case c.Bool("jsonl"):
		w = audit.NewJSONLWriter(c.App.Writer)
	case c.Bool("csv"):
		w = audit.NewCSVWriter(c.App.Writer)
	default:
		w = &audit.TextWriter{W: c.App.Writer, All: c.Bool("all")}
	}
	stopGC := gcBudget()
	defer stopGC()
	counters := &audit.Counters{}
	stop := progress(c, counters)
	emit := w.Record
	if site := c.String("site"); site != "" {
		emit = func(r *audit.Record) error {
			if r.Report == "" { // merged records keep their own
				r.Site = site
			}
			return w.Record(r)
		}
	}
	res, err := audit.Run(sources, audit.Options{Pairs: pairs, Workers: c.Int("jobs"), Emit: emit, Counters: counters})
	stop()
	if err != nil {
		return err
	}
	if err := w.Finish(res); err != nil {
		return err
	}
	if name := c.String("fix-script"); name != "" {
		var script bytes.Buffer
		n, _ := res.WriteFixScript(&script, "Made by: genid-migrate audit "+strings.Join(redactAll(c.Args().Slice()), " "))
		if err := atomicfile.Write(name, script.Bytes(), 0o755); err != nil {
			return fmt.Errorf("--fix-script: %w", err)
		}
		fmt.Fprintf(c.App.ErrWriter, "audit: %d fixes written to %s: review it, then run it\n", n, name)
	}
	if s := res.Summary; s.Configs > 0 && s.Status[audit.StatusError] == s.Configs {
		return fmt.Errorf("audit: none of the inputs could be read (%d errors)", s.Configs)
	}
	var hit []string
	for _, k := range audit.FindingKinds {
		if failOn[k] && res.Summary.Findings[k] > 0 {
			hit = append(hit, fmt.Sprintf("%d %s", res.Summary.Findings[k], k))
		}
	}
	if len(hit) > 0 {
		return &findingsError{"audit: findings: " + strings.Join(hit, ", ")}
	}
	return nil
}

// readPairs reads a CSV of source,target paths; a header row is allowed.
// The file is read through a line limit, so that an endless one
// (/dev/zero) is refused after its first long line.
func readPairs(name string) ([]audit.Pair, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bounded.LineLimit(f, bounded.MaxLineSize, bounded.MaxFileSize))
	r.FieldsPerRecord = 2
	r.Comment = '#'
	var out []audit.Pair
	for first := true; ; first = false {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		var ie *genid.InputError
		switch {
		case errors.As(err, &ie):
			return nil, genid.WithFile(err, name)
		case err != nil:
			return nil, &usageError{fmt.Sprintf("--pairs %s: %v (want CSV rows of source,target)", name, err)}
		}
		if first && strings.EqualFold(row[0], "source") && strings.EqualFold(row[1], "target") {
			continue
		}
		line, _ := r.FieldPos(0)
		out = append(out, audit.Pair{Source: strings.TrimSpace(row[0]), Target: strings.TrimSpace(row[1]), Row: line, Dir: filepath.Dir(name)})
	}
}

// gcBudget sets the garbage collector for an audit. Records stream out and
// only what cross-record findings need stays in memory (about 40 MB for
// 100 000 configurations), so some of a 200 MB budget goes to collecting
// less often: GOGC 400 under a 150 MB soft limit. For inventories whose
// live data outgrows half the limit, the limit follows at twice the live
// heap, so that the collector does not run without pause. The returned
// function stops the watch.
func gcBudget() (stop func()) {
	debug.SetGCPercent(400)
	limit := uint64(150 << 20)
	debug.SetMemoryLimit(int64(limit))
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(live)
				if live[0].Value.Kind() == metrics.KindUint64 && 2*live[0].Value.Uint64() > limit {
					limit = 2 * live[0].Value.Uint64()
					debug.SetMemoryLimit(int64(limit))
				}
			}
		}
	}()
	return func() { close(done) }
}

// progress shows a live line on stderr when it is a terminal, until the
// returned function is called.
func progress(c *cli.Context, n *audit.Counters) func() {
	f, ok := c.App.ErrWriter.(*os.File)
	if c.Bool("quiet") || !ok {
		return func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-t.C:
				el := time.Since(start)
				files := n.Files.Load()
				fmt.Fprintf(f, "\r\033[K%d files and VMs, %d configurations, %.0f/s, %s", files, n.Configs.Load(), float64(files)/el.Seconds(), el.Truncate(time.Second))
			}
		}
	}()
	return func() { close(done); <-finished }
}
