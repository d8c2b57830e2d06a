package formats

import "github.com/genid-migrate/genid-migrate/genid"

// Exit codes: the one table, shown in the README and in --help.
const (
	ExitOK        = 0 // success, nothing to report
	ExitFindings  = 1 // findings: audit problems, a verify mismatch, --check would change something
	ExitUsage     = 2 // usage error
	ExitNoID      = 3 // an input has no generation ID where one was required
	ExitMalformed = 4 // an input is malformed, corrupt or unsupported
	ExitOther     = 5 // any other failure (I/O, permissions)
)

// Status is what one configuration holds, as an audit record says it.
type Status string

// Record statuses.
const (
	StatusOK         Status = "ok"
	StatusMissing    Status = "missing"    // no generation ID
	StatusZero       Status = "zero"       // an all-zero ID
	StatusAuto       Status = "auto"       // the hypervisor generates one (libvirt <genid/>, Proxmox 1, guid=auto)
	StatusIncomplete Status = "incomplete" // half an ID (one of vm.genid, vm.genidX)
	StatusMalformed  Status = "malformed"  // corrupt or unreadable as its format
	StatusNoVM       Status = "no-vm"      // a valid file without a VM (Hyper-V host registry, runtime state)
	StatusCheckpoint Status = "checkpoint" // a Hyper-V checkpoint's configuration
	StatusError      Status = "error"      // could not be read (I/O, permissions, size, symlink loop)
)

// outcomes maps each class of problem to its exit code and record status:
// the one place where what an error means is decided.
var outcomes = map[genid.Class]struct {
	exit   int
	status Status
}{
	genid.ClassNone:        {ExitOK, StatusOK},
	genid.ClassNotFound:    {ExitNoID, StatusMissing},
	genid.ClassGenerated:   {ExitNoID, StatusAuto},
	genid.ClassZero:        {ExitNoID, StatusZero},
	genid.ClassIncomplete:  {ExitMalformed, StatusIncomplete},
	genid.ClassMalformed:   {ExitMalformed, StatusMalformed},
	genid.ClassUnsupported: {ExitMalformed, StatusMalformed},
	genid.ClassNotVM:       {ExitMalformed, StatusMalformed},
	genid.ClassOther:       {ExitOther, StatusError},
}

// ExitCode returns the exit code for an error reading an input.
func ExitCode(err error) int { return outcomes[genid.ClassOf(err)].exit }

// StatusOf returns the record status of what reading an input gave: a
// file of its format that holds no VM is no-vm, a checkpoint's
// configuration read without error is checkpoint, anything else follows
// the class of err.
func StatusOf(res *Result, err error) Status {
	switch {
	case res != nil && res.NoVM && err != nil:
		return StatusNoVM
	case res != nil && res.Checkpoint && err == nil:
		return StatusCheckpoint
	}
	return outcomes[genid.ClassOf(err)].status
}
