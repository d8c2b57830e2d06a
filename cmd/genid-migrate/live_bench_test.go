package main

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// BenchmarkLibvirtAudit compares `genid-migrate audit --jsonl` of a libvirt
// host with 1 000 defined domains against what virsh needs to read the
// same: one virsh session that lists every domain and dumps each one's
// inactive XML. Both are separate processes talking to the same session
// daemon's test driver over its socket, loaded from a node file (the test
// driver's state is per connection, so the 1 000 domains are in the
// file). The domains run, so the audit also reads each one's live XML:
// twice virsh's calls. Each iteration runs both in alternating order; the
// median of the per-iteration ratios is reported as x-virsh.
//
//	go test -run '^$' -bench LibvirtAudit -benchtime 5x ./cmd/genid-migrate
func BenchmarkLibvirtAudit(b *testing.B) {
	d := testenv.LibvirtSession(b)
	const n = 1000
	var node strings.Builder
	node.WriteString("<node>\n")
	for i := 0; i < n; i++ {
		g := i
		if i%100 == 1 {
			g-- // every 100th pair shares an ID
		}
		fmt.Fprintf(&node, "<domain type='qemu'><name>d%04d</name><uuid>%08x-0000-4000-8000-000000000000</uuid><genid>%08x-940a-8987-b950-f54f631015e8</genid><memory>131072</memory><os><type arch='x86_64'>hvm</type></os><features><acpi/></features></domain>\n", i, i+1, g+1)
	}
	node.WriteString("</node>\n")
	file := d.WriteFile(b, "node.xml", []byte(node.String()))
	// test+unix: virsh reads a plain test:/// URI with its own in-process
	// driver, never the daemon; both must go through the daemon.
	uri := "test+unix://" + file + "?socket=" + d.Socket
	var script strings.Builder
	script.WriteString("list --all --name\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&script, "dumpxml --inactive d%04d\n", i)
	}
	bin := realBinary(b)
	ours := func() {
		cmd := exec.Command(bin, "audit", "--jsonl", "--fail-on", "none", uri)
		out, err := cmd.Output()
		if err != nil || strings.Count(string(out), `"type":"record"`) != n {
			b.Fatalf("audit: %v, %d records", err, strings.Count(string(out), `"type":"record"`))
		}
	}
	virsh := func() {
		cmd := exec.Command("virsh", "-c", uri)
		cmd.Stdin = strings.NewReader(script.String())
		out, err := cmd.Output()
		if err != nil || strings.Count(string(out), "<genid>") != n {
			b.Fatalf("virsh: %v, %d domains", err, strings.Count(string(out), "<genid>"))
		}
	}
	var ratios []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run := func(f func()) time.Duration { t := time.Now(); f(); return time.Since(t) }
		var to, tv time.Duration
		if i%2 == 0 {
			to, tv = run(ours), run(virsh)
		} else {
			tv, to = run(virsh), run(ours)
		}
		ratios = append(ratios, to.Seconds()/tv.Seconds())
	}
	sort.Float64s(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "x-virsh")
	_ = os.Remove(file)
}
