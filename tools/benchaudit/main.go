//go:build unix

// Command benchaudit times genid-migrate audit against reading the same
// files with cat and scanning them with grep -r, on a warm cache, in one
// run, and prints the ratios and the peak RSS. It also checks that the
// audit found exactly what the inventory generator planted.
//
//	go run ./tools/benchaudit -configs 100000 -dir /tmp/inventory-100k
//
// Run it from the module root. The inventory is generated when -dir does
// not exist (see internal/fleetgen for its make-up) and kept for reruns.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/genid-migrate/genid-migrate/internal/fleetgen"
)

type measure struct {
	name  string
	wall  time.Duration
	rssKB int64
}

func main() {
	configs := flag.Int("configs", 100000, "approximate number of configurations to generate")
	dir := flag.String("dir", "/tmp/genid-migrate-inventory", "inventory directory (generated if absent)")
	runs := flag.Int("runs", 3, "timed runs of each command; the median is reported")
	measureOut := flag.String("measure", "", "internal: run the command after --, output to this file, and print its wall time and peak RSS")
	flag.Parse()
	if *measureOut != "" {
		if err := measureChild(*measureOut, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*configs, *dir, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchaudit:", err)
		os.Exit(1)
	}
}

func run(configs int, dir string, runs int) error {
	plantsFile := dir + ".plants.json"
	if _, err := os.Stat(dir); err != nil {
		vms := configs * 100 / 159 // about 1.59 configurations per VM
		fmt.Printf("generating %d VMs into %s …\n", vms, dir)
		start := time.Now()
		p, err := fleetgen.Generate(dir, vms, 1)
		if err != nil {
			return err
		}
		b, _ := json.MarshalIndent(p, "", "  ")
		os.WriteFile(plantsFile, b, 0o644)
		fmt.Printf("generated %d configurations in %d files (%.1f GB apparent) in %s\n", p.Configs, p.Files, float64(p.Bytes)/1e9, time.Since(start).Round(time.Second))
	}
	var plants fleetgen.Plants
	if b, err := os.ReadFile(plantsFile); err == nil {
		json.Unmarshal(b, &plants)
	}
	tmp, err := os.MkdirTemp("", "benchaudit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "genid-migrate")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/genid-migrate").CombinedOutput(); err != nil {
		return fmt.Errorf("go build (run from the module root): %v\n%s", err, out)
	}
	// The file lists cat reads: every file, and the configuration files only.
	var all []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			all = append(all, p)
		}
		return nil
	})
	sort.Strings(all)
	listAll := filepath.Join(tmp, "all.list")
	os.WriteFile(listAll, []byte(strings.Join(all, "\x00")+"\x00"), 0o644)

	report := filepath.Join(tmp, "report.jsonl")
	auditCmd := []string{bin, "audit", "--jsonl", "--quiet", "--fail-on", "none", dir}
	// Warm the cache, and get the audit's records for the config-only list and the plant check.
	runCmd("cat", []string{"sh", "-c", "xargs -0 cat < " + listAll}, "")
	if _, err := runCmd("audit", auditCmd, report); err != nil {
		return err
	}
	cfgs, counts, err := readReport(report)
	if err != nil {
		return err
	}
	listCfg := filepath.Join(tmp, "configs.list")
	os.WriteFile(listCfg, []byte(strings.Join(cfgs, "\x00")+"\x00"), 0o644)

	cmds := []struct {
		name string
		argv []string
		out  string
	}{
		{"cat (all files)", []string{"sh", "-c", "xargs -0 cat < " + listAll}, ""},
		{"cat (config files only)", []string{"sh", "-c", "xargs -0 cat < " + listCfg}, ""},
		{"grep -r", []string{"grep", "-r", "-l", "-a", "genid", dir}, ""},
		{"genid-migrate audit --jsonl", auditCmd, report},
	}
	var results []measure
	for _, c := range cmds {
		var walls []time.Duration
		var rss int64
		for i := 0; i < runs; i++ {
			m, err := runCmd(c.name, c.argv, c.out)
			if err != nil {
				return err
			}
			walls = append(walls, m.wall)
			rss = max(rss, m.rssKB)
		}
		sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
		results = append(results, measure{c.name, walls[len(walls)/2], rss})
	}
	fmt.Printf("\n%d files, %d configurations, %d CPUs, %s, warm cache, median of %d runs\n\n", len(all), len(cfgs), runtime.NumCPU(), runtime.Version(), runs)
	fmt.Printf("%-30s %10s %12s %14s %14s\n", "command", "wall", "peak RSS", "÷ cat (all)", "÷ cat (configs)")
	for _, r := range results {
		fmt.Printf("%-30s %9.2fs %10.1f MB %13.2fx %14.2fx\n", r.name, r.wall.Seconds(), float64(r.rssKB)/1024, r.wall.Seconds()/results[0].wall.Seconds(), r.wall.Seconds()/results[1].wall.Seconds())
	}
	a := results[3]
	fmt.Printf("\naudit ÷ cat (all files) = %.2f (target ≤ 1.0); audit peak RSS = %.1f MB (target ≤ 200 MB)\n", a.wall.Seconds()/results[0].wall.Seconds(), float64(a.rssKB)/1024)
	if plants.Configs > 0 {
		want := map[string]int{"duplicate": len(plants.Duplicate), "mismatch": len(plants.Mismatch), "missing": len(plants.Missing), "malformed": len(plants.Malformed), "incomplete": len(plants.Incomplete), "error": 0}
		ok := len(cfgs) == plants.Configs
		for k, n := range want {
			ok = ok && counts[k] == n
		}
		fmt.Printf("findings %v; planted %v; records %d, planted %d: %s\n", counts, want, len(cfgs), plants.Configs, map[bool]string{true: "all plants found, nothing else", false: "MISMATCH"}[ok])
	}
	return nil
}

// runCmd runs argv with stdout to out (or /dev/null), and returns its wall
// time and peak RSS (of the process and the children it waited for).
//
// The command is started by a fresh copy of this program (-measure): on
// Linux a child's peak RSS starts from its parent's at exec, so a command
// started from this process, which holds the inventory's file list, would
// report at least this process's own peak.
func runCmd(name string, argv []string, out string) (measure, error) {
	if out == "" {
		out = os.DevNull
	}
	cmd := exec.Command(os.Args[0], append([]string{"-measure", out, "--"}, argv...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return measure{}, fmt.Errorf("%s: %v: %s", name, err, stderr.String())
	}
	var m struct{ WallNS, MaxRSSKB int64 }
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil {
		return measure{}, fmt.Errorf("%s: %v", name, err)
	}
	return measure{name, time.Duration(m.WallNS), m.MaxRSSKB}, nil
}

// measureChild runs argv with stdout to out and prints its wall time and
// peak RSS as JSON. grep's exit status 1 (no match) is not a failure.
func measureChild(out string, argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("-measure: no command")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = f, os.Stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if ee, ok := err.(*exec.ExitError); ok && filepath.Base(argv[0]) == "grep" && ee.ExitCode() == 1 {
		err = nil
	}
	if err != nil {
		return err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return json.NewEncoder(os.Stdout).Encode(struct{ WallNS, MaxRSSKB int64 }{wall.Nanoseconds(), ru.Maxrss})
}

// readReport returns the record paths and the finding counts of a JSONL report.
func readReport(name string) ([]string, map[string]int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var paths []string
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var l struct{ Type, Path, Kind string }
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, nil, err
		}
		switch l.Type {
		case "record":
			paths = append(paths, l.Path)
		case "finding":
			counts[l.Kind]++
		}
	}
	return paths, counts, sc.Err()
}
