package libvirt

import (
	"errors"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// TestParseUUIDLikeLibvirt holds what libvirt 9.0 did with each <genid>
// value in a qemu domain (virsh domxml-to-native qemu-argv, embedded
// driver): the guid it passed to QEMU, or "malformed genid element".
func TestParseUUIDLikeLibvirt(t *testing.T) {
	const want = "09512cc5-940a-8987-b950-f54f631015e8"
	tests := []struct {
		in string
		ok bool
	}{
		{"09512cc5-940a-8987-b950-f54f631015e8", true},
		{"09512CC5940A8987B950F54F631015E8", true},
		{"09 51 2c c5 94 0a 89 87 b9 50 f5 4f 63 10 15 e8", true},
		{"  0951-2cc5-940a-8987b950-f54f631015e8  ", true},
		{"-09512cc5-940a-8987-b950-f54f631015e8", true},
		{"09512cc5--940a-8987-b950-f54f631015e8", true},
		{"\t09512cc5-940a-8987-b950-f54f631015e8\n", true},
		{"09512cc5-940a-8987-b950-f54f631015e8-", false},
		{"09512cc5 940a 8987 b950 f54f631015e8 x", false},
		{"09512cc5-940a-8987-b950-f54f631015e800", false},
		{"09512cc5-940a-8987-b950-f54f631015", false},
		{"{09512cc5-940a-8987-b950-f54f631015e8}", false},
		{"0-9512cc5940a8987b950f54f631015e8", false},
	}
	for _, tc := range tests {
		u, err := ParseUUID(tc.in)
		if !tc.ok {
			if err == nil {
				t.Errorf("ParseUUID(%q) accepted; libvirt rejects it", tc.in)
			}
			continue
		}
		if err != nil || genid.FromUUIDBytes(u).GUID() != want {
			t.Errorf("ParseUUID(%q) = %x, %v; libvirt reads %s", tc.in, u, err, want)
		}
	}
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		file string
		conv genid.Convention
		win  string // VMGENID.EXE view, from vectors.json
	}{
		{"crlf.xml", ConvQEMU, "4bf6d1d1324e6eaf:87fb916cbbb941bf"},             // qemu-qtest
		{"esx-dumpxml.xml", ConvVMware, "8987940a09512cc5:e81510634ff550b9"},    // seed-vmware, libvirt-vmware-domain
		{"qemu-commandline.xml", ConvQEMU, "fe6f6992be334a43:805a287a250989e4"}, // seed-hyperv
		{"virt-v2v.xml", ConvQEMU, "f81457b88312995e:ba055f79bac11340"},         // virt-v2v-test-i-vmx-5
	}
	for _, tc := range tests {
		d, err := ReadFile("../../fixtures/libvirt/" + tc.file)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if d.Convention != tc.conv || d.ID.Windows() != tc.win {
			t.Errorf("%s: %s %s, want %s %s", tc.file, d.Convention, d.ID.Windows(), tc.conv, tc.win)
		}
	}
	for _, f := range []string{"virt-install.xml", "hand-written.xml", "genid-auto.xml"} {
		d, err := ReadFile("../../fixtures/negative/no-id/" + f)
		if !errors.Is(err, genid.ErrNotFound) || d == nil || d.Name == "" {
			t.Errorf("%s: %+v, %v; want ErrNotFound with the domain", f, d, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const cmdline = `<qemu:commandline><qemu:arg value='-device'/><qemu:arg value='vmgenid,guid=44332211-6655-8877-99aa-bbccddeeff00'/></qemu:commandline>`
	tests := []struct {
		name     string
		in       string
		line     int
		contains string
		notFound bool
	}{
		{"braces", "<domain type='kvm'>\n<genid>{09512cc5-940a-8987-b950-f54f631015e8}</genid>\n</domain>", 2, "malformed genid element", false},
		{"two genids", "<domain type='kvm'>\n<genid/>\n<genid/>\n</domain>", 3, "can only appear once", false},
		{"genid and cmdline", "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n<genid>44332211-6655-8877-99aa-bbccddeeff00</genid>\n" + cmdline + "\n</domain>", 3, "QEMU allows one vmgenid device", false},
		{"cmdline bad guid", "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n<qemu:commandline><qemu:arg value='-device'/><qemu:arg value='vmgenid,guid=x'/></qemu:commandline>\n</domain>", 2, `guid="x"`, false},
		{"xen domain", "<domain type='xen'>\n<genid>44332211-6655-8877-99aa-bbccddeeff00</genid>\n</domain>", 2, "type='xen'", false},
		{"no type", "<domain>\n<genid>44332211-6655-8877-99aa-bbccddeeff00</genid>\n</domain>", 1, "no type attribute", false},
		{"not a domain", "<network>\n</network>", 1, "not a libvirt domain", false},
		{"bad xml", "<domain type='kvm'>\n<name>x</nam>\n</domain>", 2, "XML syntax error", false},
		{"unclosed", "<domain type='kvm'>\n<name>x</name>\n", 3, "not closed", false},
		{"empty genid", "<domain type='kvm'><genid>  </genid></domain>", 0, "libvirt generates", true},
		{"zero genid", "<domain type='kvm'><genid>00000000-0000-0000-0000-000000000000</genid></domain>", 0, "all zeros", true},
		{"cmdline guid auto", "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:commandline><qemu:arg value='-device'/><qemu:arg value='vmgenid,guid=auto'/></qemu:commandline></domain>", 0, "no fixed guid", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error = %v, want one containing %q", err, tc.contains)
			}
			if tc.notFound != errors.Is(err, genid.ErrNotFound) {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v", !tc.notFound, tc.notFound)
			}
			var ie *genid.InputError
			if !tc.notFound && (!errors.As(err, &ie) || ie.Line != tc.line) {
				t.Errorf("error %v: want an InputError on line %d", err, tc.line)
			}
		})
	}
}

func TestEntitiesAndComments(t *testing.T) {
	// libvirt reads string(./genid): entities decoded, text around comments joined.
	d, err := Parse([]byte("<domain type='kvm'><genid>09512cc5-940a-8987&#x2d;b950-<!-- c -->f54f631015e8</genid></domain>"))
	if err != nil || d.ID.GUID() != "09512cc5-940a-8987-b950-f54f631015e8" {
		t.Errorf("Parse = %v, %v", d, err)
	}
}

// TestHWUUID: libvirt's ESX driver writes vCenter's instance UUID as
// <uuid> and the BIOS UUID as <hwuuid>; both identify the VM, in the fast
// path and the full parser alike.
func TestHWUUID(t *testing.T) {
	for _, doc := range []string{
		"<domain type='vmware'>\n  <name>dc01</name>\n  <uuid>501a4c8e-22de-61f3-a50b-3c92d711ee04</uuid>\n  <hwuuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</hwuuid>\n  <genid>8987940a-0951-2cc5-e815-10634ff550b9</genid>\n</domain>\n",
		"<domain type='vmware'>\n  <name>dc01</name>\n  <!-- a comment -->\n  <uuid>501a4c8e-22de-61f3-a50b-3c92d711ee04</uuid>\n  <hwuuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</hwuuid>\n  <genid>8987940a-0951-2cc5-e815-10634ff550b9</genid>\n  <x:y xmlns:x='urn:x'/>\n</domain>\n",
	} {
		d, err := Parse([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		r := d.Reading()
		if d.HWUUID != "421a6b2c-5e77-0d91-3f4e-82c190aa175b" || r.Identity != "501a4c8e-22de-61f3-a50b-3c92d711ee04" || len(r.AltIdentity) != 1 || r.AltIdentity[0] != "421a6b2c-5e77-0d91-3f4e-82c190aa175b" {
			t.Errorf("identity %q %q, alt %q", d.HWUUID, r.Identity, r.AltIdentity)
		}
	}
}

// TestTooDeep: elements nested past the limit are an error at the line
// where the limit is passed.
func TestTooDeep(t *testing.T) {
	doc := "<domain type='kvm'>\n<name>x</name>\n" + strings.Repeat("<a>\n", 1100) + strings.Repeat("</a>", 1100) + "&amp;</domain>\n"
	_, err := Parse([]byte(doc))
	var ie *genid.InputError
	if !errors.As(err, &ie) || ie.Line != 1026 || !strings.Contains(err.Error(), "nested more than 1024 deep") {
		t.Errorf("%v", err)
	}
}
