package vsphere

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/inventory"
)

// BenchmarkAudit compares, against the simulator, an audit of a vCenter
// (log in, read the estate, make the records and findings, write JSON
// lines) with the floor: logging in and retrieving the same properties of
// the same VMs, nothing else. Each iteration runs both, in alternating
// order; the median of the per-iteration ratios is reported as x-floor,
// with the audit's VMs per second. GENID_BENCH_VMS lists the estate sizes
// (default 1000; creating the simulator's VMs takes about 17 s per 1 000):
//
//	GENID_BENCH_VMS=1000,10000 go test -run '^$' -bench Audit -benchtime 5x -timeout 1h ./inventory/vsphere
func BenchmarkAudit(b *testing.B) {
	sizes := os.Getenv("GENID_BENCH_VMS")
	if sizes == "" {
		sizes = "1000"
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("vms=%d", n), func(b *testing.B) { benchAudit(b, n) })
	}
}

func benchAudit(b *testing.B, vms int) {
	start := time.Now()
	m := simulator.VPX()
	m.Machine = vms / 2 // VPX has two pools: a standalone host's and a cluster's
	m.Autostart = false
	if err := m.Create(); err != nil {
		b.Fatal(err)
	}
	defer m.Remove()
	// Plant IDs on every VM in the simulator's memory (ReconfigVM_Task per
	// VM would take as long again); every 100th pair shares one.
	all := m.Map().All("VirtualMachine")
	for i, e := range all {
		vm := e.(*simulator.VirtualMachine)
		k := int64(i)
		if i%100 == 1 {
			k--
		}
		vm.Config.ExtraConfig = append(vm.Config.ExtraConfig,
			&types.OptionValue{Key: "vm.genid", Value: strconv.FormatInt(-8536691797830587195+k, 10)},
			&types.OptionValue{Key: "vm.genidX", Value: strconv.FormatInt(-1723453263670062919-k, 10)})
	}
	m.Service.TLS = new(tls.Config)
	srv := m.Service.NewServer()
	defer srv.Close()
	b.Logf("simulator with %d VMs ready in %s", len(all), time.Since(start).Round(time.Second))
	p, _ := srv.URL.User.Password()
	uri := "vpx://" + url.UserPassword(srv.URL.User.Username(), p).String() + "@" + srv.URL.Host + "/?no_verify=1"
	sdk := &url.URL{Scheme: "https", Host: srv.URL.Host, Path: "/sdk"}

	floor := func() {
		ctx := context.Background()
		c, err := vim25.NewClient(ctx, soap.NewClient(sdk, true))
		if err != nil {
			b.Fatal(err)
		}
		sm := session.NewManager(c)
		if err := sm.Login(ctx, srv.URL.User); err != nil {
			b.Fatal(err)
		}
		v, err := view.NewManager(c).CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
		if err != nil {
			b.Fatal(err)
		}
		var content []types.ObjectContent
		if err := v.Retrieve(ctx, []string{"VirtualMachine"}, vmProps, &content); err != nil || len(content) != len(all) {
			b.Fatal(len(content), err)
		}
		v.Destroy(ctx)
		sm.Logout(ctx)
	}
	auditRun := func() {
		sources, err := inventory.Open(context.Background(), []string{uri}, inventory.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w := audit.NewJSONLWriter(io.Discard)
		res, err := audit.Run(sources, audit.Options{Emit: w.Record})
		if err != nil || res.Summary.Configs != len(all) || res.Summary.Findings["duplicate"] != len(all)/100 {
			b.Fatalf("%d records, %v findings: %v", res.Summary.Configs, res.Summary.Findings, err)
		}
		w.Finish(res)
		inventory.CloseAll(sources)
	}
	var ratios []float64
	var auditTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var tf, ta time.Duration
		run := func(f func()) time.Duration { t := time.Now(); f(); return time.Since(t) }
		if i%2 == 0 {
			tf, ta = run(floor), run(auditRun)
		} else {
			ta, tf = run(auditRun), run(floor)
		}
		ratios = append(ratios, ta.Seconds()/tf.Seconds())
		auditTime += ta
	}
	sort.Float64s(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "x-floor")
	b.ReportMetric(float64(len(all)*b.N)/auditTime.Seconds(), "VMs/s")
}
