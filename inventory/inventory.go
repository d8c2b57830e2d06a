// Package inventory is where the configurations an audit reads come from:
// a tree of files, a report of an earlier audit, and, registered by their
// own packages, live inventories (a vCenter, a libvirt host). Each yields
// [Item]s in a fixed order; reading an item gives [Record]s, one per
// configuration, in one shape whatever the source.
//
// Adding a live inventory is one package that implements [Source] and
// calls [Register] for its URI schemes.
package inventory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
)

// A Source is an inventory: somewhere configurations come from.
type Source interface {
	// Items calls yield for each item of the inventory, in an order that
	// is the same from run to run, and stops early if yield returns
	// false. An error means the inventory as a whole could not be read.
	Items(ctx context.Context, yield func(Item) bool) error
}

// An Item is one thing an inventory holds: a file, or a VM of a live
// inventory. Items are read in parallel, each once.
type Item interface {
	// Read reads the item. scratch is a buffer the caller owns and reuses
	// across items: a file's first len(scratch) bytes are read into it to
	// detect the format, and a file that fits in its capacity is read
	// whole into it. Nothing returned refers to it.
	Read(scratch []byte) Batch
}

// A Batch is what one item gave.
type Batch struct {
	Records []*Record // the configurations found; none for a skipped item
	Skipped bool      // not a configuration: counted, no record
	Report  bool      // a report of an earlier audit, whose records were merged

	// Stream, when set, gives the item's records one at a time as they
	// are decoded, after Records (a report of an earlier audit: any size,
	// one record in memory at a time). It stops at the first error.
	Stream func(each func(*Record) error) error
}

// SchemaVersion is the version of the JSON and JSONL reports. Fields may be
// added within a version; none is renamed or removed.
const SchemaVersion = 1

// Status is what one configuration holds ([formats.Status]).
type Status = formats.Status

// A Record describes one configuration.
type Record struct {
	Type        string   `json:"type,omitempty"` // "record" in JSONL
	Path        string   `json:"path"`
	Format      string   `json:"format"`
	Status      Status   `json:"status"`
	Name        string   `json:"name,omitempty"`
	Identity    string   `json:"identity,omitempty"`
	IDKind      string   `json:"identity_kind,omitempty"`
	AltIdentity []string `json:"alt_identities,omitempty"` // the VM's other UUIDs
	Role        string   `json:"role,omitempty"`           // "source" or "target" (runs on QEMU)
	GuestBytes  string   `json:"guest_bytes,omitempty"`
	Windows     string   `json:"windows,omitempty"`
	GUID        string   `json:"guid,omitempty"`
	VMXGenID    string   `json:"vmx_genid,omitempty"`
	VMXGenIDX   string   `json:"vmx_genidX,omitempty"`
	HyperV      string   `json:"hyperv,omitempty"`
	Convention  string   `json:"convention,omitempty"`
	Where       string   `json:"where,omitempty"`
	Message     string   `json:"message,omitempty"`
	Report      string   `json:"report,omitempty"` // the report file a merged record came from
	Site        string   `json:"site,omitempty"`   // the site the record was written at (audit --site), else its report's name

	// A live inventory's VM: what its running guest sees, when that
	// differs from its definition (libvirt draws a new ID on snapshot
	// revert and restore), and whether it is a template, which never runs.
	LiveGuestBytes string `json:"live_guest_bytes,omitempty"`
	LiveWindows    string `json:"live_windows,omitempty"`
	Template       bool   `json:"template,omitempty"`
}

// LiveID returns the ID the running guest sees when it differs from the
// definition's, zero if none is recorded.
func (r *Record) LiveID() genid.ID {
	if r.LiveGuestBytes == "" { // most records: no parse, no error made
		return genid.ID{}
	}
	id, err := genid.ParseGuestBytes(r.LiveGuestBytes)
	if err != nil {
		return genid.ID{}
	}
	return id
}

// ID returns the record's ID, zero if it has none.
func (r *Record) ID() genid.ID {
	if r.GuestBytes == "" {
		return genid.ID{}
	}
	id, err := genid.ParseGuestBytes(r.GuestBytes)
	if err != nil {
		return genid.ID{}
	}
	return id
}

// NewRecord turns what reading a configuration at path gave into a
// record: its status from [formats.StatusOf], its message the error's
// without the path, which the record holds.
func NewRecord(path string, res *formats.Result, err error) *Record {
	rec := &Record{Path: path, Status: formats.StatusOf(res, err), Format: "unknown"}
	if res != nil {
		rec.Format = res.Format
		rec.Name, rec.Identity, rec.IDKind, rec.AltIdentity = res.Name, res.Identity, res.IdentityKind, res.AltIdentity
		rec.Convention, rec.Where = string(res.Convention), res.Where
		rec.Role = "source"
		if res.Target {
			rec.Role = "target"
		}
		rec.Template = rec.Template || res.Template
		if !res.ID.IsZero() {
			id := res.ID
			g, x := id.VMX()
			rec.GuestBytes, rec.Windows, rec.GUID, rec.HyperV = id.GuestBytes(), id.Windows(), id.GUID(), id.HyperV()
			rec.VMXGenID, rec.VMXGenIDX = itoa(g), itoa(x)
		}
	}
	if err != nil {
		rec.Message = strings.TrimPrefix(strings.TrimPrefix(err.Error(), path+":"), " ")
	}
	return rec
}

// ErrorRecord is the record of a configuration that could not be read at
// all; format is "" when it is not known.
func ErrorRecord(path, format string, err error) *Record {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) && error(pe) == err && pe.Path == path { // the path is the record's own
		msg = pe.Op + ": " + pe.Err.Error()
	}
	if format == "" {
		format = "unknown"
	}
	return &Record{Path: path, Format: format, Status: formats.StatusError, Message: strings.TrimSpace(msg)}
}

func itoa(v int64) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Options are what opening a live inventory may need beyond its URI,
// and how file trees are walked.
type Options struct {
	// Follow follows directory links met inside a file tree, within the
	// filesystems of the paths given and never into /proc, /sys or /dev;
	// without it only links given as paths are followed (find -H).
	Follow bool
	// Password is the password to log in with when the URI has none, from
	// GENID_MIGRATE_PASSWORD or --password-file; it is never printed.
	Password string
}

// An Opener opens a live inventory from its URI. It connects and logs in,
// so that an unreachable host or a wrong password fails before an audit
// starts.
type Opener func(ctx context.Context, uri string, opt Options) (Source, error)

// A Picker is an inventory that can read one VM by name (or by its path in
// the inventory), for show, convert, rewrite --from and verify --expect
// with --vm.
type Picker interface {
	Pick(ctx context.Context, name string) (*formats.Result, error)
}

// A Closer is an inventory that holds a connection to close when done.
type Closer interface{ Close() error }

// IsURI reports whether arg names a live inventory by a registered URI
// scheme, rather than a file.
func IsURI(arg string) bool {
	scheme, _, ok := strings.Cut(arg, "://")
	if !ok || strings.ContainsAny(scheme, `/\`) {
		return false
	}
	mu.Lock()
	defer mu.Unlock()
	return openers[scheme] != nil
}

var (
	mu      sync.Mutex
	openers = map[string]Opener{}
)

// Register makes Open read URIs with the given scheme (such as "vpx" or
// "qemu+tcp") with open. A live inventory's package calls it from init.
func Register(scheme string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := openers[scheme]; dup {
		panic("inventory: scheme " + scheme + " registered twice")
	}
	openers[scheme] = open
}

// Schemes returns the registered URI schemes, sorted.
func Schemes() []string {
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for s := range openers {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Open returns the inventories the command-line arguments name, in order:
// a URI with a registered scheme is opened by its package; anything else
// is a path to a file or a directory tree, and the paths share one walk
// (a directory reached twice is read once). On an error, the inventories
// already opened are closed.
func Open(ctx context.Context, args []string, opt Options) (out []Source, err error) {
	defer func() {
		if err != nil {
			CloseAll(out)
			out = nil
		}
	}()
	w := newWalker()
	w.follow = opt.Follow
	for _, a := range args {
		if scheme, _, ok := strings.Cut(a, "://"); ok && !strings.ContainsAny(scheme, `/\`) {
			s, err := OpenURI(ctx, a, opt)
			if err != nil {
				return out, err
			}
			out = append(out, s)
			continue
		}
		s, err := w.tree(a)
		if err != nil {
			return out, err
		}
		out = append(out, s)
	}
	return out, nil
}

// OpenURI opens the live inventory a URI names.
func OpenURI(ctx context.Context, uri string, opt Options) (Source, error) {
	scheme, _, _ := strings.Cut(uri, "://")
	mu.Lock()
	open := openers[scheme]
	mu.Unlock()
	if open == nil {
		known := Schemes()
		if len(known) == 0 {
			return nil, fmt.Errorf("%s: no inventory reads %s:// URIs", Redact(uri), scheme)
		}
		return nil, fmt.Errorf("%s: no inventory reads %s:// URIs (known: %s)", Redact(uri), scheme, strings.Join(known, ", "))
	}
	return open(ctx, uri, opt)
}

// CloseAll closes the inventories that hold a connection.
func CloseAll(sources []Source) {
	for _, s := range sources {
		if c, ok := s.(Closer); ok {
			c.Close()
		}
	}
}

// Redact returns a URI with the password of its user information replaced
// by "***", for messages; text that does not parse is returned with
// anything between "://" and "@" that holds a colon hidden.
func Redact(uri string) string {
	u, err := url.Parse(uri)
	if err == nil {
		if u.User != nil {
			if _, set := u.User.Password(); set {
				u.User = url.UserPassword(u.User.Username(), "***")
			}
		}
		return strings.Replace(u.String(), ":%2A%2A%2A@", ":***@", 1)
	}
	if i := strings.Index(uri, "://"); i >= 0 {
		rest := uri[i+3:]
		if at := strings.IndexByte(rest, '@'); at >= 0 && strings.Contains(rest[:at], ":") {
			user, _, _ := strings.Cut(rest[:at], ":")
			return uri[:i+3] + user + ":***" + rest[at:]
		}
	}
	return uri
}
