package ovf

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/genid-migrate/genid-migrate/genid"
)

func fixture(t testing.TB) []byte {
	b, err := os.ReadFile("../../fixtures/ovf/win2019-dc01.ovf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ova packs members into a tar archive in order.
func ova(t testing.TB, members ...any) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i+1 < len(members); i += 2 {
		name, data := members[i].(string), members[i+1].([]byte)
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Format: tar.FormatUSTAR})
		tw.Write(data)
	}
	tw.Close()
	return buf.Bytes()
}

func TestParse(t *testing.T) {
	d, err := Parse(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "win2019-dc01" || d.SystemID != "win2019-dc01" || len(d.ExtraConfig) != 4 {
		t.Fatalf("%+v", d)
	}
	// vectors.json seed-vmware, as the fixture holds it.
	want := []ExtraConfig{{"nvram", "win2019-dc01.nvram", 56}, {"svga.present", "TRUE", 57}, {"vm.genid", "-8536691797830587195", 58}, {"vm.genidX", "-1723453263670062919", 59}}
	for i, e := range d.ExtraConfig {
		if e != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, e, want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	base := string(fixture(t))
	tests := []struct {
		name, in string
		class    genid.Class
		want     string
	}{
		{"two systems", strings.Replace(base, "</VirtualSystem>", "</VirtualSystem><VirtualSystem ovf:id='b'><Info/></VirtualSystem>", 1), genid.ClassUnsupported, "2 virtual systems"},
		{"no system", "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'/>", genid.ClassNotVM, "no VirtualSystem"},
		{"another root", "<configuration/>", genid.ClassNotVM, "not an OVF Envelope"},
		{"broken", strings.Replace(base, "</Name>", "</Nam>", 1), genid.ClassMalformed, "line 19: XML syntax error"},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.in))
		if genid.ClassOf(err) != tc.class || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (%s), want %s with %q", tc.name, err, genid.ClassOf(err), tc.class, tc.want)
		}
	}
	// Entries elsewhere than directly in the VirtualHardwareSection are not settings.
	nested := strings.Replace(base, `<vmw:ExtraConfig ovf:required="false" vmw:key="nvram"`, `<Item><vmw:ExtraConfig vmw:key="x" vmw:value="y"/></Item><vmw:ExtraConfig ovf:required="false" vmw:key="nvram"`, 1)
	if d, err := Parse([]byte(nested)); err != nil || len(d.ExtraConfig) != 4 {
		t.Errorf("a nested vmw:ExtraConfig was read: %+v, %v", d, err)
	}
}

func TestOVA(t *testing.T) {
	ovf := fixture(t)
	good := ova(t, "dc01.ovf", ovf, "dc01.mf", []byte("SHA256(dc01.ovf)= 00\n"), "dc01-disk1.vmdk", make([]byte, 4096))
	if !IsOVA(good[:min(len(good), 8192)]) {
		t.Fatal("IsOVA does not see the archive")
	}
	d, err := ReadOVA(bytes.NewReader(good), int64(len(good)))
	if err != nil || len(d.ExtraConfig) != 4 || d.Member != "dc01.ovf" {
		t.Fatalf("ReadOVA: %+v, %v", d, err)
	}
	late := ova(t, "dc01.mf", []byte("x"), "dc01.ovf", ovf)
	if IsOVA(late) {
		t.Error("IsOVA: an archive whose first member is not the .ovf")
	}
	var ie *genid.InputError
	if _, err := ReadOVA(bytes.NewReader(late), int64(len(late))); !errors.As(err, &ie) || !strings.Contains(err.Error(), `the first member is "dc01.mf"`) {
		t.Errorf("ReadOVA with the .ovf second: %v", err)
	}
	// A member that claims more bytes than the archive has.
	var hb bytes.Buffer
	tar.NewWriter(&hb).WriteHeader(&tar.Header{Name: "dc01.ovf", Mode: 0o644, Size: 1 << 32, Format: tar.FormatUSTAR}) // the header alone
	huge := hb.Bytes()
	if _, err := ReadOVA(bytes.NewReader(huge), int64(len(huge))); err == nil || !strings.Contains(err.Error(), "claims") {
		t.Errorf("ReadOVA with an absurd size: %v", err)
	}
}

// FuzzParse: errors carry a class; the settings read are read again from
// a descriptor written around them.
func FuzzParse(f *testing.F) {
	f.Add(fixture(f))
	f.Add([]byte("<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'><VirtualSystem><VirtualHardwareSection/></VirtualSystem></Envelope>"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		d, err := Parse(in)
		if err != nil {
			if genid.ClassOf(err) == genid.ClassOther {
				t.Fatalf("an error without a class: %v", err)
			}
			return
		}
		var b strings.Builder
		b.WriteString("<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1' xmlns:vmw='http://www.vmware.com/schema/ovf'><VirtualSystem><VirtualHardwareSection>\n")
		for _, e := range d.ExtraConfig {
			b.WriteString("<vmw:ExtraConfig vmw:key=\"")
			xml.EscapeText(&b, []byte(e.Key))
			b.WriteString("\" vmw:value=\"")
			xml.EscapeText(&b, []byte(e.Value))
			b.WriteString("\"/>\n")
		}
		b.WriteString("</VirtualHardwareSection></VirtualSystem></Envelope>")
		again, err := Parse([]byte(b.String()))
		if err != nil || len(again.ExtraConfig) != len(d.ExtraConfig) {
			t.Fatalf("the settings do not survive: %v", err)
		}
		for i, e := range again.ExtraConfig {
			if e.Key != d.ExtraConfig[i].Key || e.Value != d.ExtraConfig[i].Value {
				t.Fatalf("entry %d: %q=%q, was %q=%q", i, e.Key, e.Value, d.ExtraConfig[i].Key, d.ExtraConfig[i].Value)
			}
		}
	})
}

// TestOVAFixture writes fixtures/ova/win2019-dc01.ova from the .ovf
// fixture: the descriptor first, its manifest (SHA256, as ovftool writes
// it) and a small stand-in disk, with fixed times, so that the archive is
// the same at every run. GENID_UPDATE_GOLDEN=1 rewrites it; otherwise the
// file must be byte for byte what this writes.
func TestOVAFixture(t *testing.T) {
	ovf := fixture(t)
	sum := sha256.Sum256(ovf)
	disk := bytes.Repeat([]byte("KDMV"), 256) // not a real disk: the reader never reads past the .ovf
	dsum := sha256.Sum256(disk)
	mf := fmt.Sprintf("SHA256(win2019-dc01.ovf)= %x\nSHA256(win2019-dc01-disk1.vmdk)= %x\n", sum, dsum)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range []struct {
		name string
		data []byte
	}{{"win2019-dc01.ovf", ovf}, {"win2019-dc01.mf", []byte(mf)}, {"win2019-dc01-disk1.vmdk", disk}} {
		h := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), ModTime: time.Date(2026, 11, 20, 9, 12, 44, 0, time.UTC), Format: tar.FormatUSTAR, Uname: "someone", Gname: "someone"}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(m.data)
	}
	tw.Close()
	const name = "../../fixtures/ova/win2019-dc01.ova"
	if os.Getenv("GENID_UPDATE_GOLDEN") != "" {
		os.MkdirAll("../../fixtures/ova", 0o755)
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(name)
	if err != nil || !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("%s is not what this test writes (GENID_UPDATE_GOLDEN=1 rewrites it): %v", name, err)
	}
}
