package main

import (
	"errors"

	"github.com/genid-migrate/genid-migrate/edit"
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/targets"
)

// The exit codes are formats' table; the command adds only its own
// errors: usage mistakes and findings.
const (
	exitOK         = formats.ExitOK
	exitFindings   = formats.ExitFindings
	exitUsage      = formats.ExitUsage
	exitOtherError = formats.ExitOther
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

// exitOnly carries an error whose message was already printed: run uses
// it for the exit code only.
type exitOnly struct{ err error }

func (e *exitOnly) Error() string { return e.err.Error() }
func (e *exitOnly) Unwrap() error { return e.err }

// exitCode maps an error to the documented exit code: the command's own
// errors here, everything about inputs by formats.ExitCode.
func exitCode(err error) int {
	var (
		ue *usageError
		oe *targets.OptionError
		fe *findingsError
		re *edit.ForceError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.As(err, &oe):
		return exitUsage
	case errors.As(err, &fe), errors.As(err, &re):
		return exitFindings
	}
	return formats.ExitCode(err)
}
