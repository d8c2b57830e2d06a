// Package vsphere is the inventory of a vCenter or an ESXi host: every
// virtual machine and template it holds, read through the vSphere API with
// read-only rights. A VM's generation ID is in its config.extraConfig as
// vm.genid and vm.genidX, signed decimal exactly as in its .vmx, and is
// read by the .vmx reader's rules ([vmware.FromEntries]).
//
// The whole estate is read in one property-collector retrieval (paged by
// the server), not one call per VM. A VM's record carries its inventory
// path, its BIOS UUID (config.uuid, the .vmx's uuid.bios, which libvirt's
// and Proxmox's importers keep) and its instance UUID (config.instanceUuid,
// the .vmx's vc.uuid), so it pairs with its converted copies.
//
// What the account may not see is not listed by vCenter at all; a VM it
// sees but whose configuration it may not read becomes an error record
// that says so.
package vsphere

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/inventory"
	"github.com/genid-migrate/genid-migrate/readers/vmware"
)

// Format is the "format" of a vSphere VM's record.
const Format = "vsphere"

// Timeout bounds connecting and logging in; Retrieval, reading the estate.
const (
	Timeout   = 60 * time.Second
	Retrieval = 30 * time.Minute
)

func init() {
	for _, s := range []string{"vpx", "esx", "https"} {
		inventory.Register(s, func(ctx context.Context, uri string, opt inventory.Options) (inventory.Source, error) {
			return Open(ctx, uri, opt.Password)
		})
	}
}

// A Source is a vCenter or an ESXi host as an inventory.
type Source struct {
	c    *vim25.Client
	sm   *session.Manager
	loc  *location
	uri  string // the URI with its password hidden, for messages
	root types.ManagedObjectReference
}

// Open connects and logs in. Connection and login failures are errors
// that name the URI without its password.
func Open(ctx context.Context, uri, password string) (*Source, error) {
	shown := inventory.Redact(uri)
	loc, err := parseLocation(uri, password)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shown, err)
	}
	fail := func(err error) error {
		msg := strings.ReplaceAll(err.Error(), pw(loc), "***")
		var ue x509.UnknownAuthorityError
		var he x509.HostnameError
		if errors.As(err, &ue) || errors.As(err, &he) || strings.Contains(msg, "x509:") {
			msg += " (to skip verifying the server's certificate, add ?no_verify=1 as virsh and virt-v2v take it, or GOVC_INSECURE=1 for an https:// URI)"
		}
		return fmt.Errorf("%s: %s", shown, msg)
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	sc := soap.NewClient(loc.sdk, loc.insecure)
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, fail(err)
	}
	sm := session.NewManager(c)
	if err := sm.Login(ctx, loc.user); err != nil {
		if soap.IsSoapFault(err) {
			if _, ok := soap.ToSoapFault(err).VimFault().(types.InvalidLogin); ok {
				return nil, fmt.Errorf("%s: login refused for %s: wrong user name or password", shown, loc.user.Username())
			}
		}
		return nil, fail(err)
	}
	s := &Source{c: c, sm: sm, loc: loc, uri: shown, root: c.ServiceContent.RootFolder}
	if loc.path != "" {
		if s.root, err = s.find(ctx, loc.path); err != nil {
			s.Close()
			return nil, fmt.Errorf("%s: %w", shown, err)
		}
	}
	return s, nil
}

func pw(l *location) string {
	p, _ := l.user.Password()
	if p == "" {
		return "\x00"
	}
	return p
}

// Close logs out.
func (s *Source) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	return s.sm.Logout(ctx)
}

// The properties read for every VM.
var vmProps = []string{"name", "parent", "config.uuid", "config.instanceUuid", "config.template", "config.extraConfig"}

// A vm is what one retrieval gave for one VM.
type vm struct {
	ref      types.ManagedObjectReference
	name     string
	parent   types.ManagedObjectReference
	path     string // its inventory path
	uuid     string // config.uuid: the BIOS UUID
	instance string // config.instanceUuid
	template bool
	entries  []vmware.Entry // config.extraConfig
	hasConf  bool
	missing  []string // properties the account may not read, with the reason
}

// entity is a folder, datacenter or vApp: a step of an inventory path.
type entity struct {
	name   string
	parent types.ManagedObjectReference
}

// retrieve reads every VM below root with props, and the names of the
// folders and datacenters above them for their paths.
func (s *Source) retrieve(ctx context.Context, props []string) ([]*vm, error) {
	ctx, cancel := context.WithTimeout(ctx, Retrieval)
	defer cancel()
	m := view.NewManager(s.c)
	var vms []types.ObjectContent
	if err := s.collect(ctx, m, s.root, []string{"VirtualMachine"}, props, &vms); err != nil {
		return nil, err
	}
	var ents []types.ObjectContent
	if err := s.collect(ctx, m, s.c.ServiceContent.RootFolder, []string{"Folder", "Datacenter", "VirtualApp"}, []string{"name", "parent"}, &ents); err != nil {
		return nil, err
	}
	up := map[types.ManagedObjectReference]entity{}
	for _, o := range ents {
		var e entity
		for _, p := range o.PropSet {
			switch v := p.Val.(type) {
			case string:
				e.name = v
			case types.ManagedObjectReference:
				e.parent = v
			}
		}
		up[o.Obj] = e
	}
	out := make([]*vm, 0, len(vms))
	for _, o := range vms {
		v := parseVM(o)
		v.path = pathOf(v, up, s.c.ServiceContent.RootFolder)
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// collect reads props of every object of the kinds below container, in
// one paged retrieval.
func (s *Source) collect(ctx context.Context, m *view.Manager, container types.ManagedObjectReference, kinds, props []string, dst *[]types.ObjectContent) error {
	v, err := m.CreateContainerView(ctx, container, kinds, true)
	if err != nil {
		return fmt.Errorf("%s: %w", s.uri, err)
	}
	defer v.Destroy(context.Background())
	if err := v.Retrieve(ctx, kinds, props, dst); err != nil {
		return fmt.Errorf("%s: reading the inventory: %w", s.uri, err)
	}
	return nil
}

// parseVM reads one VM's properties.
func parseVM(o types.ObjectContent) *vm {
	v := &vm{ref: o.Obj}
	for _, p := range o.PropSet {
		switch p.Name {
		case "name":
			v.name, _ = p.Val.(string)
		case "parent":
			v.parent, _ = p.Val.(types.ManagedObjectReference)
		case "config.uuid":
			v.uuid, _ = p.Val.(string)
			v.hasConf = true
		case "config.instanceUuid":
			v.instance, _ = p.Val.(string)
		case "config.template":
			v.template, _ = p.Val.(bool)
		case "config.extraConfig":
			v.hasConf = true
			if a, ok := p.Val.(types.ArrayOfOptionValue); ok {
				for _, b := range a.OptionValue {
					if ov := b.GetOptionValue(); ov != nil {
						v.entries = append(v.entries, vmware.Entry{Key: ov.Key, Value: fmt.Sprint(ov.Value)})
					}
				}
			}
		}
	}
	for _, m := range o.MissingSet {
		reason := "not readable"
		if m.Fault.Fault != nil {
			reason = fmt.Sprintf("%T", m.Fault.Fault)
			if np, ok := m.Fault.Fault.(types.BaseNoPermission); ok {
				reason = "no permission (" + np.GetNoPermission().PrivilegeId + ")"
			}
			reason = strings.TrimPrefix(reason, "*types.")
		}
		v.missing = append(v.missing, m.Path+": "+reason)
	}
	return v
}

// pathOf returns a VM's inventory path, as govc prints it: /DC/vm/folder/name.
func pathOf(v *vm, up map[types.ManagedObjectReference]entity, root types.ManagedObjectReference) string {
	parts := []string{v.name}
	for ref, n := v.parent, 0; ref != root && ref.Value != "" && n < 64; n++ {
		e, ok := up[ref]
		if !ok {
			break
		}
		parts = append(parts, e.name)
		ref = e.parent
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return "/" + strings.Join(parts, "/")
}

// find resolves an inventory path to the object below which VMs are read:
// as written (/DC/vm/folder, /DC/host/cluster), or as libvirt's vpx:// URIs
// write it, without the host folder (/DC/cluster/host).
func (s *Source) find(ctx context.Context, path string) (types.ManagedObjectReference, error) {
	si := object.NewSearchIndex(s.c)
	for _, p := range candidates(path) {
		ref, err := si.FindByInventoryPath(ctx, "/"+p)
		if err == nil && ref != nil {
			return ref.Reference(), nil
		}
	}
	return types.ManagedObjectReference{}, fmt.Errorf("no inventory object at /%s", path)
}

func candidates(path string) []string {
	out := []string{path}
	if dc, rest, ok := strings.Cut(path, "/"); ok && !strings.HasPrefix(rest, "host/") && !strings.HasPrefix(rest, "vm/") {
		out = append(out, dc+"/host/"+rest)
	}
	return out
}

// Items reads the estate and yields one item per VM, in path order.
func (s *Source) Items(ctx context.Context, yield func(inventory.Item) bool) error {
	vms, err := s.retrieve(ctx, vmProps)
	if err != nil {
		return err
	}
	for _, v := range vms {
		if !yield(&item{s: s, v: v}) {
			return nil
		}
	}
	return nil
}

// Pick reads one VM, named by its name or its inventory path.
func (s *Source) Pick(ctx context.Context, name string) (*formats.Result, error) {
	vms, err := s.retrieve(ctx, []string{"name", "parent"})
	if err != nil {
		return nil, err
	}
	var match []*vm
	for _, v := range vms {
		if v.name == name || v.path == name || v.path == "/"+strings.Trim(name, "/") {
			match = append(match, v)
		}
	}
	switch len(match) {
	case 0:
		return nil, fmt.Errorf("%s: no VM named %q", s.uri, name)
	case 1:
	default:
		var paths []string
		for _, v := range match {
			paths = append(paths, v.path)
		}
		return nil, fmt.Errorf("%s: %d VMs are named %q: give the inventory path of one (%s)", s.uri, len(match), name, strings.Join(paths, ", "))
	}
	var content []types.ObjectContent
	if err := property.DefaultCollector(s.c).RetrieveOne(ctx, match[0].ref, vmProps, &content); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", s.uri, match[0].path, err)
	}
	v := parseVM(content[0])
	v.path = match[0].path
	return s.result(v)
}

// path returns a VM's record path: the URI's scheme, user and host, then
// the VM's inventory path.
func (s *Source) path(v *vm) string { return s.loc.base + v.path }

// result reads a VM's extraConfig by the .vmx reader's rules.
func (s *Source) result(v *vm) (*formats.Result, error) {
	path := s.path(v)
	if len(v.missing) > 0 {
		return nil, fmt.Errorf("%s: cannot read %s", path, strings.Join(v.missing, "; "))
	}
	if !v.hasConf {
		return nil, fmt.Errorf("%s: the VM has no configuration (it is being created or is inaccessible)", path)
	}
	c, err := vmware.FromFile(vmware.FromEntries(v.entries))
	if c == nil {
		return nil, genid.WithFile(err, path)
	}
	c.DisplayName, c.UUIDBios, c.VCUUID = v.name, v.uuid, v.instance
	r := c.Reading()
	r.Where = "config.extraConfig"
	if c.GenIDLine == 0 && c.GenIDXLine == 0 {
		r.Where = ""
	}
	r.Fields = append(r.Fields, genid.Field{Key: "inventory_path", Label: "inventory path", Value: v.path})
	if v.template {
		r.Fields = append(r.Fields, genid.Field{Key: "template", Label: "template", Value: "true"})
		r.Warnings = append(r.Warnings, "a template: it never runs; VMs deployed from it get an ID of their own")
	}
	return &formats.Result{Input: path, Format: Format, Description: "vSphere VM (config.extraConfig)", Reading: *r}, genid.WithFile(err, path)
}

type item struct {
	s *Source
	v *vm
}

// Read turns the VM's properties into a record.
func (it *item) Read([]byte) inventory.Batch {
	res, err := it.s.result(it.v)
	path := it.s.path(it.v)
	var rec *inventory.Record
	if res == nil {
		rec = inventory.ErrorRecord(path, Format, err)
		rec.Message = strings.TrimPrefix(rec.Message, path+": ")
	} else {
		rec = inventory.NewRecord(path, res, err)
	}
	rec.Template = it.v.template
	return inventory.Batch{Records: []*inventory.Record{rec}}
}

// URL returns the SDK URL the source talks to, without user information.
func (s *Source) URL() *url.URL { return s.loc.sdk }
