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
// The standard library is always allowed. These are the layering rules:
// the core depends on nothing, readers and writers on the core only, the
// command on everything.
var allowed = map[string][]string{
	"genid":               {},
	"internal/textlimit":  {"genid"},
	"readers/":            {"genid", "vmcx", "internal/textlimit", "internal/qemuargs", "internal/xmlspan", "github.com/beevik/etree"},
	"internal/qemuargs":   {"genid"},
	"internal/xmlspan":    {},
	"internal/atomicfile": {},
	"internal/udiff":      {},
	"vmcx":                {},
	"internal/vmcxbuild":  {},
	"writers/libvirt":     {"genid", "internal/xmlspan", "libvirt.org/go/libvirtxml"},
	"writers/":            {"genid"},
	"internal/diagnose":   {"genid"},
	"tools/":              {"genid", "internal/"},
	"internal/inventory":  {"genid", "internal/vmcxbuild"},
	"internal/audit":      {"genid", "vmcx", "internal/source", "internal/diagnose", "internal/textlimit"},
	"internal/source":     {"genid", "vmcx", "internal/textlimit", "readers/", "writers/"},
	"cmd/genid-migrate":   {"genid", "vmcx", "internal/", "readers/", "writers/", "github.com/urfave/cli/v2"},
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
