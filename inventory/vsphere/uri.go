package vsphere

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// A location is where a vSphere inventory is and how to log in.
type location struct {
	sdk      *url.URL      // https://host[:port]/sdk, no user information
	user     *url.Userinfo // user and password to log in with
	insecure bool          // do not verify the server's certificate
	path     string        // an inventory path to read below ("" for everything)
	base     string        // scheme://user@host[:port]: the prefix of records' paths
}

// parseLocation reads the URIs V2V engineers type:
//
//	vpx://[user[:password]@]vcenter[:port][/Datacenter[/cluster[/host]]][?no_verify=1]  (libvirt, virt-v2v -ic)
//	esx://[user[:password]@]host[:port][?no_verify=1]
//	https://[user[:password]@]host[:port]/sdk  (govc; GOVC_USERNAME, GOVC_PASSWORD, GOVC_INSECURE fill what it lacks)
//
// The password is, in order: password (from --password-file or
// GENID_MIGRATE_PASSWORD), the URI's, then GOVC_PASSWORD.
func parseLocation(uri, password string) (*location, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, fmt.Errorf("not a vSphere URI: %v", err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("the URI names no host")
	}
	l := &location{sdk: &url.URL{Scheme: "https", Host: u.Host, Path: "/sdk"}}
	q := u.Query()
	switch u.Scheme {
	case "vpx", "esx":
		l.insecure = q.Get("no_verify") == "1"
		l.path = strings.Trim(u.Path, "/")
		if u.Scheme == "esx" && l.path != "" {
			return nil, fmt.Errorf("an esx:// URI names a host, not an inventory path (%q); use vpx:// for a vCenter", u.Path)
		}
	case "https":
		if p := strings.TrimSuffix(u.Path, "/"); p != "/sdk" && p != "" {
			return nil, fmt.Errorf("a vSphere https:// URI ends in /sdk, as govc's GOVC_URL does (got %q)", u.Path)
		}
		l.insecure = truthy(os.Getenv("GOVC_INSECURE")) || q.Get("no_verify") == "1"
	default:
		return nil, fmt.Errorf("scheme %q is not vpx, esx or https", u.Scheme)
	}
	user, uriPassword := "", ""
	if u.User != nil {
		user = u.User.Username()
		uriPassword, _ = u.User.Password()
	}
	if user == "" {
		user = os.Getenv("GOVC_USERNAME")
	}
	if user == "" {
		return nil, fmt.Errorf("the URI names no user: write %s://USER@%s/ (%%40 for an @ in the user name)", u.Scheme, u.Host)
	}
	switch {
	case password != "":
	case uriPassword != "":
		password = uriPassword
	default:
		password = os.Getenv("GOVC_PASSWORD")
	}
	if password == "" {
		return nil, fmt.Errorf("no password for %s: set GENID_MIGRATE_PASSWORD or give --password-file FILE", user)
	}
	l.user = url.UserPassword(user, password)
	l.base = (&url.URL{Scheme: u.Scheme, User: url.User(user), Host: u.Host}).String()
	return l, nil
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes":
		return true
	}
	return false
}
