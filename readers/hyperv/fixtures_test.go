package hyperv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// The fixtures under fixtures/hyperv and fixtures/negative/hyperv are built
// here from the format description, with computed CRCs; this test checks
// the committed files are exactly what the builder writes
// (GENID_UPDATE_GOLDEN=1 rewrites them) and what each must read as.

const (
	vmID = "6D5A1F43-0B3E-4C2B-9A17-2F1E3D4C5B6A"
	// The Hyper-V VM of the seed document (vectors.json seed-hyperv): its
	// guest showed VMGENID fe6f6992be334a43:805a287a250989e4.
	seedHyperV = "805a287a250989e4fe6f6992be334a43"
	// The second VM of the same qemu-devel thread: VMGENID b3fd3c713ece842:ebfbb797365728e7.
	threadHyperV = "ebfbb797365728e70b3fd3c713ece842"
	// The pre-2013 XML example of the same thread (no guest reading).
	xmlHyperV = "4a07df4361fdf4c883f97bc30e524b9d"
)

type fixture struct {
	path  string
	build func(t testing.TB) []byte
	want  string // Hyper-V generation_id it must read as; "" when an error is expected
	err   error  // the error class expected
	check func(t *testing.T, c *Config, err error)
}

func buildVM(t testing.TB, vm vmcxbuild.VM, opt vmcxbuild.Options) ([]byte, *vmcxbuild.Layout) {
	b, l, err := vmcxbuild.Build(vm.Tree(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return b, l
}

func realistic(genid string) vmcxbuild.VM {
	return vmcxbuild.VM{Name: "dc03", GlobalID: vmID, GenerationID: genid, Gen2: true}
}

// realOptions mirror the samples: a 0x9000-byte log and free objects.
var realOptions = vmcxbuild.Options{Sequence: [2]uint16{25, 24}, LogSize: 0x9000, ExtraObjects: 1}

func fixtures() []fixture {
	genidPath := GenerationIDPath
	return []fixture{
		{path: "hyperv/" + vmID + ".vmcx", want: seedHyperV, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(seedHyperV), realOptions)
			return b
		}},
		{path: "hyperv/Snapshots/9C0E2B71-3F4A-4D5E-8B6C-7A8B9C0D1E2F.vmcx", want: threadHyperV, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(threadHyperV), realOptions)
			return b
		}, check: func(t *testing.T, c *Config, err error) {
			if !c.Checkpoint {
				t.Error("a configuration under Snapshots/ is not flagged as a checkpoint")
			}
		}},
		{path: "hyperv/vm-2012r2-utf16.xml", want: threadHyperV, build: func(t testing.TB) []byte {
			return vmcxbuild.UTF16LE(vmcxbuild.XML(vmcxbuild.VM{Name: "web-2012r2", GlobalID: "0D1C2B3A-4958-4677-8695-A4B3C2D1E0F9", GenerationID: threadHyperV, Version: 1280}.Tree()))
		}},
		{path: "hyperv/vm-2012r2-utf8.xml", want: xmlHyperV, build: func(t testing.TB) []byte {
			// Single-byte text that still declares UTF-16, as copies in
			// repositories often are, with white space around the value.
			x := vmcxbuild.XML(vmcxbuild.VM{Name: "sql-2012r2", GlobalID: "1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9", GenerationID: xmlHyperV, Version: 1280}.Tree())
			return []byte(strings.Replace(x, ">"+xmlHyperV+"<", ">\n      "+strings.ToUpper(xmlHyperV)+"\n    <", 1))
		}},
		{path: "negative/hyperv/stale-log-copy.vmcx", want: seedHyperV, build: func(t testing.TB) []byte {
			old, l := buildVM(t, realistic(threadHyperV), vmcxbuild.Options{})
			off := l.Entries[genidPath]
			page := old[off&^0xfff : off&^0xfff+0x1000]
			b, _ := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{Stale: [][]byte{page}})
			return b
		}},
		{path: "negative/hyperv/header-a-corrupt.vmcx", want: seedHyperV, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{Sequence: [2]uint16{9, 8}})
			b[0x20] ^= 0xff
			return b
		}, check: headerUsed("B")},
		{path: "negative/hyperv/header-b-corrupt.vmcx", want: seedHyperV, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{Sequence: [2]uint16{8, 9}})
			b[0x1020] ^= 0xff
			return b
		}, check: headerUsed("A")},
		{path: "negative/hyperv/headers-corrupt.vmcx", err: vmcx.ErrChecksum, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{})
			b[0x20] ^= 0xff
			b[0x1020] ^= 0xff
			return b
		}},
		{path: "negative/hyperv/parent-cycle.vmcx", err: vmcx.ErrFormat, build: func(t testing.TB) []byte {
			b, l := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{})
			l.SetParent(b, l.Entries["configuration/global_settings"], l.Entries["configuration/global_settings/devices"], 12)
			return b
		}},
		{path: "negative/hyperv/two-generation-ids.vmcx", err: vmcx.ErrFormat, build: func(t testing.TB) []byte {
			root := realistic(seedHyperV).Tree()
			devices := root.Children[1].Children[0]
			devices.Children = append(devices.Children, vmcxbuild.String("generation_id", threadHyperV))
			b, _, err := vmcxbuild.Build(root, vmcxbuild.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{path: "negative/hyperv/generation-id-int.vmcx", err: vmcx.ErrFormat, build: func(t testing.TB) []byte {
			root := realistic("").Tree()
			devices := root.Children[1].Children[0]
			devices.Children = append(devices.Children, vmcxbuild.Int("generation_id", 42))
			b, _, err := vmcxbuild.Build(root, vmcxbuild.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{path: "negative/hyperv/generation-id-short.vmcx", err: vmcx.ErrFormat, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(seedHyperV[:30]), vmcxbuild.Options{})
			return b
		}},
		{path: "negative/hyperv/journal-pending.vmcx", want: seedHyperV, build: func(t testing.TB) []byte {
			return journal(t, nil)
		}, check: func(t *testing.T, c *Config, err error) {
			if c.Container.Journal.Replayed != 1 {
				t.Errorf("journal %+v: the live entry was not replayed", c.Container.Journal)
			}
		}},
		{path: "negative/hyperv/journal-bad-crc.vmcx", err: vmcx.ErrChecksum, build: func(t testing.TB) []byte {
			return journal(t, func(e *vmcxbuild.JournalEntry) { e.BadDataCRC = true })
		}},
		{path: "negative/hyperv/short-log.vmcx", want: seedHyperV, build: func(t testing.TB) []byte {
			b, _ := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{LogSize: 0x9000, TrimLog: true, Stale: [][]byte{bytes.Repeat([]byte{0x5a}, 0x24)}})
			return b
		}},
		{path: "negative/hyperv/host-registry.vmcx", err: genid.ErrNotFound, build: func(t testing.TB) []byte {
			root := vmcxbuild.Node("Configurations", vmcxbuild.Int("FormatVersion", 1), vmcxbuild.String("RegID", "x"),
				vmcxbuild.Node("VirtualMachines", vmcxbuild.Node("_"+vmID+"_", vmcxbuild.String("path", `C:\Hyper-V\dc03\Virtual Machines\`+vmID+".vmcx"))))
			b, _, err := vmcxbuild.Build(root, vmcxbuild.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, check: kind(KindHostRegistry)},
	}
}

// journal builds a file whose key table holds an older ID, with a live
// journal entry carrying the generation_id entry with seedHyperV.
func journal(t testing.TB, bad func(*vmcxbuild.JournalEntry)) []byte {
	newer, l := buildVM(t, realistic(seedHyperV), vmcxbuild.Options{})
	off := l.Entries[GenerationIDPath]
	size := int64(binary.LittleEndian.Uint32(newer[off+2:]))
	e := vmcxbuild.JournalEntry{Target: off, Data: append([]byte(nil), newer[off:off+size]...)}
	if bad != nil {
		bad(&e)
	}
	b, _ := buildVM(t, realistic(threadHyperV), vmcxbuild.Options{Live: []vmcxbuild.JournalEntry{e}})
	return b
}

func headerUsed(copy string) func(*testing.T, *Config, error) {
	return func(t *testing.T, c *Config, err error) {
		if got := c.Container.Header.Copy(); got != copy {
			t.Errorf("header %s used, want %s", got, copy)
		}
	}
}

func kind(k Kind) func(*testing.T, *Config, error) {
	return func(t *testing.T, c *Config, err error) {
		if c == nil || c.Kind != k {
			t.Errorf("kind = %v, want %s", c, k)
		}
	}
}

func TestFixtures(t *testing.T) {
	update := os.Getenv("GENID_UPDATE_GOLDEN") != ""
	for _, fx := range fixtures() {
		t.Run(fx.path, func(t *testing.T) {
			name := filepath.Join("..", "..", "fixtures", filepath.FromSlash(fx.path))
			want := fx.build(t)
			if update {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (GENID_UPDATE_GOLDEN=1 go test ./readers/hyperv writes the fixtures)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from what the builder writes; GENID_UPDATE_GOLDEN=1 rewrites it", name)
			}
			c, err := ReadFile(name)
			switch {
			case fx.err != nil:
				if !errors.Is(err, fx.err) {
					t.Fatalf("err = %v, want %v", err, fx.err)
				}
				var fe *vmcx.FormatError
				if !errors.Is(err, genid.ErrNotFound) && !errors.As(err, &fe) {
					t.Errorf("error %v carries no offset", err)
				}
			case err != nil:
				t.Fatal(err)
			case c.ID.HyperV() != fx.want:
				t.Fatalf("ID = %s, want %s", c.ID.HyperV(), fx.want)
			}
			if fx.check != nil {
				fx.check(t, c, err)
			}
		})
	}
}
