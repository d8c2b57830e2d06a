package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/genid"
)

// fixturesOf returns the bundled fixtures Detect gives to each format.
func fixturesOf(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("../fixtures/*/*.*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if format := Detect(b[:min(len(b), SniffSize)]); format != nil {
			out[format.Name] = append(out[format.Name], f)
		}
	}
	return out
}

var fuzzFunc = regexp.MustCompile(`(?m)^func Fuzz\w+\(f \*testing\.F\)`)

// TestTable walks the table of formats: every row is complete, has a
// bundled fixture it reads with the conventions it declares, and its
// reader has a fuzz target; names and aliases are unique.
func TestTable(t *testing.T) {
	fixtures := fixturesOf(t)
	seen := map[string]string{}
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			if f.Description == "" || f.Sniff == nil || f.Read == nil || len(f.Conventions) == 0 || f.Reader == "" {
				t.Fatalf("incomplete row %+v", f)
			}
			for _, n := range append([]string{f.Name}, f.Aliases...) {
				if other, dup := seen[strings.ToLower(n)]; dup {
					t.Errorf("%q names both %s and %s", n, other, f.Name)
				}
				seen[strings.ToLower(n)] = f.Name
				if ByName(n) != f {
					t.Errorf("ByName(%q) is not this row", n)
				}
			}
			tests, _ := filepath.Glob(filepath.Join("..", f.Reader, "*_test.go"))
			fuzz := false
			for _, name := range tests {
				b, _ := os.ReadFile(name)
				fuzz = fuzz || fuzzFunc.Match(b)
			}
			if !fuzz {
				t.Errorf("%s has no fuzz target", f.Reader)
			}
			if len(fixtures[f.Name]) == 0 {
				t.Fatalf("no fixture under fixtures/ is detected as %s", f.Name)
			}
			for _, name := range fixtures[f.Name] {
				r, err := ReadFile(name, nil, nil)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if r.Format != f.Name || r.ID.IsZero() || !slices.Contains(f.Conventions, r.Convention) || r.Description != f.Description {
					t.Errorf("%s: format %s, ID %s, convention %s; the row says %s, %v", name, r.Format, r.ID, r.Convention, f.Name, f.Conventions)
				}
			}
		})
	}
	for _, l := range Literals() {
		if l.Name == "" || l.Value == "" || l.Usage == "" || l.Description == "" || l.Convention == "" || l.Parse == nil {
			t.Errorf("incomplete literal %+v", l)
		}
		if !strings.Contains(l.Usage, "`"+l.Value+"`") {
			t.Errorf("--%s: the usage does not show %s", l.Name, l.Value)
		}
		if LiteralByName(l.Name) != l {
			t.Errorf("LiteralByName(%q) is not this row", l.Name)
		}
	}
}

// TestErrorsHaveAClass damages every fixture of every format (cut short
// at many lengths, one byte changed at many places) and reads it: an error
// must always carry a class, so that it maps to an exit code and a status.
// A reader whose error types forget their class fails here, instead of
// exiting 5 ("any other failure") for a malformed file.
func TestErrorsHaveAClass(t *testing.T) {
	for format, files := range fixturesOf(t) {
		f := ByName(format)
		for _, name := range files {
			orig, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			var inputs [][]byte
			for n := 0; n < len(orig); n += max(1, len(orig)/97) {
				inputs = append(inputs, orig[:n])
				for _, c := range []byte{0, '"', '<', 0xff, '\n'} {
					b := bytes.Clone(orig)
					b[n] = c
					inputs = append(inputs, b)
				}
			}
			for _, in := range inputs {
				_, err := ReadFile("-", bytes.NewReader(in), f)
				if c := genid.ClassOf(err); err != nil && c == genid.ClassOther {
					t.Fatalf("%s damaged (%d bytes): an error without a class (%T): %v", name, len(in), err, err)
				}
			}
		}
	}
}
