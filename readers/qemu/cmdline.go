package qemu

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/internal/qemuargs"
)

// MaxArgs is the most arguments a command line may have.
const MaxArgs = 1 << 20

// Form is the way a command line was written.
type Form string

// The forms a command line can take.
const (
	NULSeparated Form = "nul-separated" // /proc/PID/cmdline
	OnePerLine   Form = "one-per-line"  // one argument per line, unquoted
	Shell        Form = "shell"         // a shell command line
)

// An Arg is one command-line argument with where it came from.
type Arg struct {
	Value string
	Line  int // 1-based line where it starts; 0 for the NUL-separated form
}

// A CommandLine is a parsed QEMU command line.
type CommandLine struct {
	Form Form
	Args []Arg
}

// A Config is what a report needs from a QEMU command line.
type Config struct {
	ID       genid.ID // the guest's generation ID
	Form     Form     // how the command line was written
	Arg      int      // 1-based index of the vmgenid -device value
	Line     int      // its line, 0 if not line-oriented
	JSON     bool     // the device was given in JSON syntax
	DeviceID string   // the device's id=, "" if none
	GUID     string   // guid= as written
	Program  string   // the first argument that is not an environment assignment
	Name     string   // guest= (or the first element) of -name
	UUID     string   // -uuid
	SMBIOS   string   // uuid= of -smbios type=1
}

// Parse splits data into arguments, choosing the form by content: any NUL
// byte means NUL-separated; a single line, or lines joined by trailing
// backslashes, or any quote character, means a shell line; otherwise one
// argument per line.
func Parse(data []byte) (*CommandLine, error) {
	if len(data) > bounded.MaxFileSize {
		return nil, bounded.TooLarge(bounded.MaxFileSize, "a command line")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cl := &CommandLine{}
	switch {
	case bytes.IndexByte(data, 0) >= 0:
		cl.Form = NULSeparated
		for _, a := range bytes.Split(bytes.TrimRight(data, "\x00"), []byte{0}) {
			cl.Args = append(cl.Args, Arg{Value: string(a)})
		}
	case isShell(data):
		cl.Form = Shell
		args, err := splitShell(string(data))
		if err != nil {
			return nil, err
		}
		cl.Args = args
	default:
		cl.Form = OnePerLine
		for i, l := range strings.Split(string(data), "\n") {
			l = strings.TrimSuffix(l, "\r")
			if strings.TrimSpace(l) == "" {
				continue
			}
			cl.Args = append(cl.Args, Arg{Value: l, Line: i + 1})
		}
	}
	if len(cl.Args) > MaxArgs {
		return nil, &genid.InputError{Err: fmt.Errorf("%d arguments: more than %d is not a command line", len(cl.Args), MaxArgs)}
	}
	return cl, nil
}

// isShell reports whether text reads as a shell command line rather than
// one argument per line.
func isShell(data []byte) bool {
	text := strings.TrimRight(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if !strings.Contains(text, "\n") || strings.Contains(text, "\\\n") {
		return true
	}
	return strings.ContainsAny(text, `'"`) && !strings.Contains(text, "\n{")
}

// Read parses a QEMU command line and returns the vmgenid device's ID. The
// Config is non-nil whenever the command line parsed, also when the error
// is [genid.ErrNotFound].
func Read(r io.Reader) (*Config, error) {
	data, err := bounded.ReadAll(r, bounded.MaxFileSize, 0, "a command line")
	if err != nil {
		return nil, err
	}
	return ReadBytes(data)
}

// ReadBytes is [Read] on the bytes of a file, which it does not keep.
func ReadBytes(data []byte) (*Config, error) {
	cl, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return FromCommandLine(cl)
}

// ReadFile is [Read] on a named file; errors carry the name.
func ReadFile(name string) (*Config, error) { return bounded.Parse(name, "a command line", ReadBytes) }

// Reading returns what the command line holds in the shape every reader
// shares. The VM is identified by the SMBIOS system UUID (-smbios
// type=1,uuid=, which qemu-server passes from smbios1, so that a Proxmox
// configuration and its command line pair), else -uuid. QEMU runs the VM:
// it is a migration's target.
func (c *Config) Reading() *genid.Reading {
	if c == nil {
		return nil
	}
	r := &genid.Reading{ID: c.ID, Convention: genid.ConvQEMU, Name: c.Name, Target: true}
	r.SetIdentity("smbios1", c.SMBIOS)
	r.SetIdentity("-uuid", c.UUID)
	switch {
	case c.Line > 0:
		r.Where = genid.Lines(c.Line, 0)
	case c.Arg > 0:
		r.Where = fmt.Sprintf("argument %d", c.Arg)
	}
	r.AddFields(
		genid.Field{Key: "name", Label: "-name", Value: c.Name},
		genid.Field{Key: "uuid", Label: "-uuid", Value: c.UUID},
		genid.Field{Key: "smbios_uuid", Label: "-smbios type=1 uuid", Value: c.SMBIOS},
		genid.Field{Key: "program", Label: "program", Value: c.Program},
	)
	return r
}

// FromCommandLine finds the vmgenid device in cl.
func FromCommandLine(cl *CommandLine) (*Config, error) {
	c := &Config{Form: cl.Form}
	values := make([]string, len(cl.Args))
	for i, a := range cl.Args {
		values[i] = a.Value
	}
	info, err := qemuargs.Scan(values)
	c.Program, c.Name, c.UUID, c.SMBIOS = info.Program, info.Name, info.UUID, info.SMBIOS
	if err == nil {
		var d *qemuargs.Device
		c.ID, d, err = info.GenID()
		if d != nil {
			c.Arg, c.Line, c.JSON, c.DeviceID, c.GUID = d.Index+1, cl.Args[d.Index].Line, d.JSON, d.ID, d.GUID
		}
	}
	var ae *qemuargs.ArgError
	if errors.As(err, &ae) {
		ie := &genid.InputError{Line: cl.Args[ae.Index].Line, Key: "-device", Err: ae.Err}
		if cl.Form == NULSeparated {
			ie.Arg = ae.Index + 1
		}
		return c, ie
	}
	return c, err
}
