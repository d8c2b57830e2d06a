package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// realBinary builds the real command once per test run.
func realBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "genid-migrate-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "genid-migrate")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// showJSON runs `genid-migrate show --json ARGS` and decodes the array it
// prints (one object is wrapped).
func showJSON(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	cmd := exec.Command(realBinary(t), append([]string{"show", "--json"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("show --json %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var list []map[string]any
	if bytes.HasPrefix(out, []byte("[")) {
		err = json.Unmarshal(out, &list)
	} else {
		var one map[string]any
		err = json.Unmarshal(out, &one)
		list = append(list, one)
	}
	if err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	return list
}

type vector struct {
	Name          string `json:"name"`
	GuestBytes    string `json:"guest_bytes"`
	Windows       string `json:"windows"`
	GUID          string `json:"guid"`
	VMXGenID      string `json:"vmx_genid"`
	VMXGenIDX     string `json:"vmx_genidX"`
	HyperV        string `json:"hyperv"`
	Xen           string `json:"xen"`
	LibvirtVMware string `json:"libvirt_vmware_genid"`
}

// loadVectors reads the shared conversion vectors copied into genid/testdata.
func loadVectors(t *testing.T) (doc struct{ Vectors []vector }) {
	t.Helper()
	b, err := os.ReadFile("../../genid/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Vectors) < 10 {
		t.Fatalf("only %d vectors", len(doc.Vectors))
	}
	return doc
}

// contractFields maps the JSON fields of show to a vector's values.
func (v vector) contractFields() map[string]string {
	return map[string]string{
		"guest_bytes":          v.GuestBytes,
		"windows":              v.Windows,
		"guid":                 v.GUID,
		"vmx_genid":            v.VMXGenID,
		"vmx_genidX":           v.VMXGenIDX,
		"hyperv":               v.HyperV,
		"xen":                  v.Xen,
		"qemu_device":          "vmgenid,guid=" + v.GUID + ",id=vmgenid0",
		"libvirt_vmware_genid": v.LibvirtVMware,
	}
}

func checkFields(t *testing.T, what string, got map[string]any, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if g, _ := got[k].(string); g != w {
			t.Errorf("%s: %s = %q, want %q", what, k, g, w)
		}
	}
}

// TestVectorsThroughCLI writes each vector as a .vmx file and gives it as
// every literal flag, and checks that show --json prints the vector's fields.
func TestVectorsThroughCLI(t *testing.T) {
	doc := loadVectors(t)
	dir := t.TempDir()
	for i, v := range doc.Vectors {
		vmx := filepath.Join(dir, fmt.Sprintf("v%02d.vmx", i))
		content := fmt.Sprintf("displayName = %q\nvm.genid = %q\nvm.genidX = %q\n", v.Name, v.VMXGenID, v.VMXGenIDX)
		if err := os.WriteFile(vmx, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got := showJSON(t, "--vmx="+v.VMXGenID+":"+v.VMXGenIDX, "--guid", v.GUID, "--windows", v.Windows,
			"--hyperv", v.HyperV, "--bytes", v.GuestBytes, "--xen="+v.Xen, vmx)
		names := []string{"--vmx", "--guid", "--windows", "--hyperv", "--bytes", "--xen", ".vmx file"}
		if len(got) != len(names) {
			t.Fatalf("%s: %d records, want %d", v.Name, len(got), len(names))
		}
		for j, rec := range got {
			checkFields(t, v.Name+" via "+names[j], rec, v.contractFields())
		}
	}
}

// independent computes the contract's fields from vm.genid and vm.genidX
// with big integers and string slicing, following docs/byte-order.md
// directly and sharing no code with package genid.
func independent(genid, genidX string) map[string]string {
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	le := func(s string) []byte { // 8 little-endian bytes of a signed decimal
		n, _ := new(big.Int).SetString(s, 10)
		n.Mod(n, two64)
		be := n.FillBytes(make([]byte, 8))
		for i, j := 0, 7; i < j; i, j = i+1, j-1 {
			be[i], be[j] = be[j], be[i]
		}
		return be
	}
	g := append(le(genid), le(genidX)...)
	hexOf := func(b []byte) string { return fmt.Sprintf("%x", b) }
	rev := func(b []byte) []byte {
		r := make([]byte, len(b))
		for i := range b {
			r[len(b)-1-i] = b[i]
		}
		return r
	}
	unsigned := func(s string) string { // "%x" of the half, no padding
		n, _ := new(big.Int).SetString(s, 10)
		return n.Mod(n, two64).Text(16)
	}
	// QEMU GUID: first 4, next 2, next 2 bytes reversed; last 8 as they are.
	u := hexOf(rev(g[0:4])) + "-" + hexOf(rev(g[4:6])) + "-" + hexOf(rev(g[6:8])) + "-" + hexOf(g[8:10]) + "-" + hexOf(g[10:16])
	lv := hexOf(rev(g[0:8])) + hexOf(rev(g[8:16]))
	return map[string]string{
		"guest_bytes":          hexOf(g),
		"windows":              unsigned(genid) + ":" + unsigned(genidX),
		"guid":                 u,
		"vmx_genid":            genid,
		"vmx_genidX":           genidX,
		"hyperv":               hexOf(rev(g)),
		"xen":                  genid + ":" + genidX,
		"qemu_device":          "vmgenid,guid=" + u + ",id=vmgenid0",
		"libvirt_vmware_genid": lv[0:8] + "-" + lv[8:12] + "-" + lv[12:16] + "-" + lv[16:20] + "-" + lv[20:32],
	}
}

// TestRandomVMX checks show --json on 1000 generated .vmx files with random
// IDs against the independent implementation, in one run of the binary.
func TestRandomVMX(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	dir := t.TempDir()
	const n = 1000
	var paths []string
	var want []map[string]string
	for i := 0; i < n; i++ {
		g, x := int64(rng.Uint64()), int64(rng.Uint64())
		if i%10 == 0 {
			g >>= rng.IntN(64) // small magnitudes and leading zeros too
		}
		gs, xs := fmt.Sprint(g), fmt.Sprint(x)
		key := "vm.genidX"
		if i%2 == 1 {
			key = "vm.genidx"
		}
		p := filepath.Join(dir, fmt.Sprintf("vm%04d.vmx", i))
		content := fmt.Sprintf(".encoding = \"UTF-8\"\r\ndisplayName = \"vm%04d\"\r\nvm.genid = \"%s\"\r\n%s = \"%s\"\r\n", i, gs, key, xs)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		want = append(want, independent(gs, xs))
	}
	got := showJSON(t, paths...)
	if len(got) != n {
		t.Fatalf("%d records, want %d", len(got), n)
	}
	for i := range got {
		checkFields(t, paths[i], got[i], want[i])
	}
}

// TestIndependentMatchesVectors keeps the independent implementation honest.
func TestIndependentMatchesVectors(t *testing.T) {
	doc := loadVectors(t)
	for _, v := range doc.Vectors {
		got := independent(v.VMXGenID, v.VMXGenIDX)
		for k, w := range v.contractFields() {
			if got[k] != w {
				t.Errorf("%s: independent %s = %q, vector %q", v.Name, k, got[k], w)
			}
		}
	}
}
