package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// lookAlikes are files in the syntax of a VM configuration that are not
// one, each in the shape its project writes (written here, not copied):
// VMware's snapshot list and host inventory, .NET and NuGet configuration,
// FreeSWITCH's XML configuration, GlassFish's domain.xml, YAML with
// "key: value" lines, a Proxmox container's configuration.
var lookAlikes = map[string]string{
	"dc01.vmsd":          ".encoding = \"UTF-8\"\nsnapshot.lastUID = \"1\"\nsnapshot.current = \"1\"\nsnapshot0.uid = \"1\"\nsnapshot0.filename = \"dc01-Snapshot1.vmsn\"\nsnapshot0.displayName = \"before patch\"\nsnapshot.numSnapshots = \"1\"\n",
	"inventory.vmls":     ".encoding = \"UTF-8\"\nvmlist1.config = \"/vmfs/volumes/ds1/dc01/dc01.vmx\"\nvmlist1.DisplayName = \"dc01\"\nindex.count = \"1\"\n",
	"NuGet.config":       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />\n  </packageSources>\n</configuration>\n",
	"app.config":         "<?xml version=\"1.0\"?>\n<configuration>\n  <startup><supportedRuntime version=\"v4.0\" sku=\".NETFramework,Version=v4.8\"/></startup>\n  <appSettings><add key=\"generation_id\" value=\"1\"/></appSettings>\n</configuration>\n",
	"switch.conf.xml":    "<configuration name=\"switch.conf\" description=\"Core Configuration\">\n  <settings>\n    <param name=\"max-sessions\" value=\"1000\"/>\n  </settings>\n</configuration>\n",
	"domain.xml":         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<domain log-root=\"${com.sun.aas.instanceRoot}/logs\" application-root=\"${com.sun.aas.instanceRoot}/applications\" version=\"10.0\">\n  <system-applications/>\n  <applications/>\n  <resources/>\n  <servers><server name=\"server\" config-ref=\"server-config\"/></servers>\n</domain>\n",
	"ci.yml":             "name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
	".travis.yml":        "language: go\narch: amd64\nos: linux\n",
	"200.conf":           "arch: amd64\ncores: 2\nhostname: ct1\nmemory: 512\nnet0: name=eth0,bridge=vmbr0,ip=dhcp,type=veth\nostype: debian\nrootfs: local-lvm:vm-200-disk-0,size=8G\nswap: 512\n",
	"docker-compose.yml": "version: \"3\"\nservices:\n  web:\n    image: nginx\n",
}

// TestLookAlikes: none is read as a VM: show refuses it (exit 4, "not a
// VM configuration" or not recognised), and an audit skips it.
func TestLookAlikes(t *testing.T) {
	dir := t.TempDir()
	for name, text := range lookAlikes {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		res, err := ReadFile(p, nil, nil)
		if err == nil || ExitCode(err) != ExitMalformed {
			t.Errorf("%s: read as %+v, %v", name, res, err)
			continue
		}
		var ue *UnrecognizedError
		if c := genid.ClassOf(err); c != genid.ClassNotVM && !asUnrecognized(err, &ue) {
			t.Errorf("%s: %v (class %s), want not a VM configuration", name, err, c)
		}
		if !strings.HasPrefix(err.Error(), p+":") {
			t.Errorf("%s: the error does not name the file: %v", name, err)
		}
	}
}

func asUnrecognized(err error, ue **UnrecognizedError) bool {
	u, ok := err.(*UnrecognizedError)
	*ue = u
	return ok
}

// TestPadding: a configuration after more comments or blank lines than
// detection's first look is still recognised, from a file and from a pipe.
func TestPadding(t *testing.T) {
	pad := strings.Repeat("# a long description line, repeated to push the settings past the first look\n", 400)
	for name, tc := range map[string]struct{ text, format string }{
		"vmx":     {pad + "config.version = \"8\"\nvm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", VMX},
		"proxmox": {pad + "name: dc01\nvmgenid: 09512cc5-940a-8987-b950-f54f631015e8\n", Proxmox},
		"libvirt": {"<?xml version='1.0'?>\n<!--\n" + strings.ReplaceAll(pad, "#", " ") + "-->\n<domain type='kvm'>\n  <name>dc01</name>\n  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n</domain>\n", Libvirt},
		"blank":   {strings.Repeat("\n \t\n", 5000) + "config.version = \"8\"\nvm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n", VMX},
	} {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(tc.text), 0o644)
		for _, how := range []string{"file", "pipe"} {
			var res *Result
			var err error
			if how == "file" {
				res, err = ReadFile(p, nil, nil)
			} else {
				res, err = ReadFile("-", bytes.NewReader([]byte(tc.text)), nil)
			}
			// The seed VMware VM (vector seed-vmware).
			if err != nil || res.Format != tc.format || res.ID.GuestBytes() != "c52c51090a948789b950f54f631015e8" {
				t.Errorf("%s from a %s: %+v, %v", name, how, res, err)
			}
		}
	}
	// Comments to the end: nothing to find.
	if _, err := ReadFile("-", bytes.NewReader([]byte(pad+pad)), nil); err == nil {
		t.Error("a file of comments was read")
	}
}
