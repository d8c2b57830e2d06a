package qemu

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

const seedGUID = "09512cc5-940a-8987-b950-f54f631015e8" // vectors.json seed-vmware

func TestFixtures(t *testing.T) {
	tests := []struct {
		file     string
		form     Form
		guid     string
		json     bool
		name     string
		deviceID string
	}{
		{"dc01.args", Shell, seedGUID, true, "dc01", "vmgenid0"},
		{"dc01.cmdline", NULSeparated, seedGUID, true, "dc01", "vmgenid0"},
		{"proxmox-101.showcmd", Shell, seedGUID, false, "win2019-dc01", ""},
		// QEMU's tests/qtest/vmgenid-test.c GUID (vectors.json qemu-qtest).
		{"qtest.argv", OnePerLine, "324e6eaf-d1d1-4bf6-bf41-b9bb6c91fb87", false, "", "testvgid"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			c, err := ReadFile("../../fixtures/qemu/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if c.Form != tc.form || c.ID.GUID() != tc.guid || c.JSON != tc.json || c.Name != tc.name || c.DeviceID != tc.deviceID {
				t.Errorf("got %+v", c)
			}
		})
	}
}

// TestSplitShell compares with what Python's shlex.split (POSIX mode) gives
// for the same text.
func TestSplitShell(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`a b  c`, []string{"a", "b", "c"}},
		{`-device 'vmgenid,guid=x,id=y'`, []string{"-device", "vmgenid,guid=x,id=y"}},
		{`-device '{"driver":"vmgenid","guid":"x"}'`, []string{"-device", `{"driver":"vmgenid","guid":"x"}`}},
		{`-device "{\"driver\":\"vmgenid\"}"`, []string{"-device", `{"driver":"vmgenid"}`}},
		{"a \\\n  b", []string{"a", "b"}},
		{`a\ b c`, []string{"a b", "c"}},
		{`"a\nb" 'c\d'`, []string{`a\nb`, `c\d`}},
		{`x''y "" z`, []string{"xy", "", "z"}},
		{"a # comment\nb", []string{"a", "b"}},
		{"a#b", []string{"a#b"}},
	}
	for _, tc := range tests {
		args, err := splitShell(tc.in)
		if err != nil {
			t.Errorf("splitShell(%q): %v", tc.in, err)
			continue
		}
		var got []string
		for _, a := range args {
			got = append(got, a.Value)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitShell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{`a 'b`, "a\n\"b\nc"} {
		_, err := splitShell(bad)
		var ie *genid.InputError
		if !errors.As(err, &ie) || ie.Line < 1 {
			t.Errorf("splitShell(%q) = %v, want an InputError with a line", bad, err)
		}
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		in   string
		guid string // "" when an error is expected
		err  error  // sentinel
		bad  bool   // an *InputError
	}{
		{"classic", "qemu-system-x86_64 -device vmgenid,guid=44332211-6655-8877-99aa-bbccddeeff00,id=vmgenid0", "44332211-6655-8877-99aa-bbccddeeff00", nil, false},
		{"upper case (QEMU accepts it)", "qemu -device vmgenid,guid=44332211-6655-8877-99AA-BBCCDDEEFF00", "44332211-6655-8877-99aa-bbccddeeff00", nil, false},
		{"driver= key", "qemu -device driver=vmgenid,guid=44332211-6655-8877-99aa-bbccddeeff00", "44332211-6655-8877-99aa-bbccddeeff00", nil, false},
		{"double dash", "qemu --device vmgenid,guid=44332211-6655-8877-99aa-bbccddeeff00", "44332211-6655-8877-99aa-bbccddeeff00", nil, false},
		{"other devices with commas", "qemu -device virtio-blk-pci,drive=a,,b -device vmgenid,guid=44332211-6655-8877-99aa-bbccddeeff00", "44332211-6655-8877-99aa-bbccddeeff00", nil, false},
		{"no device", "qemu -m 128", "", genid.ErrNotFound, false},
		{"no guid", "qemu -device vmgenid,id=vmgenid0", "", genid.ErrNotFound, false},
		{"guid=auto", "qemu -device vmgenid,guid=auto", "", genid.ErrNotFound, false},
		{"JSON no guid", `qemu -device '{"driver":"vmgenid","id":"vmgenid0"}'`, "", genid.ErrNotFound, false},
		{"zero", "qemu -device vmgenid,guid=00000000-0000-0000-0000-000000000000", "", genid.ErrNotFound, false},
		{"braces", "qemu -device 'vmgenid,guid={44332211-6655-8877-99aa-bbccddeeff00}'", "", nil, true},
		{"no dashes", "qemu -device vmgenid,guid=443322116655887799aabbccddeeff00", "", nil, true},
		{"two devices", "qemu -device vmgenid,guid=44332211-6655-8877-99aa-bbccddeeff00 -device vmgenid", "", nil, true},
		{"JSON guid not a string", `qemu -device '{"driver":"vmgenid","guid":5}'`, "", nil, true},
		{"JSON broken", `qemu -device '{"driver":"vmgenid",'`, "", nil, true},
		{"unterminated quote", `qemu -device 'vmgenid`, "", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(strings.NewReader(tc.in))
			var ie *genid.InputError
			switch {
			case tc.bad:
				if !errors.As(err, &ie) {
					t.Fatalf("error = %v, want an InputError", err)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) || errors.As(err, &ie) {
					t.Fatalf("error = %v, want %v", err, tc.err)
				}
			default:
				if err != nil || c.ID.GUID() != tc.guid {
					t.Fatalf("Read = %v, %v; want %s", c, err, tc.guid)
				}
			}
		})
	}
}

func TestNULErrorsNameTheArgument(t *testing.T) {
	_, err := Read(strings.NewReader("qemu\x00-m\x00128\x00-device\x00vmgenid,guid=xyz\x00"))
	var ie *genid.InputError
	if !errors.As(err, &ie) || ie.Arg != 5 || !strings.Contains(err.Error(), "argument 5: -device: guid=\"xyz\"") {
		t.Errorf("error = %v, want argument 5", err)
	}
}
