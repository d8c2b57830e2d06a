package genid

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

// classed stands for an error type of a package that cannot import this
// one (vmcx.FormatError), saying its class by its methods.
type classed struct{ unsupported bool }

func (classed) Error() string       { return "classed" }
func (c classed) Malformed() bool   { return !c.unsupported }
func (c classed) Unsupported() bool { return c.unsupported }

func TestClassOf(t *testing.T) {
	tests := []struct {
		err  error
		want Class
	}{
		{nil, ClassNone},
		{fmt.Errorf("%w: none", ErrNotFound), ClassNotFound},
		{fmt.Errorf("x: %w", ErrZero), ClassZero},
		{ErrGenerated, ClassGenerated},
		{&InputError{Line: 3, Err: ErrIncomplete}, ClassIncomplete},
		{&InputError{Line: 3, Err: errors.New("bad")}, ClassMalformed},
		{&InputError{Key: "genid", Err: fmt.Errorf("%w: libxl", ErrUnsupported)}, ClassUnsupported},
		{fmt.Errorf("--guid: %w", &ParseError{Spelling: "GUID"}), ClassMalformed},
		{fmt.Errorf("f: %w", classed{}), ClassMalformed},
		{fmt.Errorf("f: %w", classed{unsupported: true}), ClassUnsupported},
		{fmt.Errorf("%w: NuGet.config", ErrNotVM), ClassNotVM},
		{ErrMalformed, ClassMalformed},
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}, ClassOther},
		{errors.New("connection refused"), ClassOther},
	}
	for _, tc := range tests {
		if got := ClassOf(tc.err); got != tc.want {
			t.Errorf("ClassOf(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}

func TestWithFile(t *testing.T) {
	ie := &InputError{Line: 4, Key: "vm.genid", Err: errors.New("bad")}
	tests := []struct {
		err  error
		want string
	}{
		{ie, "a.vmx:4: vm.genid: bad"},
		{&InputError{File: "a.vmx", Line: 4, Err: errors.New("bad")}, "a.vmx:4: bad"},
		{fmt.Errorf("%w: none", ErrNotFound), "a.vmx: no generation ID: none"},
		{&fs.PathError{Op: "open", Path: "a.vmx", Err: fs.ErrNotExist}, "open a.vmx: file does not exist"},
		{errors.New("a.vmx: already named"), "a.vmx: already named"},
	}
	for _, tc := range tests {
		got := WithFile(tc.err, "a.vmx")
		if got.Error() != tc.want {
			t.Errorf("WithFile(%v) = %q, want %q", tc.err, got, tc.want)
		}
		if !errors.Is(got, tc.err) && ClassOf(got) != ClassOf(tc.err) {
			t.Errorf("WithFile(%v) lost the error", tc.err)
		}
	}
	if WithFile(nil, "a") != nil {
		t.Error("WithFile(nil) is not nil")
	}
}

func TestNormalizeUUID(t *testing.T) {
	for in, want := range map[string]string{
		"42 1a 6b 2c 5e 77 0d 91-3f 4e 82 c1 90 aa 17 5b": "421a6b2c-5e77-0d91-3f4e-82c190aa175b", // VMware uuid.bios
		"993F7B33-6057-4D1E-A1FE-A1A1D77BE974":            "993f7b33-6057-4d1e-a1fe-a1a1d77be974", // Hyper-V global_id
		"{421a6b2c-5e77-0d91-3f4e-82c190aa175b}":          "421a6b2c-5e77-0d91-3f4e-82c190aa175b",
		"00000000-0000-0000-0000-000000000000":            "",
		"421a6b2c-5e77-0d91-3f4e-82c190aa175b00":          "",
		"x":                                               "",
	} {
		if got := NormalizeUUID(in); got != want {
			t.Errorf("NormalizeUUID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		a, b int
		want string
	}{{0, 0, ""}, {7, 0, "line 7"}, {0, 9, "line 9"}, {7, 7, "line 7"}, {9, 7, "lines 7, 9"}, {48, 49, "lines 48, 49"}} {
		if got := Lines(tc.a, tc.b); got != tc.want {
			t.Errorf("Lines(%d, %d) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
