package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// domainWith returns a libvirt domain of about size bytes holding genid.
func domainWith(genid string, size int) []byte {
	pad := strings.Repeat("  <!-- padding to make a multi-megabyte domain, as a large <description> would -->\n", size/84+1)
	return []byte("<domain type='kvm'>\n  <name>dc01</name>\n  <uuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</uuid>\n  <genid>" + genid + "</genid>\n" + pad + "</domain>\n")
}

// TestConcurrentRewrites: 200 pairs of rewrite --in-place on one file, at
// the same time, with different IDs: every change either lands or its
// process says it did not (exit non-zero), never both report success.
func TestConcurrentRewrites(t *testing.T) {
	bin := realBinary(t)
	dir := t.TempDir()
	dom := filepath.Join(dir, "dom.xml")
	ids := []string{"--guid=44332211-6655-8877-99aa-bbccddeeff00", "--guid=09512cc5-940a-8987-b950-f54f631015e8"}
	lost := 0
	for trial := 0; trial < 200; trial++ {
		os.WriteFile(dom, domainWith("be334a43-6992-fe6f-e489-09257a285a80", 64<<10), 0o644)
		var wg sync.WaitGroup
		ok := make([]bool, 2)
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				// Each keeps a backup of what it read and edited.
				ok[i] = exec.Command(bin, "rewrite", "--force", "--in-place", "--backup", fmt.Sprintf(".read%d", i), ids[i], dom).Run() == nil
			}(i)
		}
		wg.Wait()
		b, _ := os.ReadFile(dom)
		read := func(i int) []byte { r, _ := os.ReadFile(fmt.Sprintf("%s.read%d", dom, i)); return r }
		mark := []string{"44332211-6655", "09512cc5-940a"}
		switch {
		case ok[0] && ok[1]:
			// Both landed, one after the other: the later must have
			// read the earlier's result, else that change was lost.
			if !bytes.Contains(read(0), []byte(mark[1])) && !bytes.Contains(read(1), []byte(mark[0])) {
				lost++
			}
		case ok[0] && !bytes.Contains(b, []byte(mark[0])), ok[1] && !bytes.Contains(b, []byte(mark[1])):
			t.Fatalf("trial %d: the successful edit is not in the file", trial)
		}
	}
	if lost > 0 {
		t.Fatalf("%d of 200 trials: both processes reported success and one change was lost", lost)
	}
}

// TestKilledRewrites: rewrite --in-place [--backup] killed (SIGKILL) at
// random instants, on small and multi-megabyte domains: the file always
// holds the old or the new document, never a part, and no temporary file
// of ours survives the next run.
func TestKilledRewrites(t *testing.T) {
	bin := realBinary(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 31))
	guids := []string{"44332211-6655-8877-99aa-bbccddeeff00", "09512cc5-940a-8987-b950-f54f631015e8"}
	trials := 1000
	if testing.Short() {
		trials = 100
	}
	killed, landed := 0, 0
	for trial := 0; trial < trials; trial++ {
		size := 4 << 10
		if trial%4 == 0 {
			size = 4 << 20
		}
		dom := filepath.Join(dir, fmt.Sprintf("dom%d.xml", trial%2))
		old := domainWith(guids[trial%2], size)
		if trial < 2 {
			os.WriteFile(dom, old, 0o644)
		} else if b, _ := os.ReadFile(dom); !bytes.Equal(b, old) && !bytes.Equal(b, domainWith(guids[1-trial%2], size)) {
			os.WriteFile(dom, old, 0o644) // a different size this round
		}
		before, _ := os.ReadFile(dom)
		want := domainWith(guids[1-trial%2], size)
		if bytes.Equal(before, want) {
			want = domainWith(guids[trial%2], size)
		}
		target := "--guid=" + string(want[bytes.Index(want, []byte("<genid>"))+7:][:36])
		args := []string{"rewrite", "--force", "--in-place", target, dom}
		if trial%3 == 0 {
			args = append(args, "--backup")
		}
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(8000+size/100)) * time.Microsecond) // longer for large files, which take longer to write
		cmd.Process.Kill()
		if err := cmd.Wait(); err != nil {
			killed++
		}
		after, _ := os.ReadFile(dom)
		switch {
		case bytes.Equal(after, want):
			landed++
		case bytes.Equal(after, before):
		default:
			t.Fatalf("trial %d: the file is neither the old nor the new document (%d bytes)", trial, len(after))
		}
	}
	// The next run removes what killed runs left.
	for _, name := range []string{"dom0.xml", "dom1.xml"} {
		out, err := exec.Command(bin, "rewrite", "--force", "--in-place", "--guid=be334a43-6992-fe6f-e489-09257a285a80", filepath.Join(dir, name)).CombinedOutput()
		if err != nil {
			t.Fatalf("%s", out)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*genid-migrate-tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left after the next run: %q", left)
	}
	t.Logf("%d runs killed at random instants (%d before they exited), %d landed, 0 partial files", trials, killed, landed)
}

// TestOwnerChangeSaid: a user who may replace a file it does not own (a
// writable directory) changes its owner; rewrite says so.
func TestOwnerChangeSaid(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a file owned by another user")
	}
	requireTools(t, "setpriv")
	dir, err := os.MkdirTemp("", "gm-owner-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o777)
	dom := filepath.Join(dir, "dom.xml")
	os.WriteFile(dom, domainWith("be334a43-6992-fe6f-e489-09257a285a80", 1<<10), 0o666)
	bin := filepath.Join(dir, "genid-migrate")
	b, _ := os.ReadFile(realBinary(t))
	os.WriteFile(bin, b, 0o755)
	out, err := exec.Command("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", bin, "rewrite", "--force", "--in-place", "--guid=09512cc5-940a-8987-b950-f54f631015e8", dom).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "was owned by 0:0 and is now owned by") {
		t.Errorf("%v: %s", err, out)
	}
}
