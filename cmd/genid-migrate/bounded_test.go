package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// TestEndlessInputs gives /dev/zero to every argument and flag that names
// a file: each run must be refused quickly, with the documented exit code,
// a message naming the file, and a peak RSS under 100 MB, never by
// running out of memory.
func TestEndlessInputs(t *testing.T) {
	bin := realBinary(t)
	const vmx = "../../fixtures/vmware/win2019-dc01.vmx"
	const dom = "../../fixtures/libvirt/crlf.xml"
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"show", "/dev/zero"}, 4, "/dev/zero: format not recognised (binary data starting 00"},
		{[]string{"convert", "--to", "qemu", "/dev/zero"}, 4, "/dev/zero: format not recognised"},
		{[]string{"show", "--from", "vmx", "/dev/zero"}, 4, "/dev/zero"},
		{[]string{"rewrite", "--from", "/dev/zero", dom}, 4, "source: /dev/zero: format not recognised"},
		{[]string{"rewrite", "--from", vmx, "/dev/zero"}, 4, "/dev/zero: not a document rewrite edits"},
		{[]string{"verify", "--expect", "/dev/zero", "--guest", "1:2"}, 4, "source: /dev/zero: format not recognised"},
		{[]string{"verify", "--expect", vmx, "--guest-file", "/dev/zero"}, 4, "/dev/zero: larger than 1 MiB: not guest evidence"},
		{[]string{"audit", "--pairs", "/dev/zero", vmx}, 4, "/dev/zero:1: line longer than 1 MiB"},
		{[]string{"inspect", "/dev/zero"}, 4, "/dev/zero: not a Hyper-V configuration"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testenv.Timeout(30*time.Second))
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, tc.args...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit %v, want %d: %s", err, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("stderr %q, want %q", stderr.String(), tc.msg)
			}
			if strings.Contains(stderr.String(), "goroutine") {
				t.Errorf("a Go runtime error: %s", stderr.String())
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
			t.Logf("%s, peak RSS %d MB", took.Round(time.Millisecond), rss>>10)
			if rss > 100<<10 {
				t.Errorf("peak RSS %d MB, want under 100 MB", rss>>10)
			}
		})
	}
}

// TestMemoryMultiple: reading a text configuration costs at most 8 times
// its size (plus the binary's own 40 MB), for the worst shapes a .vmx
// has: one key repeated, and every key distinct; an audit of five such
// files stays within twice one file's allowance, not five times it (it
// reads one large file at a time).
func TestMemoryMultiple(t *testing.T) {
	dir := t.TempDir()
	const size = 24 << 20
	write := func(name string, line func(i int) string) string {
		var b strings.Builder
		b.WriteString("config.version = \"8\"\n")
		for i := 0; b.Len() < size; i++ {
			b.WriteString(line(i))
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(b.String()), 0o644)
		return p
	}
	repeated := write("repeated.vmx", func(int) string { return "pad.key = \"0123456789abcdef\"\n" })
	distinct := write("distinct.vmx", func(i int) string { return fmt.Sprintf("k%d = \"v\"\n", i) })
	limit := int64(8*size+40<<20) >> 10 // KiB
	rss := func(args ...string) int64 {
		cmd := exec.Command(realBinary(t), args...)
		cmd.Run()
		return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	}
	for _, f := range []string{repeated, distinct} {
		got := rss("show", f)
		if got > limit {
			t.Errorf("show %s: peak %d KiB for %d KiB, over %d KiB", filepath.Base(f), got, size>>10, limit)
		}
		t.Logf("show %s (%d MiB): peak %d MiB", filepath.Base(f), size>>20, got>>10)
	}
	for i := 0; i < 3; i++ {
		b, _ := os.ReadFile(distinct)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("copy%d.vmx", i)), b, 0o644)
	}
	got := rss("audit", "-q", "--fail-on", "none", dir)
	if got > 2*limit {
		t.Errorf("audit of five such files: peak %d KiB, over %d KiB (one file's worth, twice for the collector)", got, 2*limit)
	}
	t.Logf("audit of five %d MiB files: peak %d MiB", size>>20, got>>10)
}
