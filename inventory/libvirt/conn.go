// Package libvirt is the inventory of a libvirt host: every domain it
// defines, read over libvirt's RPC protocol (pure Go, no libvirt client
// library), and the operations rewrite and verify need on one domain:
// its definition, a new definition, and its running guest's monitor.
//
// URIs are those virsh -c takes: qemu:///system, qemu:///session,
// qemu+tcp://host/system, qemu+tls://host/system, test:///default, with
// ?socket= honoured. A local URI's socket is found as libvirt's client
// finds it (see [SocketCandidates]); the library this package builds on
// does not start a session daemon, so one must be running. The test
// driver lives inside a daemon here: test:///default is reached through a
// daemon's socket (the session daemon's, or ?socket=).
package libvirt

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
)

// Timeout bounds connecting and each call to the daemon.
const Timeout = 60 * time.Second

// Schemes are the URI schemes this package opens.
var Schemes = []string{"qemu", "qemu+unix", "qemu+tcp", "qemu+tls", "test", "test+unix", "test+tcp", "test+tls"}

// A Conn is a connection to a libvirt daemon.
type Conn struct {
	l    *golibvirt.Libvirt
	URI  string // the URI as given, for messages; libvirt URIs hold no password
	base string // the URI without its query, the prefix of records' paths
}

// SocketCandidates returns the unix sockets a local URI may be served on,
// in the order libvirt's client tries them: the modular daemon's
// (virtqemud for qemu) before the monolithic libvirtd's; under
// /run/libvirt for /system, under $XDG_RUNTIME_DIR/libvirt (or
// ~/.cache/libvirt) for /session and for the test driver.
func SocketCandidates(u *url.URL) []string {
	if s := u.Query().Get("socket"); s != "" {
		return []string{s}
	}
	driver := strings.SplitN(u.Scheme, "+", 2)[0]
	dir := "/run/libvirt"
	if u.Path != "/system" || driver == "test" {
		runtime := os.Getenv("XDG_RUNTIME_DIR")
		if runtime == "" {
			home, _ := os.UserHomeDir()
			runtime = filepath.Join(home, ".cache")
		}
		dir = filepath.Join(runtime, "libvirt")
	}
	var out []string
	if driver == "qemu" {
		out = append(out, filepath.Join(dir, "virtqemud-sock"))
	}
	return append(out, filepath.Join(dir, "libvirt-sock"))
}

// Dial connects to the daemon a URI names.
func Dial(uri string) (*Conn, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, fmt.Errorf("%s: not a libvirt URI: %v", uri, err)
	}
	scheme := strings.SplitN(u.Scheme, "+", 2)
	transport := "unix"
	if len(scheme) == 2 {
		transport = scheme[1]
	}
	if scheme[0] != "qemu" && scheme[0] != "test" {
		return nil, fmt.Errorf("%s: the %s driver is not read (qemu and test are)", uri, scheme[0])
	}
	c := &Conn{URI: uri, base: (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}).String()}
	switch transport {
	case "unix":
		if u.Host != "" {
			return nil, fmt.Errorf("%s: a local URI names no host; use %s+tcp:// or %s+tls:// for a remote one", uri, scheme[0], scheme[0])
		}
		var tried []string
		for _, sock := range SocketCandidates(u) {
			if _, err := os.Stat(sock); err != nil {
				tried = append(tried, sock)
				continue
			}
			l := golibvirt.NewWithDialer(dialers.NewLocal(dialers.WithSocket(sock), dialers.WithLocalTimeout(Timeout)))
			if err := l.ConnectToURI(golibvirt.RemoteURI(u)); err != nil {
				return nil, fmt.Errorf("%s: connecting to %s: %w", uri, sock, err)
			}
			c.l = l
			return c, nil
		}
		hint := "start libvirtd or virtqemud"
		if u.Path == "/session" || scheme[0] == "test" {
			hint = "start a session daemon (libvirtd --timeout 120 &, as the user)"
		}
		return nil, fmt.Errorf("%s: no libvirt daemon socket at %s; %s, or name the socket with ?socket=PATH", uri, strings.Join(tried, " or "), hint)
	case "tcp", "tls":
		l, err := golibvirt.ConnectToURI(u)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", uri, err)
		}
		c.l = l
		return c, nil
	}
	return nil, fmt.Errorf("%s: transport %q is not supported (unix, tcp and tls are)", uri, transport)
}

// Close ends the connection.
func (c *Conn) Close() error { return c.l.Disconnect() }

// Path returns the path a domain's records carry: the URI without its
// query, then the domain's name.
func (c *Conn) Path(domain string) string { return c.base + "/" + domain }

// call runs f, and gives up after Timeout: the daemon may hang, and the
// library has no deadlines of its own. A call given up on is left to
// finish in the background.
func (c *Conn) call(what string, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(Timeout):
		return fmt.Errorf("%s: %s: no reply from the daemon within %s", c.URI, what, Timeout)
	}
}

// ErrNoDomain reports a domain the daemon does not know, or no longer.
var ErrNoDomain = errors.New("no such domain")

// noDomain turns libvirt's "no domain" error into ErrNoDomain.
func noDomain(err error) error {
	var le golibvirt.Error
	if errors.As(err, &le) && le.Code == uint32(golibvirt.ErrNoDomain) {
		return fmt.Errorf("%w: %s", ErrNoDomain, le.Message)
	}
	return err
}

// Domains lists every domain, defined or running, sorted by name.
func (c *Conn) Domains() ([]golibvirt.Domain, error) {
	var doms []golibvirt.Domain
	err := c.call("listing domains", func() (err error) {
		doms, _, err = c.l.ConnectListAllDomains(1, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortDomains(doms)
	return doms, nil
}

// Lookup finds a domain by name.
func (c *Conn) Lookup(name string) (golibvirt.Domain, error) {
	var d golibvirt.Domain
	err := c.call("looking up "+name, func() (err error) {
		d, err = c.l.DomainLookupByName(name)
		return noDomain(err)
	})
	return d, err
}

// XML returns a domain's definition (inactive, the configuration its next
// start uses) or, with live, what the running domain uses. With secure,
// secrets such as VNC passwords are included, as an edit that defines the
// domain again must keep them.
func (c *Conn) XML(d golibvirt.Domain, live, secure bool) ([]byte, error) {
	var flags golibvirt.DomainXMLFlags
	if !live {
		flags |= golibvirt.DomainXMLInactive
	}
	if secure {
		flags |= golibvirt.DomainXMLSecure
	}
	var x string
	err := c.call("reading "+d.Name+"'s XML", func() (err error) {
		x, err = c.l.DomainGetXMLDesc(d, flags)
		return noDomain(err)
	})
	return []byte(x), err
}

// Running reports whether a domain runs (libvirt lists it with an ID).
func Running(d golibvirt.Domain) bool { return d.ID > 0 }

// Define defines a domain from its XML, validated against libvirt's
// schema, replacing the definition of the domain of that name and UUID.
func (c *Conn) Define(xml []byte) error {
	return c.call("defining the domain", func() error {
		_, err := c.l.DomainDefineXMLFlags(string(xml), golibvirt.DomainDefineValidate)
		return err
	})
}

func sortDomains(d []golibvirt.Domain) {
	sort.Slice(d, func(i, j int) bool { return d[i].Name < d[j].Name })
}
