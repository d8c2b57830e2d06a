package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestKubeVirtHookBoots carries IDs to a KubeVirt-shaped domain the way a
// cluster would: convert --to kubevirt prints the ConfigMap, a YAML library
// takes the script out of it, sh runs it as the sidecar-shim does on a
// domain XML shaped like virt-launcher's, libvirt's embedded QEMU driver
// starts the result, and the guest's bytes are read from its RAM. They
// must be G by formula from the .vmx the ID came from.
func TestKubeVirtHookBoots(t *testing.T) {
	e := newEmbed(t)
	sh := realTool(t, "sh")
	launcher, err := os.ReadFile("../../writers/kubevirt/testdata/virt-launcher.xml")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	for i := 0; i < 2; i++ {
		g, x := randHalves(rng)
		src := filepath.Join(e.root, fmt.Sprintf("dc%d.vmx", i))
		os.WriteFile(src, []byte(fmt.Sprintf("config.version = \"8\"\nvm.genid = \"%s\"\nvm.genidX = \"%s\"\n", g, x)), 0o644)
		var cm struct {
			Kind string            `yaml:"kind"`
			Data map[string]string `yaml:"data"`
		}
		if err := yaml.Unmarshal([]byte(runCLI(t, "convert", "--to", "kubevirt", "--vm", "dc01", "--namespace", "default", src)), &cm); err != nil {
			t.Fatal(err)
		}
		script := cm.Data["onDefineDomain.sh"]
		if cm.Kind != "ConfigMap" || !strings.HasPrefix(script, "#!/bin/sh\n") {
			t.Fatalf("convert --to kubevirt: kind %q, script %q", cm.Kind, script)
		}
		hook := filepath.Join(e.root, "onDefineDomain")
		os.WriteFile(hook, []byte(script), 0o755)
		vmi := `{"metadata":{"name":"dc01","namespace":"default"},"spec":{}}`
		for _, shape := range []string{"indented", "compact"} {
			doc := string(launcher)
			if shape == "compact" {
				doc = strings.Join(strings.Fields(strings.ReplaceAll(doc, "\t", "")), " ")
				doc = strings.ReplaceAll(doc, "> <", "><")
			}
			cmd := exec.Command(sh, hook, "--vmi", vmi, "--domain", doc)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s hook: %v\n%s", shape, err, stderrOf(err))
			}
			dom := filepath.Join(e.root, "kubevirt.xml")
			os.WriteFile(dom, hostable(out), 0o644)
			if got, want := e.runGuest(t, dom), gFromVMX(g, x); got != want {
				t.Errorf("%s (%s): the guest sees %s, the formulas give %s", src, shape, got, want)
			}
		}
	}
}

// realTool finds a tool or reports it missing (a failure under CI=true).
func realTool(t *testing.T, name string) string {
	requireTools(t, name)
	p, _ := exec.LookPath(name)
	return p
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
