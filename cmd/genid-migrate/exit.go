package main

import (
	"errors"
	"io/fs"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/source"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// Exit codes: the one table, shown in --help and the README.
const (
	exitOK         = 0 // success, nothing to report
	exitFindings   = 1 // findings: a mismatch, --check would change something
	exitUsage      = 2 // usage error
	exitNoID       = 3 // an input has no generation ID where one was required
	exitMalformed  = 4 // an input is malformed, corrupt or unsupported
	exitOtherError = 5 // any other failure (I/O, permissions)
)

const exitTable = `EXIT STATUS:
   0  success, nothing to report
   1  findings: audit problems, a verify mismatch, rewrite --check would change something
      or a different ID needs --force
   2  usage error
   3  an input has no generation ID where one was required
   4  an input is malformed, corrupt or unsupported (the message names file, line or offset)
   5  any other failure (I/O, permissions)
   Scripts must treat any other non-zero code as a failure.`

// usageError is a mistake in the command line itself.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// findingsError reports findings (exit 1); its message may be empty when the
// output already says it all.
type findingsError struct{ msg string }

func (e *findingsError) Error() string { return e.msg }

// exitCode maps an error to the documented exit code.
func exitCode(err error) int {
	var (
		ue *usageError
		fe *findingsError
		ie *genid.InputError
		pe *genid.ParseError
		un *source.UnsupportedError
		ve *vmcx.FormatError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &fe):
		return exitFindings
	case errors.Is(err, genid.ErrNotFound):
		return exitNoID
	case errors.As(err, &ie), errors.As(err, &pe), errors.As(err, &un), errors.As(err, &ve),
		errors.Is(err, vmcx.ErrVersion), errors.Is(err, vmcx.ErrUnsupported), errors.Is(err, vmcx.ErrChecksum), errors.Is(err, vmcx.ErrFormat):
		return exitMalformed
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
		return exitOtherError
	}
	return exitOtherError
}
