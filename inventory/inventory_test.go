package inventory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/formats"
)

// items lists what an inventory yields, reading each item.
func items(t *testing.T, sources []Source) []*Record {
	t.Helper()
	var recs []*Record
	buf := make([]byte, 8<<10)
	for _, s := range sources {
		err := s.Items(context.Background(), func(it Item) bool {
			recs = append(recs, it.Read(buf).Records...)
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return recs
}

// TestOpen: paths are file trees read in walk order, a directory named
// twice is read once, a registered scheme goes to its package and an
// unknown one is refused.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	vmx := "displayName = \"x\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n"
	for _, name := range []string{"b.vmx", "a/c.vmx", "a.vmx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(vmx), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sources, err := Open(context.Background(), []string{dir, filepath.Join(dir, "a")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range items(t, sources) {
		got = append(got, strings.TrimPrefix(r.Path, dir)+" "+string(r.Status)+" "+r.Message)
	}
	want := []string{"/a/c.vmx ok ", "/a.vmx ok ", "/b.vmx ok ", "/a error already scanned as " + filepath.Join(dir, "a") + " (a symbolic link loop?)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("records\n%q\nwant\n%q", got, want)
	}

	if _, err := Open(context.Background(), []string{"nope://host/"}, Options{}); err == nil || !strings.Contains(err.Error(), "no inventory reads nope:// URIs") {
		t.Errorf("unknown scheme: %v", err)
	}
	Register("test-inventory", func(_ context.Context, uri string, opt Options) (Source, error) {
		return nil, errors.New("opened " + uri + " with " + opt.Password)
	})
	if !IsURI("test-inventory://x/") || IsURI("nope://x/") || IsURI("dir/a://b") {
		t.Error("IsURI does not follow the registered schemes")
	}
	if _, err := Open(context.Background(), []string{"test-inventory://x/"}, Options{Password: "pw"}); err == nil || err.Error() != "opened test-inventory://x/ with pw" {
		t.Errorf("registered scheme: %v", err)
	}
	// A missing path is an error record of the walk, not the end of it.
	srcs, err := Open(context.Background(), []string{filepath.Join(dir, "missing"), filepath.Join(dir, "b.vmx")}, Options{})
	if err != nil || len(srcs) != 2 {
		t.Fatalf("a missing path among others: %v", err)
	}
	var items []Item
	srcs[0].Items(context.Background(), func(it Item) bool { items = append(items, it); return true })
	if len(items) != 1 {
		t.Fatalf("items of a missing path: %d", len(items))
	}
	if b := items[0].Read(make([]byte, 8<<10)); len(b.Records) != 1 || b.Records[0].Status != formats.StatusError || !strings.Contains(b.Records[0].Message, "no such file") {
		t.Errorf("a missing path: %+v", b.Records[0])
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"vpx://admin:s3cret@vc.example.com/?no_verify=1":      "vpx://admin:***@vc.example.com/?no_verify=1",
		"vpx://administrator%40vsphere.local@vc.example.com/": "vpx://administrator%40vsphere.local@vc.example.com/",
		"qemu:///system":    "qemu:///system",
		"vpx://a:b c@h%zz/": "vpx://a:***@h%zz/",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFIFOAfterListing: a file that is a named pipe by the time it is
// read gives an error record at once instead of hanging the audit.
func TestFIFOAfterListing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "dc01.vmx")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no mkfifo here:", err)
	}
	f := &file{path: p} // listed as a regular file, now a pipe
	done := make(chan Batch, 1)
	go func() { done <- f.Read(make([]byte, 8<<10)) }()
	select {
	case b := <-done:
		if len(b.Records) != 1 || b.Records[0].Status != formats.StatusError || !strings.Contains(b.Records[0].Message, "named pipe") {
			t.Errorf("%+v", b.Records)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe hung")
	}
}

// TestStreamReport: records come one by one as they are decoded, and a
// damaged line stops the stream with its number after the records before
// it.
func TestStreamReport(t *testing.T) {
	report := `{"type":"header","schema_version":1,"tool":"genid-migrate"}
{"type":"record","path":"a.vmx","format":"vmx","status":"ok"}
{"type":"record","path":"b.vmx","format":"vmx","status":"ok"}
{"type":"record","path":"c.vmx" broken
{"type":"record","path":"d.vmx","format":"vmx","status":"ok"}
`
	var got []string
	err := StreamReport(strings.NewReader(report), "reports/paris.jsonl", func(r *Record) error {
		got = append(got, r.Path+"@"+r.Site)
		return nil
	})
	if strings.Join(got, " ") != "a.vmx@paris b.vmx@paris" || err == nil || !strings.HasPrefix(err.Error(), "line 4: ") {
		t.Errorf("%q, %v", got, err)
	}
}
