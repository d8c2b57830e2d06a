package main

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&findingsError{}, 1},
		{&usageError{"x"}, 2},
		{fmt.Errorf("%w: none", genid.ErrNotFound), 3},
		{&genid.InputError{Line: 3, Err: errors.New("bad")}, 4},
		{&genid.InputError{Line: 3, Err: genid.ErrIncomplete}, 4},
		{fmt.Errorf("--guid: %w", &genid.ParseError{Spelling: "GUID"}), 4},
		{&formats.UnrecognizedError{Input: "x", Reason: "y"}, 4},
		{&exitOnly{fmt.Errorf("%w: none", genid.ErrNotFound)}, 3},
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}, 5},
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}, 5},
		{errors.New("anything else"), 5},
	}
	for _, tc := range tests {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
