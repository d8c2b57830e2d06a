package kubevirt

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/testenv"
)

// The ID of vector seed-vmware: its GUID is in the vectors, not computed
// here.
var (
	seed     = genid.MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	seedGUID = "09512cc5-940a-8987-b950-f54f631015e8"
	dc01     = VM{Name: "dc01", Namespace: "default"}
)

// vmiJSON is the start of the VirtualMachineInstance as virt-launcher
// marshals it (encoding/json: TypeMeta inline, then ObjectMeta with name,
// then namespace).
func vmiJSON(name, ns string) string {
	return `{"kind":"VirtualMachineInstance","apiVersion":"kubevirt.io/v1","metadata":{"name":"` + name + `","namespace":"` + ns + `","uid":"b6c1a2f4-0d3e-4c5b-8a79-6e5f4d3c2b1a"},"spec":{"domain":{"devices":{"disks":[{"name":"dc01"}]}}}}`
}

// runHook runs the script with sh (dash on Debian, as POSIX as it gets)
// the way the sidecar-shim does: onDefineDomain --vmi JSON --domain XML.
func runHook(t *testing.T, script string, args ...string) (string, string, error) {
	t.Helper()
	sh := testenv.Tool(t, "sh", "dash")
	f := filepath.Join(t.TempDir(), "onDefineDomain")
	if err := os.WriteFile(f, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sh, append([]string{f}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// domainGenIDs returns the text of every <genid> child of <domain>.
func domainGenIDs(t *testing.T, doc string) []string {
	t.Helper()
	var d struct {
		XMLName xml.Name `xml:"domain"`
		GenID   []string `xml:"genid"`
		Name    string   `xml:"name"`
	}
	if err := xml.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatalf("the hook printed XML encoding/xml cannot read: %v\n%s", err, doc)
	}
	return d.GenID
}

func TestHook(t *testing.T) {
	indented, err := os.ReadFile("testdata/virt-launcher.xml")
	if err != nil {
		t.Fatal(err)
	}
	compact := regexp.MustCompile(`>\s+<`).ReplaceAllString(string(indented), "><")
	el := "<genid>" + seedGUID + "</genid>"
	for _, tc := range []struct {
		name, in string
		want     string // the output, less its final newline
	}{
		{"indented", string(indented), strings.Replace(string(indented), "</uuid>", "</uuid>"+el, 1)},
		{"compact", compact, strings.Replace(compact, "</uuid>", "</uuid>"+el, 1)},
		{"no uuid", strings.Replace(compact, "<uuid>5a9fc181-957e-5c32-9e5a-2de5e9673531</uuid>", "", 1),
			strings.Replace(strings.Replace(compact, "<uuid>5a9fc181-957e-5c32-9e5a-2de5e9673531</uuid>", "", 1), "</name>", "</name>"+el, 1)},
		{"genid replaced", strings.Replace(compact, "</uuid>", "</uuid><genid>8987940a-0951-2cc5-e815-10634ff550b9</genid>", 1),
			strings.Replace(compact, "</uuid>", "</uuid>"+el, 1)},
		{"empty genid replaced", strings.Replace(string(indented), "</uuid>", "</uuid>\n\t<genid/>", 1),
			strings.Replace(string(indented), "</uuid>", "</uuid>\n\t"+el, 1)},
		{"two uuid tags", strings.Replace(compact, "</name>", "</name><uuid>x</uuid>", 1),
			strings.Replace(strings.Replace(compact, "</name>", "</name><uuid>x</uuid>", 1), "</uuid>", "</uuid>"+el, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := runHook(t, dc01.Hook(seed), "--vmi", vmiJSON("dc01", "default"), "--domain", tc.in)
			if err != nil {
				t.Fatalf("%v: %s", err, stderr)
			}
			if out != tc.want+"\n" {
				t.Errorf("hook output:\n%s\nwant:\n%s", out, tc.want)
			}
			if tc.name != "two uuid tags" {
				if got := domainGenIDs(t, out); len(got) != 1 || got[0] != seedGUID {
					t.Errorf("<genid> = %q, want [%s]", got, seedGUID)
				}
			}
		})
	}
	// The domain argument may come first, and the shim's order may change.
	out, _, err := runHook(t, dc01.Hook(seed), "--domain", compact, "--vmi", vmiJSON("dc01", "default"))
	if err != nil || !strings.Contains(out, el) {
		t.Errorf("--domain first: %v %q", err, out)
	}
}

func TestHookRefuses(t *testing.T) {
	doc, _ := os.ReadFile("testdata/virt-launcher.xml")
	for _, tc := range []struct {
		name string
		vm   VM
		args []string
		msg  string
	}{
		{"no domain", dc01, []string{"--vmi", vmiJSON("dc01", "default")}, "no --domain argument"},
		{"domain without value", dc01, []string{"--vmi", vmiJSON("dc01", "default"), "--domain"}, "--domain without a value"},
		{"a clone", dc01, []string{"--vmi", vmiJSON("dc01-clone", "default"), "--domain", string(doc)}, "a copy or clone needs an ID of its own"},
		{"another namespace", dc01, []string{"--vmi", vmiJSON("dc01", "lab"), "--domain", string(doc)}, "in namespace default"},
		{"no name", VM{Name: "dc01"}, []string{"--vmi", vmiJSON("dc01", "x"), "--domain", "<domain type='kvm'><memory>1</memory></domain>"}, "neither <uuid> nor <name>"},
		{"genid over lines", VM{Name: "dc01"}, []string{"--vmi", vmiJSON("dc01", "x"), "--domain", "<domain><name>a</name><genid>\n1</genid></domain>"}, "could not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := runHook(t, tc.vm.Hook(seed), tc.args...)
			if err == nil {
				t.Fatalf("the hook succeeded: %q", out)
			}
			if out != "" || !strings.Contains(stderr, tc.msg) || !strings.HasPrefix(stderr, "onDefineDomain (genid-migrate): ") {
				t.Errorf("stdout %q, stderr %q; want nothing and %q", out, stderr, tc.msg)
			}
		})
	}
}

// TestConfigMapYAML parses the output with a YAML library and checks the
// fields Kubernetes and KubeVirt read.
func TestConfigMapYAML(t *testing.T) {
	text := dc01.ConfigMap(seed, "win2019-dc01.vmx\nkind: Secret")
	var cm struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name        string            `yaml:"name"`
			Namespace   string            `yaml:"namespace"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
		Data map[string]string `yaml:"data"`
	}
	dec := yaml.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&cm); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if cm.APIVersion != "v1" || cm.Kind != "ConfigMap" || cm.Metadata.Name != "dc01-genid" || cm.Metadata.Namespace != "default" {
		t.Errorf("ConfigMap header: %+v", cm)
	}
	if cm.Metadata.Annotations[GUIDAnnotation] != seedGUID {
		t.Errorf("annotations: %v", cm.Metadata.Annotations)
	}
	if cm.Data[ScriptKey] != dc01.Hook(seed) {
		t.Errorf("the script does not survive YAML:\n%q\nwant\n%q", cm.Data[ScriptKey], dc01.Hook(seed))
	}
	if len(cm.Data) != 1 {
		t.Errorf("data keys: %v", cm.Data)
	}
	if err := dec.Decode(&cm); err == nil {
		t.Errorf("more than one YAML document:\n%s", text)
	}
	// The kubectl patch in the comments is the one PatchCommand returns.
	if !strings.Contains(text, "# "+"     kubectl patch virtualmachine dc01 --namespace default --type merge --patch '"+dc01.Patch(seed)+"'\n") {
		t.Errorf("the comments lack the patch command:\n%s", text)
	}
}

// TestSidecarAnnotation decodes the annotation with KubeVirt's field names
// (hooks.HookSidecar: args, configMap{name,key,hookPath}).
func TestSidecarAnnotation(t *testing.T) {
	var p struct {
		Spec struct {
			Template struct {
				Metadata struct {
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal([]byte(dc01.Patch(seed)), &p); err != nil {
		t.Fatal(err)
	}
	ann := p.Spec.Template.Metadata.Annotations
	if ann[GUIDAnnotation] != seedGUID {
		t.Errorf("patch annotations: %v", ann)
	}
	var sidecars []struct {
		Args      []string `json:"args"`
		ConfigMap struct {
			Name, Key, HookPath string
		} `json:"configMap"`
	}
	if err := json.Unmarshal([]byte(ann[HookAnnotation]), &sidecars); err != nil {
		t.Fatal(err)
	}
	if len(sidecars) != 1 || strings.Join(sidecars[0].Args, " ") != "--version v1alpha2" ||
		sidecars[0].ConfigMap.Name != "dc01-genid" || sidecars[0].ConfigMap.Key != ScriptKey || sidecars[0].ConfigMap.HookPath != "/usr/bin/onDefineDomain" {
		t.Errorf("sidecars: %+v", sidecars)
	}
}

// TestPatchWithKubectl applies the patch with kubectl's own merge code,
// offline (--local), to a VirtualMachine manifest.
func TestPatchWithKubectl(t *testing.T) {
	kubectl := testenv.Tool(t, "kubectl", "kubernetes-client")
	f := filepath.Join(t.TempDir(), "vm.yaml")
	os.WriteFile(f, []byte("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: dc01\n  namespace: default\nspec:\n  runStrategy: Halted\n  template:\n    metadata:\n      annotations:\n        other: kept\n    spec:\n      domain:\n        devices: {}\n"), 0o644)
	argv := dc01.PatchCommand(seed)
	patch := argv[len(argv)-1]
	out, err := exec.Command(kubectl, "patch", "--local", "-f", f, "--type", "merge", "--patch", patch, "-o", "json").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl patch --local: %v\n%s", err, out)
	}
	var vm struct {
		Spec struct {
			RunStrategy string `json:"runStrategy"`
			Template    struct {
				Metadata struct {
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(out, &vm); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ann := vm.Spec.Template.Metadata.Annotations
	if ann["other"] != "kept" || ann[GUIDAnnotation] != seedGUID || ann[HookAnnotation] != dc01.Sidecars() || vm.Spec.RunStrategy != "Halted" {
		t.Errorf("after kubectl patch: %s", out)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		vm VM
		ok bool
	}{
		{VM{Name: "dc01"}, true},
		{VM{Name: "dc01.corp", Namespace: "migrated-vms"}, true},
		{VM{Name: "DC01"}, false},
		{VM{Name: ""}, false},
		{VM{Name: "-dc"}, false},
		{VM{Name: "dc01'; rm -rf /"}, false},
		{VM{Name: "dc01", Namespace: "a.b"}, false},
		{VM{Name: "dc01", Namespace: "Prod"}, false},
		{VM{Name: strings.Repeat("a", 248)}, false},
		{VM{Name: strings.Repeat("a", 247)}, true},
	} {
		if err := tc.vm.Check(); (err == nil) != tc.ok {
			t.Errorf("%+v.Check() = %v, want ok=%v", tc.vm, err, tc.ok)
		}
	}
}
