package hyperv

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
	"github.com/genid-migrate/genid-migrate/vmcx"

	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// samples returns the directory of the real Hyper-V samples (read in
// place, never copied: several are AGPL-3.0), skipping outside CI when it
// is absent.
func samples(t testing.TB) string {
	t.Helper()
	return testenv.Samples(t, filepath.Join("..", ".."))
}

// TestRealSamples: every sample gives the values SOURCES.md lists.
func TestRealSamples(t *testing.T) {
	dir := samples(t)
	tests := []struct {
		file, format, genid, name, globalID string
		version                             int64
		gen                                 string
		kind                                Kind
	}{
		{"dissect-test.vmcx", "vmcx", "b7ca8a6ab91ab997147185c9284d42c5", "Other Location", "282874FC-59D6-4F30-BC04-5FDD909C82E0", 2304, "Gen1", KindVM},
		{"dissect-target-993F7B33-6057-4D1E-A1FE-A1A1D77BE974.vmcx", "vmcx", "069028fc04cdad1d39b4e3e94c94ec1b", "Default Generation 2", "993F7B33-6057-4D1E-A1FE-A1A1D77BE974", 2304, "Gen2", KindVM},
		{"dissect-target-EC04F346-DB96-4700-AF5B-77B3C56C38BD.vmcx", "vmcx", "0781c6a1656e2e3dbc5e580a4d8e9632", "Default Generation 1", "EC04F346-DB96-4700-AF5B-77B3C56C38BD", 2304, "Gen1", KindVM},
		{"dissect-target-child-data.vmcx", "vmcx", "", "", "", 0, "", KindHostRegistry},
		{"dissect-test.VMRS", "vmcx", "", "", "", 2304, "", KindRuntimeState},
		{"dissect-target-B90AC31B-C6F8-479F-9B91-07B894A6A3F6.xml", "xml", "0edcff9e2d4a44dcccac76759d8e37bc", "Default Generation 1", "B90AC31B-C6F8-479F-9B91-07B894A6A3F6", 1280, "Gen1", KindVM},
		{"dissect-target-D351C151-DAC7-4042-B434-B72D522C1E4A.xml", "xml", "1a95d6da43c4106a9d701eed72282fdc", "Default Generation 2", "D351C151-DAC7-4042-B434-B72D522C1E4A", 1280, "Gen2", KindVM},
		{"mwrock-packer-templates-vm.XML", "xml", "fd66d6917bb7cdbf9a906875a3cf499b", "2012R2", "0AA394FA-7C4A-4070-BA32-773D43B28A68", 1280, "Gen1", KindVM},
		{"nswanberg-packer-templates-vm.XML", "xml", "fd66d6917bb7cdbf9a906875a3cf499b", "2012R2Min", "0AA394FA-7C4A-4070-BA32-773D43B28A68", 1280, "Gen1", KindVM},
		{"shizzlator-packer-windows-vm.XML", "xml", "fd66d6917bb7cdbf9a906875a3cf499b", "vagrant-2012-r2", "0AA394FA-7C4A-4070-BA32-773D43B28A68", 1280, "Gen1", KindVM},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			c, err := ReadFile(filepath.Join(dir, tc.file))
			if tc.genid == "" {
				if !errors.Is(err, genid.ErrNotFound) || c == nil || c.Kind != tc.kind {
					t.Fatalf("%+v, %v; want ErrNotFound, kind %s", c, err, tc.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{c.Format, c.ID.HyperV(), c.Name, c.GlobalID, c.Generation(), string(c.Kind)}
			want := []string{tc.format, tc.genid, tc.name, tc.globalID, tc.gen, string(tc.kind)}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %q, want %q", got, want)
					break
				}
			}
			if c.Version != tc.version {
				t.Errorf("version %d, want %d", c.Version, tc.version)
			}
		})
	}
}

// realContainers returns the real vmcx samples that hold an ID, or the
// synthetic fixtures when the samples are absent (outside CI).
func realContainers(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	dir, _ := testenv.OptionalSamples(t, filepath.Join("..", ".."))
	files, _ := filepath.Glob(filepath.Join(dir, "dissect-t*.vmcx"))
	for _, f := range files {
		if strings.Contains(f, "child-data") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	if len(out) == 0 {
		b, _ := buildVM(t, realistic(seedHyperV), realOptions)
		out["synthetic"] = b
	}
	return out
}

// readBytes reads a vmcx held in memory, turning a panic into a failure.
func readBytes(t *testing.T, b []byte) (c *Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	return ReadVMCX(bytes.NewReader(b), int64(len(b)))
}

// judge fails when a damaged file reads as an ID other than want, or fails
// without saying where.
func judge(t *testing.T, what string, b []byte, want genid.ID) (same bool) {
	t.Helper()
	c, err := readBytes(t, b)
	if err == nil {
		if c.ID != want {
			t.Fatalf("%s: read a different ID %s (want %s)", what, c.ID.HyperV(), want.HyperV())
		}
		return true
	}
	var fe *vmcx.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("%s: error without an offset: %v", what, err)
	}
	return false
}

// TestMutations flips random single bytes of the real samples 10 000
// times: each result is the original ID or an error naming an offset, never
// another ID and never a panic.
func TestMutations(t *testing.T) {
	files := realContainers(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 10000
	if testing.Short() {
		n = 1000
	}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	errs := 0
	for i := 0; i < n; i++ {
		name := names[i%len(names)]
		orig := files[name]
		want, err := readBytes(t, orig)
		if err != nil {
			t.Fatal(err)
		}
		b := append([]byte(nil), orig...)
		off := rng.IntN(len(b))
		b[off] ^= byte(1 + rng.IntN(255))
		if !judge(t, name+" with byte "+hexOff(off)+" changed", b, want.ID) {
			errs++
		}
	}
	t.Logf("%d mutations: %d read the original ID, %d refused with an offset, 0 other IDs", n, n-errs, errs)
}

// TestMutationsOnPath flips every bit of every byte of the structures the
// generation ID depends on: both headers, the object table and the key
// entries from the root down to generation_id.
func TestMutationsOnPath(t *testing.T) {
	for name, orig := range realContainers(t) {
		c, err := readBytes(t, orig)
		if err != nil {
			t.Fatal(err)
		}
		f := c.Container
		ranges := [][2]int64{{0, 0x2e}, {0x1000, 0x102e}, {0x2000, 0x2000 + 8 + 227*18}}
		for k := f.Lookup(GenerationIDPath)[0]; k != nil; k = k.Parent {
			ranges = append(ranges, [2]int64{k.Offset, k.Offset + 21 + int64(len(k.Name)) + 1 + 68})
		}
		for _, r := range ranges {
			for off := r[0]; off < r[1] && off < int64(len(orig)); off++ {
				for bit := 0; bit < 8; bit++ {
					b := append([]byte(nil), orig...)
					b[off] ^= 1 << bit
					judge(t, name+" bit "+string(rune('0'+bit))+" of byte "+hexOff(int(off)), b, c.ID)
				}
			}
		}
	}
}

// TestTruncation cuts the real samples at every structure boundary (and a
// byte either side): the original ID or an error with an offset.
func TestTruncation(t *testing.T) {
	for name, orig := range realContainers(t) {
		c, err := readBytes(t, orig)
		if err != nil {
			t.Fatal(err)
		}
		f := c.Container
		cuts := []int64{0, 4, 0x2e, 0x1000, 0x102e, 0x2000, 0x2008, 0x3000, f.Journal.Offset, f.Journal.Offset + 0x22}
		for _, tb := range f.Tables {
			cuts = append(cuts, tb.Offset, tb.Offset+10, tb.Offset+tb.Size)
		}
		for _, k := range f.Keys {
			cuts = append(cuts, k.Offset)
		}
		for _, cut := range cuts {
			for _, d := range []int64{-1, 0, 1} {
				n := cut + d
				if n < 0 || n >= int64(len(orig)) {
					continue
				}
				judge(t, name+" cut at "+hexOff(int(n)), orig[:n], c.ID)
			}
		}
	}
}

func hexOff(n int) string { return fmt.Sprintf("%#x", n) }

func TestXML(t *testing.T) {
	doc := func(devices string) string {
		return "<?xml version=\"1.0\" encoding=\"UTF-16\" standalone=\"yes\"?>\n<configuration>\n  <properties>\n    <name type=\"string\">x</name>\n    <global_id type=\"string\">G</global_id>\n  </properties>\n  <global_settings>\n    <devices>\n" + devices + "    </devices>\n  </global_settings>\n</configuration>\n"
	}
	const one = "      <generation_id type=\"string\">805a287a250989e4fe6f6992be334a43</generation_id>\n"
	tests := []struct {
		name string
		in   []byte
		want string // Windows view, vectors.json seed-hyperv
		line int    // error line, when want is ""
		nf   bool   // ErrNotFound
	}{
		{"utf-8 declaring utf-16", []byte(doc(one)), "fe6f6992be334a43:805a287a250989e4", 0, false},
		{"utf-16le bom crlf", vmcxbuild.UTF16LE(doc(one)), "fe6f6992be334a43:805a287a250989e4", 0, false},
		{"utf-16be bom", utf16be(doc(one)), "fe6f6992be334a43:805a287a250989e4", 0, false},
		{"utf-8 bom", append([]byte("\xef\xbb\xbf"), doc(one)...), "fe6f6992be334a43:805a287a250989e4", 0, false},
		{"utf-16le without bom", vmcxbuild.UTF16LE(doc(one))[2:], "fe6f6992be334a43:805a287a250989e4", 0, false},
		{"whitespace and upper case", []byte(doc("      <generation_id type=\"string\">\r\n   805A287A250989E4FE6F6992BE334A43  \r\n</generation_id>\n")), "fe6f6992be334a43:805a287a250989e4", 0, false},
		{"two", []byte(doc(one + one)), "", 10, false},
		{"wrong type", []byte(doc("      <generation_id type=\"integer\">5</generation_id>\n")), "", 9, false},
		{"short", []byte(doc("      <generation_id type=\"string\">805a287a</generation_id>\n")), "", 9, false},
		{"not hex", []byte(doc("      <generation_id type=\"string\">805a287a250989e4fe6f6992be334a4z</generation_id>\n")), "", 9, false},
		{"empty", []byte(doc("      <generation_id type=\"string\">\r\n    </generation_id>\n")), "", 0, true},
		{"absent", []byte(doc("")), "", 0, true},
		{"syntax", []byte(doc("      <generation_id type=\"string\">x</generation>\n")), "", 9, false},
		{"odd utf-16", append(vmcxbuild.UTF16LE(doc(one)), 0), "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ReadXML(bytes.NewReader(tc.in))
			switch {
			case tc.want != "":
				if err != nil || c.ID.Windows() != tc.want {
					t.Fatalf("%v, %v; want %s", c, err, tc.want)
				}
			case tc.nf:
				if !errors.Is(err, genid.ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			default:
				var ie *genid.InputError
				if !errors.As(err, &ie) || ie.Line != tc.line {
					t.Fatalf("err = %v, want an InputError on line %d", err, tc.line)
				}
			}
		})
	}
}

func utf16be(s string) []byte {
	le := vmcxbuild.UTF16LE(strings.ReplaceAll(s, "\r\n", "\n"))
	for i := 0; i+1 < len(le); i += 2 {
		le[i], le[i+1] = le[i+1], le[i]
	}
	return le
}

func TestCheckpointPath(t *testing.T) {
	for p, want := range map[string]bool{
		"export/dc01/Snapshots/9C0E2B71.vmcx":        true,
		`D:\export\dc01\snapshots\9C0E2B71.vmcx`:     true,
		"export/dc01/Virtual Machines/6D5A1F43.vmcx": false,
		"Snapshots.vmcx": false,
	} {
		if got := IsCheckpointPath(p); got != want {
			t.Errorf("IsCheckpointPath(%q) = %v", p, got)
		}
	}
}

// TestDecodeText checks the UTF-16 decoding against unicode/utf16 for
// ASCII text of every length around the four-unit step, and for text with
// a non-ASCII character at the start, the middle and the end.
func TestDecodeText(t *testing.T) {
	var texts []string
	for n := 0; n <= 9; n++ {
		texts = append(texts, strings.Repeat("<a>", 3)[:n])
	}
	texts = append(texts, "é<configuration/>", "<name>Büro-DC</name>", "<x>€</x>é", "<x>\U0001F600</x>", "ab\u0080c", "abcd\u0100")
	for _, s := range texts {
		units := utf16.Encode([]rune(s))
		le := []byte{0xff, 0xfe}
		be := []byte{0xfe, 0xff}
		for _, u := range units {
			le = append(le, byte(u), byte(u>>8))
			be = append(be, byte(u>>8), byte(u))
		}
		for _, in := range [][]byte{le, be} {
			got, err := DecodeText(in)
			if err != nil || string(got) != s {
				t.Errorf("DecodeText(% x) = %q, %v; want %q", in, got, err, s)
			}
		}
	}
}

// TestScanXMLLines checks that the fast scanner reports an element's line
// as the full parser does (the line its start tag ends on), also when the
// tag spans lines.
func TestScanXMLLines(t *testing.T) {
	doc := []byte("<?xml version=\"1.0\"?>\n<configuration>\n <!-- a\n comment -->\n <global_settings>\n  <devices>\n   <generation_id\n      type=\"string\">805a287a250989e4fe6f6992be334a43</generation_id>\n  </devices>\n </global_settings>\n</configuration>\n")
	fast, ok := scanXML(doc)
	if !ok {
		t.Fatal("the fast scanner gave up on a plain document")
	}
	full, err := parseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	lf := fast.lookup(GenerationIDPath)
	ls := full.lookup(GenerationIDPath)
	if len(lf) != 1 || len(ls) != 1 {
		t.Fatalf("%d and %d matches", len(lf), len(ls))
	}
	a, _ := lf[0].pos()
	b, _ := ls[0].pos()
	if a != 8 || b != 8 {
		t.Errorf("generation_id on line %d (fast) and %d (full), want 8", a, b)
	}
}

// TestScanXMLMalformedElsewhere: a document that is malformed only in an
// element the resolver does not read is malformed all the same. The fast
// scanner once skipped such elements and reported the file as fine.
func TestScanXMLMalformedElsewhere(t *testing.T) {
	for _, bad := range []string{"&foo;", "A & B", "a ]]> b", "&#0;"} {
		doc := "<configuration>\n <properties><notes type=\"string\">" + bad + "</notes></properties>\n" +
			" <global_settings><devices><generation_id type=\"string\">805a287a250989e4fe6f6992be334a43</generation_id></devices></global_settings>\n</configuration>\n"
		if _, ok := scanXML([]byte(doc)); ok {
			t.Errorf("%q: the fast scanner read it", bad)
		}
		_, err := ParseXML([]byte(doc))
		if genid.ClassOf(err) != genid.ClassMalformed {
			t.Errorf("%q: %v, want a malformed configuration", bad, err)
		}
	}
}
