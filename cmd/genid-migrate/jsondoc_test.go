package main

import (
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/inventory"
	"github.com/genid-migrate/genid-migrate/plan"
	"github.com/genid-migrate/genid-migrate/readers/hyperv"
)

// jsonNames returns the JSON names of v's fields.
func jsonNames(v any) []string {
	var out []string
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// objectKeys returns the keys of the JSON object in text.
func objectKeys(t *testing.T, text string) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func documented(command string, table int) []string {
	var out []string
	for _, f := range jsonDocs[command][table].Fields {
		out = append(out, f.Name)
	}
	sort.Strings(out)
	return out
}

// TestJSONDocs holds the man pages' JSON tables to the code: each table
// lists exactly the fields of the type that is marshalled, or, where the
// object is written by hand, the keys the command prints; and every
// command with --json has a table.
func TestJSONDocs(t *testing.T) {
	types := []struct {
		command string
		table   int
		v       any
	}{
		{"show", 0, record{}},
		{"rewrite", 0, rewriteSummary{}},
		{"verify", 0, verifyReport{}},
		{"audit", 1, inventory.Record{}},
		{"audit", 2, audit.Finding{}},
		{"audit", 3, audit.Summary{}},
		{"plan", 0, plan.Plan{}},
		{"plan", 1, plan.Step{}},
		{"inspect", 0, hyperv.Report{}},
		{"version", 0, buildInfo{}},
	}
	for _, tc := range types {
		if got, want := documented(tc.command, tc.table), jsonNames(tc.v); !slices.Equal(got, want) {
			t.Errorf("%s table %d documents %q; %T has %q", tc.command, tc.table, got, tc.v, want)
		}
	}

	printed := []struct {
		command string
		table   int
		args    []string
	}{
		{"convert", 0, []string{"convert", "--json", "--to", "qemu", "../../fixtures/vmware/win2019-dc01.vmx"}},
		{"audit", 0, []string{"audit", "--json", "--fail-on", "none", "../../fixtures"}},
	}
	for _, tc := range printed {
		if got, want := documented(tc.command, tc.table), objectKeys(t, runCLI(t, tc.args...)); !slices.Equal(got, want) {
			t.Errorf("%s table %d documents %q; %s prints %q", tc.command, tc.table, got, strings.Join(tc.args, " "), want)
		}
	}

	app := newApp(strings.NewReader(""), io.Discard, io.Discard, new(bool))
	for _, cmd := range app.Commands {
		hasJSON := false
		for _, f := range cmd.Flags {
			hasJSON = hasJSON || slices.Contains(f.Names(), "json")
		}
		if hasJSON != (len(jsonDocs[cmd.Name]) > 0) {
			t.Errorf("%s: --json flag %v, JSON tables %d", cmd.Name, hasJSON, len(jsonDocs[cmd.Name]))
		}
	}
}
