package vmcx_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

const genidPath = "configuration/global_settings/devices/generation_id"

// TestRealSamples checks the containers of SOURCES.md: header copy,
// sequences, tables, root, and the generation_id entry's offset and value.
func TestRealSamples(t *testing.T) {
	dir := sharedSamples(t)
	tests := []struct {
		file       string
		seqA, seqB uint16
		tables     int
		root       string
		genid      string
		offset     int64
	}{
		{"dissect-test.vmcx", 25, 24, 8, "configuration", "b7ca8a6ab91ab997147185c9284d42c5", 0x9166},
		{"dissect-target-993F7B33-6057-4D1E-A1FE-A1A1D77BE974.vmcx", 23, 22, 6, "configuration", "069028fc04cdad1d39b4e3e94c94ec1b", -1},
		{"dissect-target-EC04F346-DB96-4700-AF5B-77B3C56C38BD.vmcx", 25, 24, 8, "configuration", "0781c6a1656e2e3dbc5e580a4d8e9632", -1},
		{"dissect-target-child-data.vmcx", 105, 104, 3, "Configurations", "", -1},
		{"dissect-test.VMRS", 7, 6, 2, "configuration", "", -1},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := vmcx.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Header.Copy() != "A" || f.Headers[0].Sequence != tc.seqA || f.Headers[1].Sequence != tc.seqB || f.Headers[1].Err != nil {
				t.Errorf("headers %+v, using %s", f.Headers, f.Header.Copy())
			}
			if len(f.Tables) != tc.tables || len(f.Roots()) != 1 || f.Roots()[0].Name != tc.root || f.Journal.Live != 0 || f.Journal.Max != 145 {
				t.Errorf("tables %d, roots %v, journal %+v", len(f.Tables), f.Roots(), f.Journal)
			}
			ks := f.Lookup(genidPath)
			if tc.genid == "" {
				if len(ks) != 0 {
					t.Errorf("%d generation_id keys, want none", len(ks))
				}
				return
			}
			if len(ks) != 1 {
				t.Fatalf("%d generation_id keys", len(ks))
			}
			s, err := ks[0].String()
			if err != nil || s != tc.genid || tc.offset >= 0 && ks[0].Offset != tc.offset {
				t.Errorf("generation_id %q at %#x, %v", s, ks[0].Offset, err)
			}
			if p := ks[0].Path(); p != genidPath {
				t.Errorf("Path() = %q", p)
			}
		})
	}
}

// TestRepeatedSiblings: the VMRS has metrics/devicetype three times; a
// lookup returns every match.
func TestRepeatedSiblings(t *testing.T) {
	f, err := vmcx.Open(filepath.Join(sharedSamples(t), "dissect-test.VMRS"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range f.Keys {
		if k.Name == "devicetype" {
			n++
		}
	}
	if n < 3 {
		t.Errorf("%d devicetype keys, SOURCES.md says the VMRS repeats it 3 times", n)
	}
	for _, k := range f.Keys {
		if got := f.Lookup(k.Path()); !contains(got, k) {
			t.Fatalf("Lookup(%q) misses the key at %#x", k.Path(), k.Offset)
		}
	}
}

func contains(ks []*vmcx.Key, k *vmcx.Key) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func vm(genid string) *vmcxbuild.Key {
	return vmcxbuild.VM{Name: "t", GlobalID: "6D5A1F43-0B3E-4C2B-9A17-2F1E3D4C5B6A", GenerationID: genid}.Tree()
}

func build(t testing.TB, root *vmcxbuild.Key, opt vmcxbuild.Options) ([]byte, *vmcxbuild.Layout) {
	t.Helper()
	b, l, err := vmcxbuild.Build(root, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b, l
}

func open(b []byte) (*vmcx.File, error) { return vmcx.NewFile(bytes.NewReader(b), int64(len(b))) }

func genidOf(t testing.TB, f *vmcx.File) string {
	t.Helper()
	ks := f.Lookup(genidPath)
	if len(ks) != 1 {
		t.Fatalf("%d generation_id keys", len(ks))
	}
	s, err := ks[0].String()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	idOld = "00000000000000000000000000000abc"
	idNew = "805a287a250989e4fe6f6992be334a43"
)

func TestHeaderChoice(t *testing.T) {
	tests := []struct {
		name    string
		seq     [2]uint16
		corrupt [2]bool
		want    string // copy used; "" = error
		is      error
	}{
		{"A newer", [2]uint16{5, 4}, [2]bool{}, "A", nil},
		{"B newer", [2]uint16{4, 5}, [2]bool{}, "B", nil},
		{"A corrupt, B valid", [2]uint16{5, 4}, [2]bool{true, false}, "B", nil},
		{"B corrupt, A valid", [2]uint16{4, 5}, [2]bool{false, true}, "A", nil},
		{"both corrupt", [2]uint16{5, 4}, [2]bool{true, true}, "", vmcx.ErrChecksum},
		{"sequence wraps", [2]uint16{0xffff, 0}, [2]bool{}, "B", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := build(t, vm(idNew), vmcxbuild.Options{Sequence: tc.seq})
			for i, c := range tc.corrupt {
				if c {
					b[int64(i)*0x1000+0x20] ^= 0x40 // inside the CRC-covered header
				}
			}
			f, err := open(b)
			if tc.want == "" {
				var fe *vmcx.FormatError
				if !errors.Is(err, tc.is) || !errors.As(err, &fe) {
					t.Fatalf("err = %v, want %v with an offset", err, tc.is)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Header.Copy() != tc.want || genidOf(t, f) != idNew {
				t.Errorf("using header %s", f.Header.Copy())
			}
		})
	}
}

func TestVersion(t *testing.T) {
	b, _ := build(t, vm(idNew), vmcxbuild.Options{Version: 0x300})
	_, err := open(b)
	if !errors.Is(err, vmcx.ErrVersion) || errors.Is(err, vmcx.ErrChecksum) || errors.Is(err, vmcx.ErrFormat) {
		t.Errorf("err = %v, want ErrVersion only", err)
	}
}

// TestStaleLogCopy: an old copy of the generation_id entry in the log's
// data area, as in dissect-target-EC04F346, is never read.
func TestStaleLogCopy(t *testing.T) {
	stale, sl := build(t, vm(idOld), vmcxbuild.Options{})
	off := sl.Entries[genidPath]
	page := stale[off&^0xfff : off&^0xfff+0x1000] // the key table page holding the old value
	b, l := build(t, vm(idNew), vmcxbuild.Options{Stale: [][]byte{page}})
	if !bytes.Contains(b[l.LogDataOff:], utf16le(idOld)) {
		t.Fatal("the stale generation_id is not in the log")
	}
	f, err := open(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := genidOf(t, f); got != idNew {
		t.Errorf("generation_id = %s, want the live %s", got, idNew)
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, c := range s {
		b = append(b, byte(c), 0)
	}
	return b
}

// journalFixture builds a file whose key table holds idOld, with a live
// journal entry rewriting the generation_id entry to idNew.
func journalFixture(t testing.TB, bad func(*vmcxbuild.JournalEntry)) []byte {
	newer, l := build(t, vm(idNew), vmcxbuild.Options{})
	off := l.Entries[genidPath]
	size := int64(binary.LittleEndian.Uint32(newer[off+2:]))
	e := vmcxbuild.JournalEntry{Target: off, Data: append([]byte(nil), newer[off:off+size]...)}
	if bad != nil {
		bad(&e)
	}
	b, _ := build(t, vm(idOld), vmcxbuild.Options{Live: []vmcxbuild.JournalEntry{e}})
	return b
}

func TestJournal(t *testing.T) {
	f, err := open(journalFixture(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := genidOf(t, f); got != idNew || f.Journal.Live != 1 || f.Journal.Replayed != 1 {
		t.Errorf("after replay: %s, journal %+v", got, f.Journal)
	}
	for name, bad := range map[string]func(*vmcxbuild.JournalEntry){
		"entry CRC": func(e *vmcxbuild.JournalEntry) { e.BadCRC = true },
		"data CRC":  func(e *vmcxbuild.JournalEntry) { e.BadDataCRC = true },
		"target":    func(e *vmcxbuild.JournalEntry) { e.Target = 1 << 41 },
	} {
		_, err := open(journalFixture(t, bad))
		var fe *vmcx.FormatError
		if err == nil || !strings.Contains(err.Error(), "unclean configuration (pending journal") || !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want an unclean-configuration error with an offset", name, err)
		}
	}
}

// TestShortLog: real files end where the last log data ends, before the
// nominal end of the log region.
func TestShortLog(t *testing.T) {
	b, l := build(t, vm(idNew), vmcxbuild.Options{LogSize: 0x9000, TrimLog: true, Stale: [][]byte{make([]byte, 0x24)}})
	if int64(len(b)) >= l.LogOffset+0x9000 {
		t.Fatalf("file of %#x bytes is not shorter than its log region", len(b))
	}
	f, err := open(b)
	if err != nil || genidOf(t, f) != idNew {
		t.Errorf("err = %v", err)
	}
}

func TestTreeErrors(t *testing.T) {
	t.Run("parent cycle", func(t *testing.T) {
		b, l := build(t, vm(idNew), vmcxbuild.Options{})
		// devices → its own child generation_id's parent is devices; make
		// global_settings' parent devices: global_settings → devices → global_settings.
		gs, dev := l.Entries["configuration/global_settings"], l.Entries["configuration/global_settings/devices"]
		l.SetParent(b, gs, dev, 12)
		_, err := open(b)
		if !errors.Is(err, vmcx.ErrFormat) || !strings.Contains(err.Error(), "cycle") {
			t.Errorf("err = %v, want a cycle error", err)
		}
	})
	t.Run("parent not a node", func(t *testing.T) {
		b, l := build(t, vm(idNew), vmcxbuild.Options{})
		l.SetParent(b, l.Entries[genidPath], l.Entries["configuration/properties/name"], 68)
		_, err := open(b)
		if !errors.Is(err, vmcx.ErrFormat) || !strings.Contains(err.Error(), "not a node") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("entry CRC", func(t *testing.T) {
		b, l := build(t, vm(idNew), vmcxbuild.Options{})
		off := l.Entries[genidPath]
		b[off+0x30] ^= 1 // a UTF-16 digit of the value
		_, err := open(b)
		var fe *vmcx.FormatError
		if !errors.Is(err, vmcx.ErrChecksum) || !errors.As(err, &fe) || fe.Offset != off {
			t.Errorf("err = %v, want a checksum error at %#x", err, off)
		}
	})
	// The two fields no CRC covers: damage there is corruption (exit 4),
	// not a file without an ID.
	t.Run("entry type damaged to free", func(t *testing.T) {
		b, l := build(t, vm(idNew), vmcxbuild.Options{})
		off := l.Entries[genidPath]
		b[off] = 1 // TypeFree
		_, err := open(b)
		var fe *vmcx.FormatError
		if !errors.Is(err, vmcx.ErrFormat) || !errors.As(err, &fe) || fe.Offset != off || !strings.Contains(err.Error(), "marked free but carries a checksum") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("object count damaged", func(t *testing.T) {
		b, _ := build(t, vm(idNew), vmcxbuild.Options{TableLimit: 200}) // several key tables
		count := int64(0x2004)
		binary.LittleEndian.PutUint32(b[count:], 1) // hides the other slots
		_, err := open(b)
		if !errors.Is(err, vmcx.ErrFormat) || !strings.Contains(err.Error(), "the count is damaged") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("two key tables with one index", func(t *testing.T) {
		b, l := build(t, vm(idNew), vmcxbuild.Options{})
		t2 := l.TableOffset[1]
		binary.LittleEndian.PutUint16(b[t2+2:], 1)
		binary.LittleEndian.PutUint32(b[t2+6:], 0)
		binary.LittleEndian.PutUint32(b[t2+6:], crc(b[t2:t2+10]))
		_, err := open(b)
		if !errors.Is(err, vmcx.ErrUnsupported) || errors.Is(err, vmcx.ErrFormat) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
	})
}

// TestValues reads every type through the builder.
func TestValues(t *testing.T) {
	root := vmcxbuild.Node("r",
		vmcxbuild.Int("i", -5), vmcxbuild.UInt("u", 1<<63), vmcxbuild.Double("d", 2.5),
		vmcxbuild.String("s", "héllo"), vmcxbuild.Bytes("b", []byte{1, 2}), vmcxbuild.Bool("t", true), vmcxbuild.Node("empty"))
	b, _ := build(t, root, vmcxbuild.Options{})
	f, err := open(b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"i": int64(-5), "u": uint64(1 << 63), "d": 2.5, "s": "héllo", "t": true}
	for name, w := range want {
		v, err := f.Lookup("r/" + name)[0].Value()
		if err != nil || v != w {
			t.Errorf("%s = %v (%T), %v; want %v", name, v, v, err, w)
		}
	}
	if v, _ := f.Lookup("r/b")[0].Bytes(); !bytes.Equal(v, []byte{1, 2}) {
		t.Errorf("b = %v", v)
	}
	if _, err := f.Lookup("r/i")[0].String(); !errors.Is(err, vmcx.ErrFormat) {
		t.Errorf("String() of an int: %v", err)
	}
}

// TestFilesOwnTheirValues opens containers one after another and checks
// that the first one's values survive the reading of the others (the
// buffer files are read into is reused).
func TestFilesOwnTheirValues(t *testing.T) {
	a, _ := build(t, vm(idNew), vmcxbuild.Options{})
	first, err := open(a)
	if err != nil {
		t.Fatal(err)
	}
	values := map[*vmcx.Key]any{}
	for _, k := range first.Keys {
		v, _ := k.Value()
		values[k] = v
	}
	for i := 0; i < 20; i++ {
		b, _ := build(t, vm(fmt.Sprintf("%032x", i+1)), vmcxbuild.Options{})
		if _, err := open(b); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range values {
		if got, _ := k.Value(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s changed from %v to %v after other files were read", k.Path(), want, got)
		}
	}
	if got := genidOf(t, first); got != idNew {
		t.Fatalf("generation_id %s, want %s", got, idNew)
	}
}
