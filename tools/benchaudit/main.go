//go:build unix

// Command benchaudit times genid-migrate audit against reading the same
// tree with cat, scanning it with grep -r, and a bare Go reader that does
// only the reads the audit must do, on a warm cache, in one run, and
// prints the ratios and the peak RSS of each. It also checks that the
// audit found exactly what the inventory generator planted.
//
//	go run ./tools/benchaudit -configs 20000
//
// Run it from the module root. The inventory is generated when -dir does
// not exist (see internal/fleetgen for its make-up) and kept for reruns.
// It holds configurations and their small companions (disk descriptors,
// nvram, logs, runtime state) but no disk images, so that every ratio's
// denominator is the files an audit really reads; -disks adds sparse 8 MiB
// disk images (1 VMware VM in 250) in a tree of its own, reported
// separately.
//
// Each round runs every command once, in an order rotated from round to
// round; a ratio is computed within each round and the median of the
// rounds' ratios is reported, so that drift of the machine during the run
// touches numerator and denominator alike.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
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
	wall, cpu time.Duration // cpu: user and system time of the command and its children
	rssKB     int64
}

type command struct {
	name string
	argv []string
	out  string
}

func main() {
	configs := flag.Int("configs", 20000, "approximate number of configurations to generate")
	dir := flag.String("dir", "", "inventory directory, generated if absent (default /tmp/genid-migrate-inventory-N, -disks appended with disk images)")
	disks := flag.Bool("disks", false, "add sparse 8 MiB disk images to the inventory (a tree of its own)")
	rounds := flag.Int("rounds", 5, "rounds; each runs every command once, and the median of the per-round ratios is reported")
	bin := flag.String("bin", "", "the genid-migrate binary to time (default: built from this module)")
	measureOut := flag.String("measure", "", "internal: run the command after --, output to this file, and print its wall time and peak RSS")
	floor := flag.String("floor", "", "internal: read the tree at this path as the audit must and nothing else (the floor)")
	startup := flag.Bool("startup", false, "time show of one file against a bare Go program that reads it and prints its size, started as often")
	scale := flag.Bool("scale", false, "time the audit alone on inventories of -configs, twice and four times as many configurations: CPU, wall and peak RSS per size")
	flag.Parse()
	switch {
	case *measureOut != "":
		if err := measureChild(*measureOut, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		return
	case *floor != "":
		if err := floorRead(*floor, 2); err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		return
	}
	if *dir == "" {
		*dir = fmt.Sprintf("/tmp/genid-migrate-inventory-%d", *configs)
		if *disks {
			*dir += "-disks"
		}
	}
	if *startup {
		if err := runStartup(max(*rounds, 1), *bin); err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		return
	}
	if *scale {
		if err := runScale(*configs, max(*rounds, 1), *bin); err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*configs, *dir, *disks, max(*rounds, 1), *bin); err != nil {
		fmt.Fprintln(os.Stderr, "benchaudit:", err)
		os.Exit(1)
	}
}

// generate writes the inventory of about configs configurations into dir
// unless it exists, and returns what was planted in it.
func generate(configs int, dir string, disks bool) (fleetgen.Plants, error) {
	var plants fleetgen.Plants
	plantsFile := dir + ".plants.json"
	if _, err := os.Stat(dir); err != nil {
		vms := configs * 100 / 159 // about 1.59 configurations per VM
		fmt.Printf("generating %d VMs into %s …\n", vms, dir)
		start := time.Now()
		p, err := fleetgen.GenerateWith(dir, fleetgen.Options{VMs: vms, Seed: 1, DiskImages: disks})
		if err != nil {
			return plants, err
		}
		b, _ := json.MarshalIndent(p, "", "  ")
		if err := os.WriteFile(plantsFile, b, 0o644); err != nil {
			return plants, err
		}
		fmt.Printf("generated %d configurations in %d files (%.1f MB apparent) in %s\n", p.Configs, p.Files, float64(p.Bytes)/1e6, time.Since(start).Round(time.Second))
	}
	if b, err := os.ReadFile(plantsFile); err == nil {
		json.Unmarshal(b, &plants)
	}
	return plants, nil
}

// workspace makes a temporary directory and returns it with bin, or a
// binary built from this module into it; cleanup removes it.
func workspace(bin string) (tmp, built string, cleanup func(), err error) {
	tmp, err = os.MkdirTemp("", "benchaudit-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	if bin != "" {
		return tmp, bin, cleanup, nil
	}
	bin = filepath.Join(tmp, "genid-migrate")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/genid-migrate").CombinedOutput(); err != nil {
		cleanup()
		return "", "", nil, fmt.Errorf("go build (run from the module root): %v\n%s", err, out)
	}
	return tmp, bin, cleanup, nil
}

// runScale times the audit alone on inventories of configs, 2×configs and
// 4×configs configurations: linear CPU means a constant cost per
// configuration.
func runScale(configs, rounds int, bin string) error {
	_, bin, cleanup, err := workspace(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	type row struct {
		configs  int
		wall     time.Duration
		cpu      time.Duration
		rssKB    int64
		perCfgUS float64
	}
	var rows []row
	for _, mult := range []int{1, 2, 4} {
		n := configs * mult
		dir := fmt.Sprintf("/tmp/genid-migrate-inventory-%d", n)
		plants, err := generate(n, dir, false)
		if err != nil {
			return err
		}
		c := command{"audit --jsonl", []string{bin, "audit", "--jsonl", "--quiet", "--fail-on", "none", dir}, ""}
		runCmd(c) // warm the cache
		var walls, cpus []float64
		var rss int64
		for r := 0; r < rounds; r++ {
			m, err := runCmd(c)
			if err != nil {
				return err
			}
			walls, cpus = append(walls, m.wall.Seconds()), append(cpus, m.cpu.Seconds())
			rss = max(rss, m.rssKB)
		}
		cpu := median(cpus)
		rows = append(rows, row{plants.Configs, time.Duration(median(walls) * 1e9), time.Duration(cpu * 1e9), rss, cpu * 1e6 / float64(plants.Configs)})
	}
	fmt.Printf("\naudit --jsonl, median of %d runs per size, warm cache, %d CPUs, %s\n\n", rounds, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%10s %8s %8s %10s %14s %9s\n", "configs", "wall", "CPU", "peak RSS", "CPU/config", "CPU ÷ 1×")
	for _, r := range rows {
		fmt.Printf("%10d %7.2fs %7.2fs %7.1f MB %11.1f µs %8.2fx\n", r.configs, r.wall.Seconds(), r.cpu.Seconds(), float64(r.rssKB)/1024, r.perCfgUS, r.cpu.Seconds()/rows[0].cpu.Seconds())
	}
	return nil
}

// bareProgram is the start-up floor: a Go program that reads a file and
// prints its size.
const bareProgram = `package main

import (
	"fmt"
	"os"
)

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(len(b))
}
`

// runStartup times genid-migrate show of a fixture against the bare
// program on the same file: 100 starts of each per round, alternating.
func runStartup(rounds int, bin string) error {
	tmp, bin, cleanup, err := workspace(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	bare := filepath.Join(tmp, "bare")
	os.WriteFile(filepath.Join(tmp, "main.go"), []byte(bareProgram), 0o644)
	os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module bare\n\ngo 1.26\n"), 0o644)
	cmd := exec.Command("go", "build", "-o", bare, ".")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the bare program: %v\n%s", err, out)
	}
	file, err := filepath.Abs("fixtures/vmware/app-server-workstation.vmx")
	if err != nil {
		return err
	}
	startN := func(argv []string) (time.Duration, error) {
		start := time.Now()
		for i := 0; i < 100; i++ {
			c := exec.Command(argv[0], argv[1:]...)
			if err := c.Run(); err != nil {
				return 0, fmt.Errorf("%s: %v", strings.Join(argv, " "), err)
			}
		}
		return time.Since(start) / 100, nil
	}
	var ours, floor, ratios []float64
	for r := 0; r < rounds; r++ {
		a, err := startN([]string{bin, "show", file})
		if err != nil {
			return err
		}
		b, err := startN([]string{bare, file})
		if err != nil {
			return err
		}
		ours, floor, ratios = append(ours, a.Seconds()), append(floor, b.Seconds()), append(ratios, a.Seconds()/b.Seconds())
	}
	fmt.Printf("start-up, %d rounds of 100 starts each, %d CPUs, %s\n", rounds, runtime.NumCPU(), runtime.Version())
	fmt.Printf("genid-migrate show %s: %.2f ms; bare Go program: %.2f ms; ratio %.2fx (target ≤ 2.0)\n", filepath.Base(file), median(ours)*1e3, median(floor)*1e3, median(ratios))
	return nil
}

func run(configs int, dir string, disks bool, rounds int, bin string) error {
	plants, err := generate(configs, dir, disks)
	if err != nil {
		return err
	}
	tmp, bin, cleanup, err := workspace(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	// The file lists cat reads: every file, and the configuration files only.
	var all []string
	var bytesAll int64
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			all = append(all, p)
			if fi, err := d.Info(); err == nil {
				bytesAll += fi.Size()
			}
		}
		return nil
	})
	sort.Strings(all)
	listAll := filepath.Join(tmp, "all.list")
	os.WriteFile(listAll, []byte(strings.Join(all, "\x00")+"\x00"), 0o644)

	report := filepath.Join(tmp, "report.jsonl")
	auditJSONL := command{"audit --jsonl", []string{bin, "audit", "--jsonl", "--quiet", "--fail-on", "none", dir}, report}
	auditJSON := command{"audit --json", []string{bin, "audit", "--json", "--quiet", "--fail-on", "none", dir}, ""}
	// Warm the cache, and get the audit's records for the config-only list and the plant check.
	catAll := command{"cat (every file)", []string{"sh", "-c", "xargs -0 cat < " + listAll}, ""}
	if _, err := runCmd(catAll); err != nil {
		return err
	}
	if _, err := runCmd(auditJSONL); err != nil {
		return err
	}
	cfgs, counts, err := readReport(report)
	if err != nil {
		return err
	}
	listCfg := filepath.Join(tmp, "configs.list")
	os.WriteFile(listCfg, []byte(strings.Join(cfgs, "\x00")+"\x00"), 0o644)

	cmds := []command{
		catAll,
		{"cat (configurations only)", []string{"sh", "-c", "xargs -0 cat < " + listCfg}, ""},
		{"grep -r -l -a genid", []string{"grep", "-r", "-l", "-a", "genid", dir}, ""},
		{"Go floor reader (2 workers)", []string{self, "-floor", dir}, ""},
		auditJSONL,
		auditJSON,
	}
	walls := make([][]time.Duration, len(cmds)) // [command][round]
	rss := make([]int64, len(cmds))
	for r := 0; r < rounds; r++ {
		for k := range cmds {
			i := (k + r) % len(cmds) // rotated: each command follows a different one each round
			m, err := runCmd(cmds[i])
			if err != nil {
				return err
			}
			walls[i] = append(walls[i], m.wall)
			rss[i] = max(rss[i], m.rssKB)
		}
	}
	// ratio returns the median over rounds of command a's wall ÷ command b's.
	ratio := func(a, b int) float64 {
		var rs []float64
		for r := range walls[a] {
			rs = append(rs, walls[a][r].Seconds()/walls[b][r].Seconds())
		}
		return median(rs)
	}
	medWall := func(i int) float64 {
		var s []float64
		for _, w := range walls[i] {
			s = append(s, w.Seconds())
		}
		return median(s)
	}
	disksNote := "no disk images"
	if disks {
		disksNote = "with sparse disk images"
	}
	fmt.Printf("\n%s: %d files (%.0f MB), %d configurations, %s; %d CPUs, %s, warm cache\n", dir, len(all), float64(bytesAll)/1e6, len(cfgs), disksNote, runtime.NumCPU(), runtime.Version())
	fmt.Printf("median of %d rounds, commands in rotated order; each ratio is the median of the per-round ratios\n\n", rounds)
	fmt.Printf("%-28s %8s %10s %9s %9s %9s %9s\n", "command", "wall", "peak RSS", "÷ cat", "÷ cat cfg", "÷ grep", "÷ floor")
	for i, c := range cmds {
		fmt.Printf("%-28s %7.3fs %7.1f MB %8.2fx %8.2fx %8.2fx %8.2fx\n", c.name, medWall(i), float64(rss[i])/1024, ratio(i, 0), ratio(i, 1), ratio(i, 2), ratio(i, 3))
	}
	fmt.Printf("\naudit --jsonl ÷ cat (every file) = %.2f (target ≤ 1.0); ÷ Go floor reader = %.2f (target ≤ 2.0); peak RSS %.1f MB\n",
		ratio(4, 0), ratio(4, 3), float64(rss[4])/1024)
	if plants.Configs > 0 {
		want := map[string]int{"duplicate": len(plants.Duplicate), "mismatch": len(plants.Mismatch), "missing": len(plants.Missing), "malformed": len(plants.Malformed), "incomplete": len(plants.Incomplete), "error": 0}
		ok := len(cfgs) == plants.Configs
		for k, n := range want {
			ok = ok && counts[k] == n
		}
		fmt.Printf("findings %v; planted %v; records %d, planted %d: %s\n", counts, want, len(cfgs), plants.Configs, map[bool]string{true: "all plants found, nothing else", false: "MISMATCH"}[ok])
		if !ok {
			return fmt.Errorf("the audit's findings differ from the plants")
		}
	}
	return nil
}

func median(s []float64) float64 {
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// runCmd runs a command with stdout to its output file (or /dev/null), and
// returns its wall time and peak RSS (of the process and the children it
// waited for).
//
// The command is started by a fresh copy of this program (-measure): on
// Linux a child's peak RSS starts from its parent's at exec, so a command
// started from this process, which holds the inventory's file list, would
// report at least this process's own peak.
func runCmd(c command) (measure, error) {
	out := c.out
	if out == "" {
		out = os.DevNull
	}
	self, err := os.Executable()
	if err != nil {
		return measure{}, err
	}
	cmd := exec.Command(self, append([]string{"-measure", out, "--"}, c.argv...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return measure{}, fmt.Errorf("%s: %v: %s", c.name, err, stderr.String())
	}
	var m struct{ WallNS, CPUNS, MaxRSSKB int64 }
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil {
		return measure{}, fmt.Errorf("%s: %v", c.name, err)
	}
	return measure{time.Duration(m.WallNS), time.Duration(m.CPUNS), m.MaxRSSKB}, nil
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
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return json.NewEncoder(os.Stdout).Encode(struct{ WallNS, CPUNS, MaxRSSKB int64 }{wall.Nanoseconds(), cpu.Nanoseconds(), ru.Maxrss})
}

// floorRead is the floor: the walk and the reads an audit cannot avoid,
// and nothing else. One goroutine walks the tree (directory entries carry
// their type; nothing is stat'ed); workers open each regular file, read
// its first 8 KiB, read a configuration (by its name: .vmx, .vmcx, .vmrs,
// .xml, .conf) to its end, and close it, with plain system calls and a
// buffer per worker. It parses nothing and prints the number of bytes.
func floorRead(root string, workers int) error {
	paths := make(chan string, 256)
	total := make(chan int64)
	for w := 0; w < workers; w++ {
		go func() {
			buf := make([]byte, 64<<10)
			var n int64
			for p := range paths {
				fd, err := syscall.Open(p, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
				if err != nil {
					continue
				}
				m, _ := syscall.Read(fd, buf[:8<<10])
				n += int64(max(m, 0))
				if m == 8<<10 && isConfigName(p) {
					for {
						m, err := syscall.Read(fd, buf)
						if m <= 0 || err != nil {
							break
						}
						n += int64(m)
					}
				}
				syscall.Close(fd)
			}
			total <- n
		}()
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths <- p
		}
		return nil
	})
	close(paths)
	var n int64
	for w := 0; w < workers; w++ {
		n += <-total
	}
	fmt.Println(n)
	return err
}

func isConfigName(p string) bool {
	switch filepath.Ext(p) {
	case ".vmx", ".vmcx", ".vmrs", ".xml", ".conf", ".bak":
		return true
	}
	return false
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
