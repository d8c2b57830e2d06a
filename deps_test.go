package genidmigrate_test

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/genid-migrate/genid-migrate"

// allowed lists, for each package directory (a prefix ending in "/" covers
// its subpackages), the module-internal and third-party imports it may use.
// The standard library is always allowed. These are the layers of
// ARCHITECTURE.md, bottom up; a package imports only from floors below
// its own.
var allowed = map[string][]string{
	// 1. The core: the ID and its spellings; the Hyper-V container.
	"genid": {},
	"vmcx":  {},

	// 2. Leaf helpers, and the builders tests and tools use.
	"internal/ascii":      {},
	"internal/bounded":    {"genid"},
	"internal/qemuargs":   {"genid"},
	"internal/xmlspan":    {},
	"internal/xmlscan":    {},
	"internal/atomicfile": {},
	"internal/udiff":      {},
	"internal/testenv":    {},
	"internal/textsafe":   {},
	"internal/vmcxbuild":  {"vmcx"},
	"internal/fleetgen":   {"genid", "internal/vmcxbuild"},

	// 3. One package per format read and per target written.
	"readers/":         {"genid", "vmcx", "internal/ascii", "internal/bounded", "internal/qemuargs", "internal/xmlspan", "internal/xmlscan", "github.com/beevik/etree"},
	"readers/kubevirt": {"genid", "internal/bounded", "gopkg.in/yaml.v3"},
	"writers/libvirt":  {"genid", "internal/xmlspan", "libvirt.org/go/libvirtxml"},
	"writers/":         {"genid", "internal/ascii"},

	// 4. The tables of formats and targets, the rewrite policy, the known
	// wrong conversions.
	"formats":  {"genid", "vmcx", "internal/bounded", "readers/"},
	"targets":  {"genid", "writers/"},
	"diagnose": {"genid", "writers/"},
	"edit":     {"genid", "formats", "internal/atomicfile", "internal/udiff", "readers/", "writers/"},

	// 5. Where configurations come from: files and reports, and each live
	// inventory in a package of its own.
	"inventory":         {"genid", "formats", "internal/bounded"},
	"inventory/vsphere": {"genid", "formats", "inventory", "readers/vmware", "github.com/vmware/govmomi/"},
	"inventory/libvirt": {"formats", "inventory", "readers/qmp", "github.com/digitalocean/go-libvirt", "github.com/digitalocean/go-libvirt/"},

	// 6. Findings and reports across configurations.
	"audit": {"genid", "formats", "inventory", "diagnose", "internal/textsafe"},
	// The Proxmox plan: audit's pairs, and the Proxmox reader for the
	// values the script checks.
	"plan": {"genid", "audit", "readers/proxmox"},

	// 7. The command: flags, printing, exit codes. It reads through
	// formats and inventory; readers/hyperv only for inspect's key
	// listing, readers/guest for verify's pasted evidence, readers/qmp for
	// the type of a guest reading.
	"cmd/genid-migrate": {"genid", "formats", "targets", "diagnose", "edit", "inventory", "inventory/", "audit", "plan", "internal/bounded", "internal/atomicfile", "internal/textsafe", "readers/hyperv", "readers/guest", "readers/qmp", "writers/qemu", "github.com/urfave/cli/v2"},
	"tools/":            {"genid", "internal/"},
}

func rulesFor(dir string) ([]string, bool) {
	best, found := "", false
	for k := range allowed {
		if (dir == k || strings.HasSuffix(k, "/") && strings.HasPrefix(dir, k)) && len(k) > len(best) {
			best, found = k, true
		}
	}
	return allowed[best], found
}

func TestDependencies(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "fixtures") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		dir := filepath.ToSlash(path)
		if dir == "." {
			return nil
		}
		rules, ok := rulesFor(dir)
		if !ok {
			t.Errorf("package %s has no dependency rule in deps_test.go", dir)
			return nil
		}
		for _, imp := range pkg.Imports { // not test imports
			if !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // standard library
			}
			rel := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			permitted := false
			for _, r := range rules {
				if rel == r || strings.HasSuffix(r, "/") && strings.HasPrefix(rel, r) {
					permitted = true
				}
			}
			if !permitted {
				t.Errorf("%s imports %s, which its layer does not allow", dir, imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
