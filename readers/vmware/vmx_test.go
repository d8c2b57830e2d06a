package vmware

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

const seedGUID = "09512cc5-940a-8987-b950-f54f631015e8" // vectors.json seed-vmware

func TestReadOK(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // QEMU GUID of the ID (vectors.json)
	}{
		{"seed", "vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", seedGUID},
		{"lower-case genidx (virt-v2v test-i-vmx-5)", "vm.genid = \"-570734802784577186\"\nvm.genidx = \"-5042519231342505152\"\n", "8312995e-57b8-f814-4013-c1ba795f05ba"},
		{"upper-case keys", "VM.GENID = \"-8536691797830587195\"\nVM.GENIDX = \"-1723453263670062919\"\n", seedGUID},
		{"CRLF and BOM", "\xef\xbb\xbf.encoding = \"UTF-8\"\r\nvm.genid = \"-8536691797830587195\"\r\nvm.genidX = \"-1723453263670062919\"\r\n", seedGUID},
		{"no final newline", "vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"", seedGUID},
		{"comments and blanks", "# top\n\n   \t\nvm.genid=\"-8536691797830587195\"   # low\n\tvm.genidX   =   \"-1723453263670062919\"\n", seedGUID},
		{"same value twice", "vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\nvm.genid = \"-8536691797830587195\"\n", seedGUID},
		{"plus sign and leading zeros (libvirt accepts)", "vm.genid = \"+1\"\nvm.genidX = \"002\"\n", "00000001-0000-0000-0200-000000000000"},
		{"unsigned above int64 max", "vm.genid = \"18446744073709551615\"\nvm.genidX = \"18446744073709551615\"\n", "ffffffff-ffff-ffff-ffff-ffffffffffff"},
		{"int64 limits", "vm.genid = \"9223372036854775807\"\nvm.genidX = \"-9223372036854775808\"\n", "ffffffff-ffff-7fff-0000-000000000080"},
		{"one half zero", "vm.genid = \"0\"\nvm.genidX = \"1\"\n", "00000000-0000-0000-0100-000000000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(strings.NewReader(tc.in))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got := c.ID.GUID(); got != tc.want {
				t.Errorf("ID = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	const x = "vm.genidX = \"1\"\n"
	tests := []struct {
		name     string
		in       string
		line     int
		key      string
		is       error  // sentinel the error must wrap, if any
		contains string // text the message must contain
	}{
		{"hex", "vm.genid = \"0x10\"\n" + x, 1, "vm.genid", nil, `"0x10" is not a 64-bit decimal integer`},
		{"fraction", "vm.genid = \"1.5\"\n" + x, 1, "vm.genid", nil, "not a decimal integer"},
		{"empty", "a = \"b\"\nvm.genid = \"\"\n" + x, 2, "vm.genid", nil, "empty value"},
		{"space inside", "vm.genid = \" 1\"\n" + x, 1, "vm.genid", nil, "not a decimal integer"},
		{"above range", "vm.genid = \"18446744073709551616\"\n" + x, 1, "vm.genid", nil, "above the 64-bit range"},
		{"below range", x + "vm.genid = \"-9223372036854775809\"\n", 2, "vm.genid", nil, "below the 64-bit range"},
		{"not key value", "displayName = \"x\"\nthis is not a vmx line\n", 2, "", nil, "not a key = \"value\" line"},
		{"unquoted", "memsize = 1024\n", 1, "memsize", nil, "not in double quotes"},
		{"unterminated", "displayName = \"x\n", 1, "displayName", nil, "no closing quote"},
		{"text after value", "displayName = \"x\" y\n", 1, "displayName", nil, "after the closing quote"},
		{"empty key", " = \"x\"\n", 1, "", nil, "not a key"},
		{"conflicting genid", "vm.genid = \"1\"\n" + x + "VM.GENID = \"2\"\n", 3, "VM.GENID", nil, "set twice with different values"},
		{"only genid", "vm.genid = \"5\"\n", 1, "vm.genid", genid.ErrIncomplete, "vm.genidX is missing"},
		{"only genidX", "a = \"b\"\nvm.genidX = \"5\"\n", 2, "vm.genidX", genid.ErrIncomplete, "vm.genid is missing"},
		{"only genid zero", "vm.genid = \"0\"\n", 1, "vm.genid", genid.ErrIncomplete, "vm.genidX is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in))
			var ie *genid.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Read error = %v, want an *InputError", err)
			}
			if ie.Line != tc.line || ie.Key != tc.key {
				t.Errorf("error at line %d key %q, want line %d key %q (%v)", ie.Line, ie.Key, tc.line, tc.key, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if tc.is == nil && errors.Is(err, genid.ErrIncomplete) {
				t.Errorf("error %v wraps ErrIncomplete", err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not contain %q", err, tc.contains)
			}
			if errors.Is(err, genid.ErrNotFound) {
				t.Errorf("malformed input reported as not found: %v", err)
			}
		})
	}
}

func TestReadNotFound(t *testing.T) {
	for name, in := range map[string]string{
		"neither":   "displayName = \"x\"\n",
		"both zero": "displayName = \"x\"\nvm.genid = \"0\"\nvm.genidX = \"0\"\n",
	} {
		c, err := Read(strings.NewReader(in))
		if !errors.Is(err, genid.ErrNotFound) {
			t.Errorf("%s: error = %v, want ErrNotFound", name, err)
		}
		var ie *genid.InputError
		if errors.As(err, &ie) {
			t.Errorf("%s: no ID reported as malformed: %v", name, err)
		}
		if c == nil {
			t.Errorf("%s: Config is nil; a report still needs the VM's identity", name)
		}
	}
}

// TestNotVM: VMware's other files in the .vmx syntax are not VMs. The
// shapes are those VMware writes: a snapshot list (.vmsd) with
// snapshot.lastUID and snapshotN.* keys, the host inventory
// (inventory.vmls) with vmlistN.* and indexN.* keys.
func TestNotVM(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		".vmsd": {".encoding = \"UTF-8\"\nsnapshot.lastUID = \"2\"\nsnapshot.current = \"2\"\nsnapshot0.uid = \"2\"\nsnapshot0.filename = \"dc01-Snapshot2.vmsn\"\nsnapshot0.displayName = \"before patch\"\nsnapshot0.numDisks = \"1\"\nsnapshot.numSnapshots = \"1\"\n", "snapshot list (.vmsd)"},
		".vmls": {".encoding = \"UTF-8\"\nvmlist1.config = \"/vmfs/volumes/ds1/dc01/dc01.vmx\"\nvmlist1.DisplayName = \"dc01\"\nindex.count = \"1\"\n", "inventory (inventory.vmls)"},
		"empty": {"", "without any VM setting"},
		"other": {"foo = \"bar\"\n", "without any VM setting"},
	} {
		c, err := Read(strings.NewReader(tc.in))
		if !errors.Is(err, genid.ErrNotVM) || !strings.Contains(err.Error(), tc.want) || c != nil {
			t.Errorf("%s: %v, %v; want ErrNotVM with %q", name, c, err, tc.want)
		}
	}
	// A .vmx with the ID and nothing else is a VM's: the ID is evidence.
	if _, err := Read(strings.NewReader("vm.genid = \"1\"\nvm.genidX = \"2\"\n")); err != nil {
		t.Errorf("genid alone: %v", err)
	}
	if _, err := Read(strings.NewReader("scsi0:1.present = \"TRUE\"\n")); !errors.Is(err, genid.ErrNotFound) {
		t.Errorf("a device alone: %v", err)
	}
}

func TestContextAndWarnings(t *testing.T) {
	in := ".encoding = \"UTF-8\"\ndisplayName = \"dc|22one|22 |7C x\"\nuuid.bios = \"42 1a\"\nuuid.location = \"56 4d\"\nvc.uuid = \"50 1a\"\nguestOS = \"windows2019srv-64\"\nmemsize = \"1024\"\nmemsize = \"2048\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n"
	c, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{ID: genid.FromVMX(1, 2), GenIDLine: 9, GenIDXLine: 10, DisplayName: `dc"one" | x`, UUIDBios: "42 1a", UUIDLocation: "56 4d", VCUUID: "50 1a", GuestOS: "windows2019srv-64", Encoding: "UTF-8"}
	warnings := c.Warnings
	c.Warnings = nil
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("Config = %+v\nwant     %+v", *c, want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "line 8: memsize set again") {
		t.Errorf("Warnings = %q, want one about memsize on line 8", warnings)
	}
}

func TestEncodings(t *testing.T) {
	tests := []struct{ enc, raw, want string }{
		{"windows-1252", "Caf\xe9 \x80", "Café €"},
		{"ISO-8859-1", "Caf\xe9 \x80", "Café \u0080"},
		{"UTF-8", "Café", "Café"},
		{"UTF-8", "bad \xff", "bad \uFFFD"},
		{"Shift_JIS", "\x83e", "\uFFFDe"},
	}
	for _, tc := range tests {
		in := ".encoding = \"" + tc.enc + "\"\ndisplayName = \"" + tc.raw + "\"\n"
		c, err := Read(strings.NewReader(in))
		if !errors.Is(err, genid.ErrNotFound) {
			t.Fatalf("%s: %v", tc.enc, err)
		}
		if c.DisplayName != tc.want {
			t.Errorf("%s: displayName = %q, want %q", tc.enc, c.DisplayName, tc.want)
		}
	}
}

// endless yields `k = "v"` lines forever, without holding them in memory.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	const line = "pad.key = \"0123456789012345678901234567890123456789\"\n"
	for i := range p {
		p[i] = line[e.n%len(line)]
		e.n++
	}
	return len(p), nil
}

func TestLimits(t *testing.T) {
	_, err := Read(&endless{})
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("endless input: error = %v, want a size error", err)
	}
	long := "displayName = \"" + strings.Repeat("x", MaxLineSize) + "\"\n"
	_, err = Read(strings.NewReader("a = \"b\"\n" + long))
	var ie *genid.InputError
	if !errors.As(err, &ie) || ie.Line != 2 || !strings.Contains(err.Error(), "longer than 1 MiB") {
		t.Errorf("long line: error = %v, want line 2, longer than 1 MiB", err)
	}
}

func TestReadFileNamesTheFile(t *testing.T) {
	_, err := ReadFile("testdata/malformed-genid.vmx")
	want := "testdata/malformed-genid.vmx:3: vm.genid: \"0x10\" is not a 64-bit decimal integer: not a decimal integer"
	if err == nil || err.Error() != want {
		t.Errorf("ReadFile error = %v\nwant %s", err, want)
	}
	if _, err := ReadFile("testdata/does-not-exist.vmx"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		file string
		want string // GUID from vectors.json
		err  error
	}{
		{"../../fixtures/vmware/win2019-dc01.vmx", seedGUID, nil},
		{"../../fixtures/vmware/app-server-workstation.vmx", "8312995e-57b8-f814-4013-c1ba795f05ba", nil},
		{"../../fixtures/negative/no-id/legacy-no-genid.vmx", "", genid.ErrNotFound},
	}
	for _, tc := range tests {
		c, err := ReadFile(tc.file)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: error %v, want %v", tc.file, err, tc.err)
			}
			continue
		}
		if err != nil || c.ID.GUID() != tc.want {
			t.Errorf("%s: %v, %v; want %s", tc.file, c.ID, err, tc.want)
		}
	}
}

var _ io.Reader = (*endless)(nil)

// TestFromEntries: the rules of a file hold for pairs: a lone half is
// incomplete, a half set twice to different values is refused, other keys
// set twice keep the first.
func TestFromEntries(t *testing.T) {
	tests := []struct {
		entries []Entry
		class   genid.Class
		win     string
	}{
		{[]Entry{{Key: "vm.genid", Value: "1"}, {Key: "vm.genidX", Value: "2"}}, genid.ClassNone, "1:2"},
		{[]Entry{{Key: "vm.genid", Value: "1"}}, genid.ClassIncomplete, ""},
		{[]Entry{{Key: "vm.genid", Value: "0"}, {Key: "vm.genidx", Value: "0"}}, genid.ClassZero, ""},
		{[]Entry{}, genid.ClassNotFound, ""},
		{[]Entry{{Key: "vm.genid", Value: "1"}, {Key: "VM.GENID", Value: "3"}, {Key: "vm.genidX", Value: "2"}}, genid.ClassMalformed, ""},
		{[]Entry{{Key: "vm.genid", Value: "0x10"}, {Key: "vm.genidX", Value: "2"}}, genid.ClassMalformed, ""},
		{[]Entry{{Key: "guestOS", Value: "a"}, {Key: "guestos", Value: "b"}, {Key: "vm.genid", Value: "1"}, {Key: "vm.genidX", Value: "2"}}, genid.ClassNone, "1:2"},
	}
	for _, tc := range tests {
		c, err := FromFile(FromEntries(tc.entries))
		if got := genid.ClassOf(err); got != tc.class {
			t.Errorf("%v: %v (%s), want %s", tc.entries, err, got, tc.class)
			continue
		}
		if tc.win != "" && c.ID.Windows() != tc.win {
			t.Errorf("%v: %s, want %s", tc.entries, c.ID.Windows(), tc.win)
		}
	}
}
