package vmware

import (
	"bytes"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
	reader "github.com/genid-migrate/genid-migrate/readers/vmware"
)

// seed is the seed VMware VM's ID (vectors.json seed-vmware).
var seed = genid.FromVMX(-8536691797830587195, -1723453263670062919)

func TestSetGenID(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           int
		inserted       bool
	}{
		{"both, replaced in place", "displayName = \"dc\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n",
			"displayName = \"dc\"\nvm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", 2, false},
		{"key case, spacing, comments and CRLF kept", "vm.genidx=\"2\" # high\r\nmemsize = \"4096\"\r\n  VM.GENID   =   \"1\"\r\n",
			"vm.genidx=\"-1723453263670062919\" # high\r\nmemsize = \"4096\"\r\n  VM.GENID   =   \"-8536691797830587195\"\r\n", 3, false},
		{"the high half missing", "vm.genid = \"1\"\nmemsize = \"4096\"\n",
			"vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\nmemsize = \"4096\"\n", 1, true},
		{"the low half missing, CRLF", "vm.genidX = \"2\"\r\nmemsize = \"4096\"\r\n",
			"vm.genidX = \"-1723453263670062919\"\r\nvm.genid = \"-8536691797830587195\"\r\nmemsize = \"4096\"\r\n", 2, true},
		{"none, appended", ".encoding = \"UTF-8\"\ndisplayName = \"dc\"\n",
			".encoding = \"UTF-8\"\ndisplayName = \"dc\"\nvm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", 3, true},
		{"none, no final line end", "displayName = \"dc\"",
			"displayName = \"dc\"\nvm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", 2, true},
		{"empty file", "", "vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, e, err := SetGenID([]byte(tc.in), seed)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want || e.Line != tc.line || e.Inserted != tc.inserted {
				t.Errorf("got %q line %d inserted %v\nwant %q line %d inserted %v", out, e.Line, e.Inserted, tc.want, tc.line, tc.inserted)
			}
			checkEdit(t, []byte(tc.in), out, e)
		})
	}
	if _, _, err := SetGenID([]byte("vm.genid = \"1\"\nvm.genidX = \"2\"\nVM.GENID = \"1\"\n"), seed); err == nil || !strings.Contains(err.Error(), "line 3: vm.genid is set twice (line 1 too)") {
		t.Errorf("a key set twice: %v", err)
	}
}

// checkEdit checks that only the edit's bytes changed and that the result
// reads back as seed.
func checkEdit(t *testing.T, in, out []byte, e Edit) {
	t.Helper()
	if !bytes.Equal(out[:e.Start], in[:e.Start]) || !bytes.Equal(out[e.NewEnd:], in[e.OldEnd:]) {
		t.Errorf("bytes outside [%d, %d) changed", e.Start, e.OldEnd)
	}
	c, err := reader.ReadBytes(out)
	if err != nil {
		t.Fatalf("%q does not read back: %v", out, err)
	}
	if c.ID != seed || c.GenIDLine != e.Line {
		t.Errorf("reads back as %s (line %d); want %s (line %d)", c.ID, c.GenIDLine, seed, e.Line)
	}
}

// FuzzSetGenID: whatever .vmx the reader takes with at most one of each
// key, the edit reads back as the ID and changes only its span.
func FuzzSetGenID(f *testing.F) {
	f.Add("displayName = \"dc\"\nvm.genid = \"1\"\nvm.genidX = \"2\"\n")
	f.Add("vm.genidx=\"2\" # x\r\n  VM.GENID = \"1\"\r\n")
	f.Add("# only a comment")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		p, err := reader.ParseBytes([]byte(in))
		if err != nil || p.Count(reader.KeyGenID) > 1 || p.Count(reader.KeyGenIDX) > 1 {
			return
		}
		out, e, err := SetGenID([]byte(in), seed)
		if err != nil {
			t.Fatalf("SetGenID on a readable .vmx: %v", err)
		}
		checkEdit(t, []byte(in), out, e)
	})
}
