package genid

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// vector is one entry of testdata/vectors.json, a copy of the project's
// shared conversion vectors (each entry names its source).
type vector struct {
	Name  string `json:"name"`
	Input struct {
		Format string          `json:"format"`
		Value  json.RawMessage `json:"value"`
	} `json:"input"`
	GuestBytes    string `json:"guest_bytes"`
	Windows       string `json:"windows"`
	GUID          string `json:"guid"`
	VMXGenID      string `json:"vmx_genid"`
	VMXGenIDX     string `json:"vmx_genidX"`
	HyperV        string `json:"hyperv"`
	Xen           string `json:"xen"`
	LibvirtVMware string `json:"libvirt_vmware_genid"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Vectors) < 10 {
		t.Fatalf("only %d vectors in testdata/vectors.json", len(doc.Vectors))
	}
	return doc.Vectors
}

func guestBytes(t testing.TB, s string) ID {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 16 {
		t.Fatalf("bad guest_bytes %q in vectors", s)
	}
	return ID(b)
}

// TestVectorsFormat checks every writer against every vector.
func TestVectorsFormat(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			id := guestBytes(t, v.GuestBytes)
			genid, genidX := id.VMX()
			checks := []struct{ what, got, want string }{
				{"GuestBytes", id.GuestBytes(), v.GuestBytes},
				{"Windows", id.Windows(), v.Windows},
				{"GUID", id.GUID(), v.GUID},
				{"String", id.String(), v.GUID},
				{"VMX genid", itoa(genid), v.VMXGenID},
				{"VMX genidX", itoa(genidX), v.VMXGenIDX},
				{"HyperV", id.HyperV(), v.HyperV},
				{"Xen", id.Xen(), v.Xen},
				{"LibvirtVMware", id.LibvirtVMware(), v.LibvirtVMware},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s of %s = %q, want %q", c.what, v.GuestBytes, c.got, c.want)
				}
			}
		})
	}
}

// TestVectorsParse checks every reader against every vector: each spelling
// parses back to the vector's guest bytes.
func TestVectorsParse(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			want := guestBytes(t, v.GuestBytes)
			parsers := []struct {
				what string
				in   string
				fn   func(string) (ID, error)
			}{
				{"ParseGuestBytes", v.GuestBytes, ParseGuestBytes},
				{"ParseWindows", v.Windows, ParseWindows},
				{"ParseGUID", v.GUID, ParseGUID},
				{"ParseGUID upper", strings.ToUpper(v.GUID), ParseGUID},
				{"ParseGUIDInput braces", "{" + strings.ToUpper(v.GUID) + "}", ParseGUIDInput},
				{"ParseVMXPair", v.VMXGenID + ":" + v.VMXGenIDX, ParseVMXPair},
				{"ParseHyperV", v.HyperV, ParseHyperV},
				{"ParseHyperV upper", strings.ToUpper(v.HyperV), ParseHyperV},
				{"ParseXen", v.Xen, ParseXen},
				{"ParseLibvirtVMware", v.LibvirtVMware, ParseLibvirtVMware},
			}
			for _, p := range parsers {
				got, err := p.fn(p.in)
				if err != nil {
					t.Errorf("%s(%q): %v", p.what, p.in, err)
					continue
				}
				if got != want {
					t.Errorf("%s(%q) = %s, want %s", p.what, p.in, got.GuestBytes(), want.GuestBytes())
				}
			}
			// The vector's own input, in its own format.
			var got ID
			var err error
			switch v.Input.Format {
			case "guid":
				got, err = ParseGUID(unquote(t, v.Input.Value))
			case "hyperv":
				got, err = ParseHyperV(unquote(t, v.Input.Value))
			case "windows":
				got, err = ParseWindows(unquote(t, v.Input.Value))
			case "libvirt-vmware":
				got, err = ParseLibvirtVMware(unquote(t, v.Input.Value))
			case "vmx":
				var m map[string]string
				if err := json.Unmarshal(v.Input.Value, &m); err != nil {
					t.Fatal(err)
				}
				var g, x string
				for k, val := range m {
					switch strings.ToLower(k) {
					case "vm.genid":
						g = val
					case "vm.genidx":
						x = val
					}
				}
				got, err = ParseVMXPair(g + ":" + x)
			case "hyperv-file":
				return // read from a file by readers/hyperv
			default:
				t.Fatalf("vector input format %q not handled", v.Input.Format)
			}
			if err != nil {
				t.Fatalf("input %s: %v", v.Input.Value, err)
			}
			if got != want {
				t.Errorf("input %s = %s, want %s", v.Input.Value, got.GuestBytes(), want.GuestBytes())
			}
		})
	}
}

func unquote(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}
