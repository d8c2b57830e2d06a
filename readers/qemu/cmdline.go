package qemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/textlimit"
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
}

// Parse splits data into arguments, choosing the form by content: any NUL
// byte means NUL-separated; a single line, or lines joined by trailing
// backslashes, or any quote character, means a shell line; otherwise one
// argument per line.
func Parse(data []byte) (*CommandLine, error) {
	if len(data) > textlimit.MaxFileSize {
		return nil, &genid.InputError{Err: fmt.Errorf("larger than %d MiB: not a command line", textlimit.MaxFileSize>>20)}
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
	data, err := io.ReadAll(io.LimitReader(r, textlimit.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	cl, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return FromCommandLine(cl)
}

// ReadFile is [Read] on a named file; errors carry the name.
func ReadFile(name string) (*Config, error) { return textlimit.ReadFile(name, Read) }

// FromCommandLine finds the vmgenid device in cl.
func FromCommandLine(cl *CommandLine) (*Config, error) {
	c := &Config{Form: cl.Form}
	for _, a := range cl.Args {
		if !isEnvAssignment(a.Value) {
			c.Program = a.Value
			break
		}
	}
	found := 0
	for i := 0; i < len(cl.Args); i++ {
		opt := cl.Args[i].Value
		if !strings.HasPrefix(opt, "-") || i+1 == len(cl.Args) {
			continue
		}
		val := cl.Args[i+1]
		switch strings.TrimPrefix(opt, "-") {
		case "-name", "name":
			c.Name = guestName(val.Value)
		case "-uuid", "uuid":
			c.UUID = val.Value
		case "-device", "device":
		default:
			continue
		}
		i++
		if opt != "-device" && opt != "--device" {
			continue
		}
		dev, err := parseDevice(val.Value)
		if err != nil {
			return c, &genid.InputError{Line: val.Line, Arg: argNum(cl, i), Key: "-device", Err: err}
		}
		if dev.driver != "vmgenid" {
			continue
		}
		found++
		if found > 1 {
			return c, &genid.InputError{Line: val.Line, Arg: argNum(cl, i), Key: "-device", Err: fmt.Errorf("a second vmgenid device (the first is argument %d): QEMU allows at most one", c.Arg)}
		}
		c.Arg, c.Line, c.JSON, c.DeviceID, c.GUID = i+1, val.Line, dev.json, dev.id, dev.guid
		if !dev.hasGUID || strings.EqualFold(dev.guid, "auto") {
			continue
		}
		id, err := genid.ParseGUID(dev.guid)
		if err != nil {
			return c, &genid.InputError{Line: val.Line, Arg: argNum(cl, i), Key: "-device", Err: fmt.Errorf("guid=%q: QEMU accepts only a GUID in the form 8-4-4-4-12: %s", dev.guid, err.(*genid.ParseError).Reason)}
		}
		c.ID = id
	}
	switch {
	case found == 0:
		return c, fmt.Errorf("%w: no -device vmgenid on the command line", genid.ErrNotFound)
	case c.ID.IsZero() && (c.GUID == "" || strings.EqualFold(c.GUID, "auto")):
		return c, fmt.Errorf("%w: the vmgenid device has no fixed guid, so QEMU generates a new ID at every start", genid.ErrNotFound)
	case c.ID.IsZero():
		return c, fmt.Errorf("%w: the vmgenid guid is all zeros, which guests read as no ID", genid.ErrNotFound)
	}
	return c, nil
}

// argNum returns the 1-based argument number of cl.Args[i] for errors in
// forms without lines.
func argNum(cl *CommandLine, i int) int {
	if cl.Form == NULSeparated {
		return i + 1
	}
	return 0
}

func isEnvAssignment(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	if !ok || k == "" || strings.HasPrefix(s, "-") {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// guestName returns the guest name from a -name value: its guest= element
// or its first element.
func guestName(v string) string {
	elems := splitKeyval(v)
	for _, e := range elems {
		if k, val, ok := strings.Cut(e, "="); ok && k == "guest" {
			return val
		}
	}
	if !strings.Contains(elems[0], "=") {
		return elems[0]
	}
	return ""
}

type device struct {
	driver, guid, id string
	hasGUID, json    bool
}

// parseDevice reads a -device value in classic or JSON syntax.
func parseDevice(v string) (device, error) {
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(v))
		if err := dec.Decode(&m); err != nil {
			return device{}, fmt.Errorf("JSON device is not a JSON object: %v", err)
		}
		if dec.More() {
			return device{}, errors.New("JSON device has text after the object")
		}
		d := device{json: true}
		d.driver, _ = m["driver"].(string)
		if d.driver != "vmgenid" {
			return d, nil
		}
		if g, ok := m["guid"]; ok {
			s, isStr := g.(string)
			if !isStr {
				return d, fmt.Errorf("JSON vmgenid device: guid is %T, not a string", g)
			}
			d.guid, d.hasGUID = s, true
		}
		d.id, _ = m["id"].(string)
		return d, nil
	}
	elems := splitKeyval(v)
	var d device
	for i, e := range elems {
		k, val, ok := strings.Cut(e, "=")
		switch {
		case !ok && i == 0:
			d.driver = e
		case k == "driver":
			d.driver = val
		case k == "guid":
			d.guid, d.hasGUID = val, ok
		case k == "id":
			d.id = val
		}
	}
	return d, nil
}

// splitKeyval splits QEMU's classic option syntax at commas; ",," is a
// literal comma.
func splitKeyval(v string) []string {
	var elems []string
	var cur strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != ',' {
			cur.WriteByte(v[i])
			continue
		}
		if i+1 < len(v) && v[i+1] == ',' {
			cur.WriteByte(',')
			i++
			continue
		}
		elems = append(elems, cur.String())
		cur.Reset()
	}
	return append(elems, cur.String())
}
