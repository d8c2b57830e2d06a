package proxmox

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/genid-migrate/genid-migrate/genid"
)

// The line shapes as regular expressions, as parse_vm_config in
// qemu-server's src/PVE/QemuServer.pm (2026-08) writes them, in the order
// it tries them: the reference the hand-written matchers are checked
// against.
var (
	keyLineRE = regexp.MustCompile(`^([a-z][a-z_\-]*\d*):\s*(.+?)\s*$`)
	headerREs = []*regexp.Regexp{
		regexp.MustCompile(`^\[((?i)PENDING)\]\s*$`),
		regexp.MustCompile(`^\[((?i)special:(?:cloudinit|fleecing))\]\s*$`),
		regexp.MustCompile(`^\[((?i)[a-z][a-z0-9_\-]+)\]\s*$`),
		regexp.MustCompile(`^\[([^\]]*)\]\s*$`),
	}
	headerKinds = []string{pendingSection, specialSection, snapshotSection, unknownSection}
)

// headerRE matches s as qemu-server does: the first expression that
// matches decides the kind.
func headerRE(s string) (name, kind string, ok bool) {
	for i, re := range headerREs {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1], headerKinds[i], true
		}
	}
	return "", "", false
}

// FuzzLineShapes checks the hand-written line matchers against the
// regular expressions they implement.
func FuzzLineShapes(f *testing.F) {
	for _, s := range []string{"vmgenid: 1", "net0:virtio=AA:BB", "[snap1]", "[PENDING] ", "[special:cloudinit]", "[Special:Fleecing]", "[special:x]", "[bad name]", "[]", "a1b: x", "[a]b]", "key:\t v \f", "[x-y_z9]", "spice-x: 1", "vmgenid:", "vmgenid: \t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\n") || !utf8.ValidString(s) {
			return // lines hold no LF; Proxmox's files are UTF-8
		}
		k, v, ok := keyLine(s)
		if m := keyLineRE.FindStringSubmatch(s); (m != nil) != ok || ok && (m[1] != k || m[2] != v) {
			t.Fatalf("keyLine(%q) = %q, %q, %v; the expression gives %q", s, k, v, ok, m)
		}
		name, kind, ok := headerLine(s)
		if wn, wk, wok := headerRE(s); wok != ok || ok && (wn != name || wk != kind) {
			t.Fatalf("headerLine(%q) = %q, %s, %v; the expressions give %q, %s, %v", s, name, kind, ok, wn, wk, wok)
		}
	})
}

// FuzzRead checks that errors carry a line, that a successful read returns
// a non-zero ID that survives being written back as a vmgenid line, and that
// snapshot sections never leak into the main section.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/proxmox/*.conf")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("vmgenid: 1\n[s]\nvmgenid: 0\n")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<20 {
			return
		}
		c, err := Read(strings.NewReader(in))
		var ie *genid.InputError
		if errors.As(err, &ie) {
			if ie.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if genid.ClassOf(err) == genid.ClassNotVM {
			return
		}
		if c == nil {
			t.Fatalf("nil Config with error %v", err)
		}
		if err != nil {
			if !errors.Is(err, genid.ErrNotFound) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		if c.ID.IsZero() || c.State != Set {
			t.Fatalf("success with state %s and ID %s", c.State, c.ID)
		}
		if c.ID.IsZero() {
			t.Fatal("success without an ID")
		}
		again, err := Read(strings.NewReader("vmgenid: " + c.ID.GUID() + "\n"))
		if err != nil || again.ID != c.ID {
			t.Fatalf("ID %s does not survive being written back: %v", c.ID, err)
		}
		// The main section alone (up to the first section header) holds the same ID.
		lines := strings.SplitAfter(in, "\n")
		for i, l := range lines {
			if _, _, ok := headerLine(strings.TrimRight(l, "\r\n")); ok {
				main, err := Read(strings.NewReader(strings.Join(lines[:i], "")))
				if err != nil || main.ID != c.ID {
					t.Fatalf("the main section alone gives %v, %v; the whole file %s", main, err, c.ID)
				}
				break
			}
		}
	})
}
