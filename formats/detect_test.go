package formats

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

func TestDetect(t *testing.T) {
	vmcxB := make([]byte, 0x1010)
	binary.LittleEndian.PutUint32(vmcxB[0x1000:], vmcx.Signature) // header A wiped, B intact
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"vmx", "vm.genid = \"1\"\n", VMX},
		{"vmx after shebang and blank lines", "#!/usr/bin/vmware\n\n.encoding = \"UTF-8\"\n", VMX},
		{"vmx with BOM", "\xef\xbb\xbfdisplayName = \"x\"\n", VMX},
		{"proxmox", "#description\nboot: order=scsi0\n", Proxmox},
		{"proxmox section first", "[PENDING]\nvmgenid: 1\n", Proxmox},
		{"qemu shell", "/usr/bin/qemu-system-x86_64 -m 128", QEMU},
		{"qemu with env", "LC_ALL=C PATH=/bin /usr/bin/kvm -m 128", QEMU},
		{"qemu quoted program", "'/usr/bin/qemu-system-x86_64' -m 128", QEMU},
		{"qemu NUL", "/usr/libexec/qemu-kvm\x00-device\x00vmgenid\x00", QEMU},
		{"qemu options only", "-machine q35 -device vmgenid,guid=auto", QEMU},
		{"libvirt", "<?xml version='1.0'?>\n<!-- c -->\n<domain type='kvm'>", Libvirt},
		{"hyper-v xml", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<configuration>", HyperVXML},
		{"hyper-v utf-16", "\xff\xfe<\x00?\x00", HyperVXML},
		{"vmcx header A", "\x14\x20\x28\x01rest", HyperVVMCX},
		{"vmcx header B only", string(vmcxB), HyperVVMCX},
		{"other xml", "<html>", ""},
		{"binary", "\x7fELF\x02\x01\x01\x00", ""},
		{"empty", "", ""},
		{"prose", "Meeting notes\n", ""},
		{"vmdk descriptor", "# Disk DescriptorFile\nversion=1\nCID=fffffffe\n", ""},
	}
	for _, tc := range tests {
		got := ""
		if f := Detect([]byte(tc.in)); f != nil {
			got = f.Name
		}
		if got != tc.want {
			t.Errorf("%s: Detect = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReadFileFixtures(t *testing.T) {
	files, err := filepath.Glob("../fixtures/*/*.*")
	if err != nil {
		t.Fatal(err)
	}
	noID, _ := filepath.Glob("../fixtures/negative/no-id/*")
	files = append(files, noID...)
	found := 0
	for _, f := range files {
		if filepath.Base(f) == "README.md" {
			continue
		}
		r, err := ReadFile(f, nil, nil)
		if filepath.Base(filepath.Dir(f)) == "no-id" {
			if !errors.Is(err, genid.ErrNotFound) || r == nil {
				t.Errorf("%s: %v, want ErrNotFound with a result", f, err)
			}
			continue
		}
		if err != nil || r.ID.IsZero() {
			t.Errorf("%s: %v", f, err)
			continue
		}
		found++
	}
	if found < 6 {
		t.Errorf("only %d fixtures with an ID", found)
	}
}

// FuzzRead checks that whatever a file holds, reading it returns a result
// or one of the typed errors the CLI maps to an exit code.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("../fixtures/*/*.*")
	more, _ := filepath.Glob("../fixtures/negative/*/*")
	for _, name := range append(files, more...) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		r, err := ReadFile("-", bytes.NewReader(in), nil)
		switch c := genid.ClassOf(err); {
		case err == nil:
			if r == nil || r.ID.IsZero() {
				t.Fatal("success without an ID")
			}
		case c == genid.ClassOther:
			t.Fatalf("an error without a class (%T), which would exit 5: %v", err, err)
		}
	})
}

func TestDetectContinuation(t *testing.T) {
	for _, in := range []string{"LC_ALL=C \\\nPATH=/bin \\\n/usr/bin/qemu-system-x86_64 \\\n-m 128\n", "LC_ALL=C \\\r\n/usr/bin/kvm \\\r\n-m 128\r\n"} {
		if got := Detect([]byte(in)); got == nil || got.Name != QEMU {
			t.Errorf("Detect(%q) = %v, want %q", in, got, QEMU)
		}
	}
}

// TestReadFilePipe reads inputs from a named pipe, as bash's <(…) gives
// them: a pipe cannot seek, so it is read into memory.
func TestReadFilePipe(t *testing.T) {
	for _, fixture := range []string{"../fixtures/vmware/win2019-dc01.vmx", "../fixtures/hyperv/6D5A1F43-0B3E-4C2B-9A17-2F1E3D4C5B6A.vmcx"} {
		want, err := ReadFile(fixture, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		pipe := filepath.Join(t.TempDir(), "pipe")
		if err := syscall.Mkfifo(pipe, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
		data, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			w, err := os.OpenFile(pipe, os.O_WRONLY, 0)
			if err == nil {
				w.Write(data)
				w.Close()
			}
		}()
		got, err := ReadFile(pipe, nil, nil)
		if err != nil || got.ID != want.ID || got.Format != want.Format {
			t.Errorf("%s through a pipe: %v, %v; want %s %s", fixture, got, err, want.Format, want.ID)
		}
	}
}
