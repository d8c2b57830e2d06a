package libvirt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
	reader "github.com/genid-migrate/genid-migrate/readers/libvirt"
)

// corpus returns the bundled domain XMLs.
func corpus(t testing.TB) map[string][]byte {
	files, _ := filepath.Glob("../../fixtures/libvirt/*.xml")
	more, _ := filepath.Glob("../../fixtures/negative/no-id/*.xml")
	out := map[string][]byte{}
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	if len(out) < 7 {
		t.Fatalf("only %d corpus files", len(out))
	}
	return out
}

// splitLines splits after each "\n", keeping line ends.
func splitLines(b []byte) []string { return strings.SplitAfter(string(b), "\n") }

func TestSetGenIDCorpus(t *testing.T) {
	id := genid.FromVMX(-8536691797830587195, -1723453263670062919) // vectors.json seed-vmware
	el := "<genid>09512cc5-940a-8987-b950-f54f631015e8</genid>"
	for name, doc := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			out, edit, err := SetGenID(doc, id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out[:edit.Start], doc[:edit.Start]) || !bytes.Equal(out[edit.NewEnd:], doc[edit.OldEnd:]) {
				t.Fatal("bytes outside the edit changed")
			}
			before, after := splitLines(doc), splitLines(out)
			crlf := bytes.Contains(doc, []byte("\r\n"))
			switch {
			case edit.Inserted:
				if len(after) != len(before)+1 {
					t.Fatalf("inserted: %d lines, was %d", len(after), len(before))
				}
				line := after[edit.Line-1]
				if strings.TrimSpace(line) != el || crlf != strings.HasSuffix(line, "\r\n") {
					t.Errorf("inserted line %d = %q", edit.Line, line)
				}
				prev := after[edit.Line-2]
				if indent(line) != indent(prev) {
					t.Errorf("inserted indent %q, neighbour %q", indent(line), indent(prev))
				}
				if strings.Join(append(after[:edit.Line-1:edit.Line-1], after[edit.Line:]...), "") != string(doc) {
					t.Error("removing the inserted line does not give the input back")
				}
			default:
				if len(after) != len(before) {
					t.Fatalf("replaced: %d lines, was %d", len(after), len(before))
				}
				changed := 0
				for i := range before {
					if before[i] != after[i] {
						changed++
						if !strings.Contains(after[i], el) || i+1 != edit.Line {
							t.Errorf("line %d = %q", i+1, after[i])
						}
					}
				}
				if changed != 1 {
					t.Errorf("%d lines changed, want 1", changed)
				}
			}
			d, err := reader.Parse(out)
			if name == "esx-dumpxml.xml" {
				// A vmware domain reads <genid> in libvirt's VMX convention.
				if err != nil || d.Convention != reader.ConvVMware {
					t.Errorf("re-read: %v %v", d, err)
				}
				return
			}
			if name == "qemu-commandline.xml" {
				if err == nil {
					t.Error("re-read accepted <genid> beside a <qemu:commandline> vmgenid device")
				}
				return
			}
			if err != nil || d.ID != id {
				t.Errorf("re-read = %v, %v; want %s", d, err, id)
			}
		})
	}
}

func indent(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " \t"))] }

func TestSetGenIDErrors(t *testing.T) {
	id := genid.MustParseGUID("44332211-6655-8877-99aa-bbccddeeff00")
	for _, in := range []string{
		"<domain type='kvm'><genid/><genid/></domain>",
		"<domain type='kvm'><memory>1</memory></domain>",
		"<network><name>x</name></network>",
		"<domain type='kvm'><name>x</name>",
	} {
		if _, _, err := SetGenID([]byte(in), id); err == nil {
			t.Errorf("SetGenID(%q) succeeded", in)
		}
	}
}

func TestSetGenIDOneLine(t *testing.T) {
	// A document on one line gets the element with no new line.
	out, edit, err := SetGenID([]byte("<domain type='kvm'><name>x</name><uuid>u</uuid><memory>1</memory></domain>"), genid.MustParseGUID("44332211-6655-8877-99aa-bbccddeeff00"))
	want := "<domain type='kvm'><name>x</name><uuid>u</uuid><genid>44332211-6655-8877-99aa-bbccddeeff00</genid><memory>1</memory></domain>"
	if err != nil || string(out) != want || edit.Line != 1 {
		t.Errorf("SetGenID = %s, %+v, %v\nwant %s", out, edit, err, want)
	}
}

// FuzzSetGenID checks, for any document SetGenID accepts: the bytes outside
// the edit are unchanged, and a qemu or kvm domain without a command-line
// device re-reads to the new ID.
func FuzzSetGenID(f *testing.F) {
	for _, doc := range corpus(f) {
		f.Add(doc, []byte("\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00"))
	}
	f.Fuzz(func(t *testing.T, doc, raw []byte) {
		if len(doc) > 1<<20 || len(raw) != 16 {
			return
		}
		id := genid.ID(raw)
		out, edit, err := SetGenID(doc, id)
		if err != nil {
			return
		}
		if edit.Start > edit.OldEnd || edit.OldEnd > int64(len(doc)) || edit.NewEnd > int64(len(out)) ||
			!bytes.Equal(out[:edit.Start], doc[:edit.Start]) || !bytes.Equal(out[edit.NewEnd:], doc[edit.OldEnd:]) {
			t.Fatalf("bytes outside the edit changed: %+v", edit)
		}
		before, err := reader.Parse(doc)
		if before == nil || (before.Type != "qemu" && before.Type != "kvm") || before.QEMUArgs != nil {
			return
		}
		var ie *genid.InputError
		if err != nil && errors.As(err, &ie) && ie.Key != "genid" {
			return // a problem elsewhere in the domain stays
		}
		d, err := reader.Parse(out)
		if id.IsZero() {
			return
		}
		if err != nil || d.ID != id {
			t.Fatalf("re-read = %v, %v; want %s\n%s", d, err, id, out)
		}
	})
}
