// Package targets is the table of spellings a generation ID is written in
// for a target: one row per value of convert --to, each rendering the ID
// so that the target's guest sees the same 16 bytes. The rows call the
// writers under writers/; show prints the same values.
//
// Adding a target is a writer (or a method of genid.ID) and one row in
// [table].
package targets

import (
	"errors"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"

	"github.com/genid-migrate/genid-migrate/writers/incus"
	"github.com/genid-migrate/genid-migrate/writers/kubevirt"
	"github.com/genid-migrate/genid-migrate/writers/libvirt"
	"github.com/genid-migrate/genid-migrate/writers/proxmox"
	"github.com/genid-migrate/genid-migrate/writers/qemu"
	"github.com/genid-migrate/genid-migrate/writers/vmware"
	"github.com/genid-migrate/genid-migrate/writers/xapi"
)

// Options are the details some targets need.
type Options struct {
	VMID      string // Proxmox: print the qm set command for this VM
	VM        string // KubeVirt: the VirtualMachine (required); Incus: print the incus config set command for this instance
	Namespace string // KubeVirt: the VirtualMachine's namespace
	Source    string // what the ID was read from, for the comments of targets that write files
}

// An Output is what a target's spelling is: the text to print, with its
// final newline, and, for spellings that are commands, their argv.
type Output struct {
	Text string
	Argv []string
}

// A Target is one spelling: a row of the table.
type Target struct {
	Name        string // the value of convert --to
	Description string // for help
	// Render spells id for the target.
	Render func(id genid.ID, opt Options) (Output, error)
	// Takes lists the options the target uses, by flag name.
	Takes []string
}

// An OptionError reports an option a target cannot use, or a value it
// refuses.
type OptionError struct {
	Option string // the flag, such as "vmid"
	Err    error  // what is wrong with its value; nil when the target does not take it
	Target string // the target, when it does not take the option
}

func (e *OptionError) Error() string {
	if e.Err == nil {
		return "--" + e.Option + " goes with --to " + takers(e.Option) + ", not --to " + e.Target
	}
	return "--" + e.Option + ": " + e.Err.Error()
}

// takers names the targets that take an option.
func takers(option string) string {
	var names []string
	for _, t := range table {
		for _, o := range t.Takes {
			if o == option {
				names = append(names, t.Name)
			}
		}
	}
	return strings.Join(names, " or --to ")
}
func (e *OptionError) Unwrap() error { return e.Err }

func line(s string) Output { return Output{Text: s + "\n"} }

// table lists the targets: the product contract's first, then the others.
var table = []*Target{
	{Name: "libvirt", Description: "<genid>…</genid> for a qemu or kvm domain", Render: func(id genid.ID, _ Options) (Output, error) {
		el, err := libvirt.Element(id)
		return line(el), err
	}},
	{Name: "qemu", Description: "-device vmgenid,guid=…,id=vmgenid0", Render: func(id genid.ID, _ Options) (Output, error) {
		args := qemu.Args(id)
		return Output{strings.Join(args, " ") + "\n", args}, nil
	}},
	{Name: "proxmox", Description: "vmgenid: … (with --vmid N: qm set N --vmgenid …)", Takes: []string{"vmid"}, Render: func(id genid.ID, opt Options) (Output, error) {
		if opt.VMID == "" {
			return line(proxmox.Line(id)), nil
		}
		args, err := proxmox.Command(opt.VMID, id)
		if err != nil {
			return Output{}, &OptionError{Option: "vmid", Err: err}
		}
		return Output{strings.Join(args, " ") + "\n", args}, nil
	}},
	{Name: "vmx", Description: `vm.genid = "…" and vm.genidX = "…"`, Render: func(id genid.ID, _ Options) (Output, error) {
		return Output{Text: vmware.Lines(id)}, nil
	}},
	{Name: "hyperv", Description: "Hyper-V generation_id", Render: spelling(genid.ID.HyperV)},
	{Name: "windows", Description: "what VMGENID.EXE prints in the guest", Render: spelling(genid.ID.Windows)},
	{Name: "guid", Description: "the GUID alone (QEMU, libvirt qemu/kvm, Proxmox)", Render: spelling(genid.ID.GUID)},
	{Name: "bytes", Description: "the 16 guest bytes in hex", Render: spelling(genid.ID.GuestBytes)},
	{Name: "xen", Description: "Xen/XenServer a:b", Render: spelling(genid.ID.Xen)},
	{Name: "qemu-json", Description: "the -device value in JSON, as libvirt passes it", Render: func(id genid.ID, _ Options) (Output, error) {
		return Output{qemu.DeviceJSON(id) + "\n", qemu.ArgsJSON(id)}, nil
	}},
	{Name: "kubevirt", Description: "ConfigMap with an onDefineDomain hook, and the VM patch that uses it (--vm NAME [--namespace NS])", Takes: []string{"vm", "namespace"}, Render: func(id genid.ID, opt Options) (Output, error) {
		vm := kubevirt.VM{Name: opt.VM, Namespace: opt.Namespace}
		if opt.VM == "" {
			return Output{}, &OptionError{Option: "vm", Err: errors.New("--to kubevirt writes for one VirtualMachine: name it with --vm NAME")}
		}
		if err := vm.Check(); err != nil {
			return Output{}, &OptionError{Option: "vm", Err: err}
		}
		return Output{vm.ConfigMap(id, opt.Source), vm.PatchCommand(id)}, nil
	}},
	{Name: "incus", Description: "volatile.uuid.generation=… (with --vm NAME: incus config set NAME …)", Takes: []string{"vm"}, Render: func(id genid.ID, opt Options) (Output, error) {
		if opt.VM == "" {
			return line(incus.Setting(id)), nil
		}
		args, err := incus.Command(opt.VM, id)
		if err != nil {
			return Output{}, &OptionError{Option: "vm", Err: err}
		}
		return Output{strings.Join(args, " ") + "\n", args}, nil
	}},
	{Name: "xapi", Description: `"generation_id": "…" for XenServer/XCP-ng VM.create`, Render: spelling(xapi.Member)},
	{Name: "libvirt-vmware", Description: "the <genid> libvirt's VMX/ESX driver shows (to recognise it, not to use)", Render: spelling(genid.ID.LibvirtVMware)},
}

func spelling(f func(genid.ID) string) func(genid.ID, Options) (Output, error) {
	return func(id genid.ID, _ Options) (Output, error) { return line(f(id)), nil }
}

// Targets returns the targets in help order. The rows are shared and must
// not be changed.
func Targets() []*Target { return append([]*Target(nil), table...) }

// Names returns the targets' names in help order.
func Names() []string {
	var out []string
	for _, t := range table {
		out = append(out, t.Name)
	}
	return out
}

// ByName returns the target name names, or nil.
func ByName(name string) *Target {
	for _, t := range table {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Uses reports whether the target takes the option named by its flag.
func (t *Target) Uses(option string) bool {
	for _, x := range t.Takes {
		if x == option {
			return true
		}
	}
	return false
}

// Check reports whether opt suits the target before any input is read:
// options it does not take, and values it would refuse. VM is not
// checked for targets that do not take it: it is also how an input names
// the VM of an inventory.
func (t *Target) Check(opt Options) error {
	for _, o := range []struct{ name, value string }{{"vmid", opt.VMID}, {"namespace", opt.Namespace}} {
		if o.value != "" && !t.Uses(o.name) {
			return &OptionError{Option: o.name, Target: t.Name}
		}
	}
	_, err := t.Render(genid.ID{1}, opt)
	return err
}

// Text renders id and returns just its text without the final newline, for
// tables and JSON fields; it panics on a target that needs options.
func Text(name string, id genid.ID) string {
	out, err := ByName(name).Render(id, Options{})
	if err != nil {
		panic(err) // the targets show uses render every ID
	}
	return strings.TrimSuffix(out.Text, "\n")
}
