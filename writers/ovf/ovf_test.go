package ovf

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	govmomiovf "github.com/vmware/govmomi/ovf"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	reader "github.com/genid-migrate/genid-migrate/readers/ovf"
)

// seed is the seed VMware VM's ID (vectors.json seed-vmware); other is
// the seed Hyper-V VM's (seed-hyperv).
var (
	seed  = genid.FromVMX(-8536691797830587195, -1723453263670062919)
	other = genid.MustParseGUID("be334a43-6992-fe6f-e489-09257a285a80")
)

func fixture(t testing.TB) string {
	b, err := os.ReadFile("../../fixtures/ovf/win2019-dc01.ovf")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// check reads the edited descriptor back and checks that only the edit's
// bytes changed.
func check(t *testing.T, in, out []byte, e Edit, id genid.ID) {
	t.Helper()
	if !bytes.Equal(out[:e.Start], in[:e.Start]) || !bytes.Equal(out[e.NewEnd:], in[e.OldEnd:]) {
		t.Errorf("bytes outside [%d, %d) changed", e.Start, e.OldEnd)
	}
	d, err := reader.Parse(out)
	if err != nil {
		t.Fatalf("the result does not read back: %v\n%s", err, out)
	}
	c, err := formats.OVFConfig(d)
	if err != nil {
		t.Fatalf("the result does not read back: %v\n%s", err, out)
	}
	if c.ID != id || c.GenIDLine != e.Line {
		t.Errorf("reads back as %s on line %d, want %s on line %d", c.ID, c.GenIDLine, id, e.Line)
	}
}

func TestSetGenID(t *testing.T) {
	base := fixture(t)
	genidLine := `      <vmw:ExtraConfig ovf:required="false" vmw:key="vm.genid" vmw:value="-8536691797830587195"/>` + "\n"
	genidXLine := `      <vmw:ExtraConfig ovf:required="false" vmw:key="vm.genidX" vmw:value="-1723453263670062919"/>` + "\n"
	none := strings.Replace(strings.Replace(base, genidLine, "", 1), genidXLine, "", 1)
	tests := []struct {
		name     string
		in       string
		inserted bool
	}{
		{"both replaced", base, false},
		{"both added after the last element", none, true},
		{"the high half added after the low", strings.Replace(base, genidXLine, "", 1), true},
		{"CRLF", strings.ReplaceAll(none, "\n", "\r\n"), true},
		{"no prefix bound to VMware's or the envelope's namespace", "<?xml version=\"1.0\"?>\n<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">\n  <VirtualSystem>\n    <Name>x</Name>\n    <VirtualHardwareSection>\n      <Info>hw</Info>\n    </VirtualHardwareSection>\n  </VirtualSystem>\n</Envelope>\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, e, err := SetGenID([]byte(tc.in), other)
			if err != nil {
				t.Fatal(err)
			}
			if e.Inserted != tc.inserted {
				t.Errorf("inserted %v, want %v", e.Inserted, tc.inserted)
			}
			check(t, []byte(tc.in), out, e, other)
		})
	}
}

func TestSetGenIDRefuses(t *testing.T) {
	base := fixture(t)
	twice := strings.Replace(base, "</VirtualHardwareSection>", `  <vmw:ExtraConfig ovf:required="false" vmw:key="VM.GENID" vmw:value="1"/>
    </VirtualHardwareSection>`, 1)
	for name, tc := range map[string]struct{ in, want string }{
		"a key twice":  {twice, "line 60: vm.genid is set twice (line 58 too)"},
		"no section":   {"<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'><VirtualSystem/></Envelope>", "no VirtualHardwareSection"},
		"an empty one": {"<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'><VirtualSystem><VirtualHardwareSection/></VirtualSystem></Envelope>", "holds no element"},
		"two of them":  {"<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'><VirtualSystemCollection><VirtualSystem><VirtualHardwareSection><Info/></VirtualHardwareSection></VirtualSystem><VirtualSystem><VirtualHardwareSection><Info/></VirtualHardwareSection></VirtualSystem></VirtualSystemCollection></Envelope>", "2 VirtualHardwareSections"},
		"not XML":      {"<Envelope", "not a well-formed descriptor"},
	} {
		if _, _, err := SetGenID([]byte(tc.in), seed); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// FuzzSetGenID: whatever descriptor the reader reads as one VM (with or
// without an ID), the edit reads back as the ID and changes only its span.
func FuzzSetGenID(f *testing.F) {
	f.Add(fixture(f))
	f.Add("<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'><VirtualSystem><VirtualHardwareSection><Info/></VirtualHardwareSection></VirtualSystem></Envelope>")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		d, err := reader.Parse([]byte(in))
		if err != nil {
			return
		}
		_ = d
		out, e, err := SetGenID([]byte(in), other)
		if err != nil {
			return // refused (no section, a key twice): refusing is allowed, changing is not
		}
		check(t, []byte(in), out, e, other)
	})
}

// TestGovmomiReadsIt: govmomi's OVF package, which govc and other vSphere
// tools deploy with, reads the edited descriptor and finds the two keys.
func TestGovmomiReadsIt(t *testing.T) {
	none := strings.Replace(fixture(t), `      <vmw:ExtraConfig ovf:required="false" vmw:key="vm.genid" vmw:value="-8536691797830587195"/>`+"\n", "", 1)
	for _, in := range []string{fixture(t), none} {
		out, _, err := SetGenID([]byte(in), other)
		if err != nil {
			t.Fatal(err)
		}
		env, err := govmomiovf.Unmarshal(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range env.VirtualSystem.VirtualHardware[0].ExtraConfig {
			got[c.Key] = c.Value
		}
		g, x := other.VMX()
		if got["vm.genid"] != strconv.FormatInt(g, 10) || got["vm.genidX"] != strconv.FormatInt(x, 10) {
			t.Errorf("govmomi reads %v", got)
		}
	}
}
