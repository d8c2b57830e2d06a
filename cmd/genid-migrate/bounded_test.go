package main

import (
	"context"
	"errors"
	"os/exec"
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
