package edit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// The seed VMware VM (vectors.json seed-vmware) and the seed Hyper-V VM.
var (
	seed  = genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	other = genid.MustParseGUID("be334a43-6992-fe6f-e489-09257a285a80")
)

const dom = "<domain type='kvm'>\n  <name>dc01</name>\n  <uuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</uuid>\n  <features><acpi/></features>\n</domain>\n"

func TestPrepare(t *testing.T) {
	withSeed := strings.Replace(dom, "</uuid>\n", "</uuid>\n  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n", 1)
	tests := []struct {
		name, doc string
		id        genid.ID
		force     bool
		action    Action
		line      int
		err       string
	}{
		{"insert", dom, seed, false, Insert, 4, ""},
		{"unchanged", withSeed, seed, false, Unchanged, 4, ""},
		{"different", withSeed, other, false, "", 0, "already holds a different generation ID"},
		{"forced", withSeed, other, true, Replace, 4, ""},
		{"vmware", strings.Replace(withSeed, "kvm", "vmware", 1), seed, false, "", 0, "Convert the domain first, or use --force"},
		{"malformed", strings.Replace(withSeed, "09512cc5-940a", "{9512cc5-940a", 1), seed, false, "", 0, "--force replaces it"},
		{"malformed forced", strings.Replace(withSeed, "09512cc5-940a", "{9512cc5-940a", 1), seed, true, Replace, 4, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Prepare(Libvirt, "a: b.xml", []byte(tc.doc), tc.id, "src.vmx", tc.force)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Prepare: %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Action != tc.action || p.Line != tc.line {
				t.Errorf("action %s on line %d, want %s on line %d", p.Action, p.Line, tc.action, tc.line)
			}
			got, err := Libvirt.Carried(p.After)
			if err != nil || got != tc.id {
				t.Errorf("the result carries %s (%v), want %s", got, err, tc.id)
			}
		})
	}
}

// TestDescribe: messages are built from the plan, whatever the document's
// name holds (": " once became ": would ").
func TestDescribe(t *testing.T) {
	p, err := Prepare(Libvirt, "a: b.xml", []byte(dom), seed, "src.vmx", false)
	if err != nil {
		t.Fatal(err)
	}
	for tense, want := range map[Tense]string{
		Will:  "a: b.xml: insert <genid>09512cc5-940a-8987-b950-f54f631015e8</genid> on line 4 (the guest will see 8987940a09512cc5:e81510634ff550b9)",
		Would: "a: b.xml: would insert <genid>09512cc5-940a-8987-b950-f54f631015e8</genid> on line 4 (the guest will see 8987940a09512cc5:e81510634ff550b9)",
		Done:  "a: b.xml: inserted <genid>09512cc5-940a-8987-b950-f54f631015e8</genid> on line 4 (the guest will see 8987940a09512cc5:e81510634ff550b9)",
	} {
		if got := p.Describe(tense); got != want {
			t.Errorf("Describe(%d) = %q\nwant %q", tense, got, want)
		}
	}
	q, err := Prepare(Libvirt, "a: b.xml", p.After, other, "src.vmx", true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.Describe(Would), "a: b.xml:4: would replace <genid> with be334a43-6992-fe6f-e489-09257a285a80 (the guest will see fe6f6992be334a43:805a287a250989e4)"; got != want {
		t.Errorf("Describe(Would) = %q\nwant %q", got, want)
	}
	u, err := Prepare(Libvirt, "a: b.xml", p.After, seed, "src.vmx", false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Describe(Would), "a: b.xml: <genid> already gives the guest 8987940a09512cc5:e81510634ff550b9; nothing to change"; got != want {
		t.Errorf("Describe(Would) of an unchanged plan = %q", got)
	}
}

// TestWrite: the file is replaced, a backup kept, and a file changed
// since it was read is refused.
func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dom.xml")
	if err := os.WriteFile(path, []byte(dom), 0o640); err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(Libvirt, path, []byte(dom), seed, "src.vmx", false)
	if err != nil {
		t.Fatal(err)
	}
	backup, err := p.Write(path, ".bak")
	if err != nil || backup != path+".bak" {
		t.Fatalf("Write: %q, %v", backup, err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(p.After) {
		t.Error("the file does not hold the edit")
	}
	if b, _ := os.ReadFile(backup); string(b) != dom {
		t.Error("the backup does not hold the original")
	}
	if _, err := p.Write(path, ""); err == nil {
		t.Error("a file changed since it was read was replaced")
	}
	var fe *ForceError
	if _, err := Prepare(Libvirt, path, p.After, other, "src.vmx", false); !errors.As(err, &fe) {
		t.Errorf("a different ID without --force: %v, want a ForceError", err)
	}
}
