// Package kubevirt writes a generation ID for KubeVirt, and so for
// OpenShift Virtualization and Harvester.
//
// KubeVirt has no API field for the ID: its VirtualMachineInstance spec
// cannot ask for a vmgenid device, and the domain XML virt-launcher builds
// has no <genid>. The route KubeVirt documents for domain XML it does not
// model is a hook sidecar: the annotation hooks.kubevirt.io/hookSidecars on
// the VM's template names a ConfigMap whose script KubeVirt's sidecar-shim
// image runs as /usr/bin/onDefineDomain with the arguments
// "--vmi JSON --domain XML" (cmd/sidecars/sidecar_shim.go), and the XML it
// prints is what virt-launcher gives libvirt to define (the Sidecar feature
// gate must be on). This package writes that ConfigMap, with a POSIX sh
// script that sets <genid> to the QEMU GUID, [genid.ID.GUID]: KubeVirt
// domains are type "kvm", so libvirt passes the value to QEMU unchanged
// (docs/byte-order.md, "The spellings": libvirt qemu/kvm).
//
// The script uses only sh and sed, which the sidecar-shim image has. It
// refuses (and so stops the VM from starting) when it is run for another VM
// than the one it was written for, such as a clone, which must get an ID of
// its own, and when it cannot place the element.
package kubevirt

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
)

// The names KubeVirt reads, and the ones this package adds.
const (
	// HookAnnotation is the annotation that asks KubeVirt for hook sidecars.
	HookAnnotation = "hooks.kubevirt.io/hookSidecars"
	// HookPath is where the sidecar-shim image looks for the script.
	HookPath = "/usr/bin/onDefineDomain"
	// ScriptKey is the ConfigMap key that holds the script.
	ScriptKey = "onDefineDomain.sh"
	// GUIDAnnotation records the GUID on the ConfigMap and on the VM's
	// template, where the kubevirt reader finds it again.
	GUIDAnnotation = "genid-migrate.io/guid"
)

// A VM names the VirtualMachine the ID goes to.
type VM struct {
	Name      string // metadata.name
	Namespace string // metadata.namespace; empty: kubectl's current namespace
}

// Check reports whether the names are ones Kubernetes accepts (DNS-1123:
// lower-case letters, digits, '-' and '.', starting and ending with a
// letter or digit; a namespace is a DNS-1123 label, without dots), which
// also makes them safe in the YAML, JSON and shell text written here.
func (vm VM) Check() error {
	if err := subdomain(vm.Name, 253-len("-genid")); err != nil {
		return fmt.Errorf("invalid VirtualMachine name %q: %v", vm.Name, err)
	}
	if vm.Namespace != "" {
		if err := subdomain(vm.Namespace, 63); err != nil || strings.Contains(vm.Namespace, ".") {
			return fmt.Errorf("invalid namespace %q: want lower-case letters, digits and '-', at most 63", vm.Namespace)
		}
	}
	return nil
}

func subdomain(s string, max int) error {
	if s == "" || len(s) > max {
		return fmt.Errorf("want 1 to %d characters", max)
	}
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '-' && c != '.' {
			if strings.ToLower(s) != s {
				return fmt.Errorf("names in Kubernetes are lower case (%s?)", strings.ToLower(s))
			}
			return fmt.Errorf("want lower-case letters, digits, '-' and '.'")
		}
	}
	if !alnum(s[0]) || !alnum(s[len(s)-1]) {
		return fmt.Errorf("want a letter or digit first and last")
	}
	return nil
}

// ConfigMapName returns the name of the VM's ConfigMap: the VM's, with
// "-genid".
func (vm VM) ConfigMapName() string { return vm.Name + "-genid" }

// Sidecars returns the value of the hooks.kubevirt.io/hookSidecars
// annotation: one sidecar running the ConfigMap's script at HookPath.
func (vm VM) Sidecars() string {
	type configMap struct {
		Name     string `json:"name"`
		Key      string `json:"key"`
		HookPath string `json:"hookPath"`
	}
	b, _ := json.Marshal([]struct {
		Args      []string  `json:"args"`
		ConfigMap configMap `json:"configMap"`
	}{{[]string{"--version", "v1alpha2"}, configMap{vm.ConfigMapName(), ScriptKey, HookPath}}})
	return string(b)
}

// Patch returns the JSON merge patch that adds the annotations to the VM's
// template (spec.template.metadata.annotations: KubeVirt reads them from
// the VirtualMachineInstance, which the template makes).
func (vm VM) Patch(id genid.ID) string {
	type meta struct {
		Annotations map[string]string `json:"annotations"`
	}
	var p struct {
		Spec struct {
			Template struct {
				Metadata meta `json:"metadata"`
			} `json:"template"`
		} `json:"spec"`
	}
	p.Spec.Template.Metadata.Annotations = map[string]string{HookAnnotation: vm.Sidecars(), GUIDAnnotation: id.GUID()}
	b, _ := json.Marshal(p)
	return string(b)
}

// PatchCommand returns the argv of the kubectl patch that applies Patch.
func (vm VM) PatchCommand(id genid.ID) []string {
	argv := []string{"kubectl", "patch", "virtualmachine", vm.Name}
	if vm.Namespace != "" {
		argv = append(argv, "--namespace", vm.Namespace)
	}
	return append(argv, "--type", "merge", "--patch", vm.Patch(id))
}

// Hook returns the onDefineDomain script that gives the domain of vm the
// generation ID id: it replaces every <genid> element, or inserts one after
// the domain's </uuid> (else </name>), and checks the result.
func (vm VM) Hook(id genid.ID) string {
	ns := ""
	if vm.Namespace != "" {
		ns = `
case $vmi in
*'"namespace":"` + vm.Namespace + `"'*) ;;
*) fail "this hook is for the VirtualMachine ` + vm.Name + ` in namespace ` + vm.Namespace + `; remove the ` + HookAnnotation + ` annotation from other VMs" ;;
esac`
	}
	return strings.NewReplacer("@GUID@", id.GUID(), "@G@", id.GuestBytes(), "@NAME@", vm.Name, "@NS@", ns).Replace(hookScript)
}

// hookScript is the script, with @GUID@, @G@, @NAME@ and @NS@ to fill.
// "n" in a loop copies the rest of the input after the first match, so
// exactly one element is inserted even if the tag appears twice.
const hookScript = `#!/bin/sh
# KubeVirt onDefineDomain hook, written by genid-migrate: gives the domain
# of VirtualMachine @NAME@ the VM generation ID its guest saw before the move.
# Guest bytes G = @G@ (QEMU/libvirt GUID @GUID@).
# The sidecar-shim runs it as: onDefineDomain --vmi JSON --domain XML
# and defines the domain from what it prints.
set -eu
el='<genid>@GUID@</genid>'
fail() {
	echo "onDefineDomain (genid-migrate): $*" >&2
	exit 1
}
vmi= domain= have=
while [ $# -gt 0 ]; do
	case $1 in
	--vmi | --domain)
		[ $# -ge 2 ] || fail "$1 without a value"
		if [ "$1" = --vmi ]; then vmi=$2; else domain=$2 have=1; fi
		shift 2
		;;
	*) shift ;;
	esac
done
[ -n "$have" ] || fail "no --domain argument"
case $vmi in
*'"metadata":{"name":"@NAME@"'*) ;;
*) fail "this hook is for the VirtualMachine @NAME@ only: a copy or clone needs an ID of its own; remove the hooks.kubevirt.io/hookSidecars annotation from it" ;;
esac@NS@
case $domain in
*'<genid'*)
	out=$(printf '%s\n' "$domain" | sed -e "s|<genid>[^<]*</genid>|$el|g" -e "s|<genid[[:space:]]*/>|$el|g")
	;;
*'</uuid>'*)
	out=$(printf '%s\n' "$domain" | sed -e '/<\/uuid>/{' -e "s|</uuid>|&$el|" -e ':a' -e 'n' -e 'ba' -e '}')
	;;
*'</name>'*)
	out=$(printf '%s\n' "$domain" | sed -e '/<\/name>/{' -e "s|</name>|&$el|" -e ':a' -e 'n' -e 'ba' -e '}')
	;;
*) fail "the domain XML has neither <uuid> nor <name>" ;;
esac
case $out in
*"$el"*) ;;
*) fail "could not set $el in the domain XML" ;;
esac
printf '%s\n' "$out"
`

// ConfigMap returns the VM's ConfigMap as YAML for kubectl apply,
// preceded by comments that say what it is for and how to use it, the
// kubectl patch among them. about names the source, for the comments; it
// is written on one line.
func (vm VM) ConfigMap(id genid.ID, about string) string {
	var b strings.Builder
	ns := ""
	if vm.Namespace != "" {
		ns = " --namespace " + vm.Namespace
	}
	comment := func(format string, args ...any) {
		b.WriteString(strings.TrimRight("# "+fmt.Sprintf(format, args...), " ") + "\n")
	}
	comment("The VM generation ID of %s for the KubeVirt VirtualMachine %s.", oneLine(about), vm.Name)
	comment("Guest bytes G = %s (GUID %s).", id.GuestBytes(), id.GUID())
	comment("")
	comment("1. Create this ConfigMap in the VM's namespace:")
	comment("     kubectl apply%s -f FILE", ns)
	comment("2. Point the VM's template at it (the Sidecar feature gate must be on):")
	comment("     %s", shellJoin(vm.PatchCommand(id)))
	comment("   If the template already has %s, add this entry to its list instead:", HookAnnotation)
	comment("     %s", vm.Sidecars())
	comment("3. Stop and start the VM (virtctl stop %s; virtctl start %s): the ID is set when", vm.Name, vm.Name)
	comment("   the domain is defined. Check it in the guest (VMGENID.EXE) or with genid-migrate verify.")
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n")
	b.WriteString("  name: " + vm.ConfigMapName() + "\n")
	if vm.Namespace != "" {
		b.WriteString("  namespace: " + vm.Namespace + "\n")
	}
	b.WriteString("  labels:\n    app.kubernetes.io/managed-by: genid-migrate\n")
	b.WriteString("  annotations:\n    " + GUIDAnnotation + ": " + id.GUID() + "\n")
	b.WriteString("data:\n  " + ScriptKey + ": |\n")
	for _, line := range strings.SplitAfter(vm.Hook(id), "\n") {
		if line == "\n" {
			b.WriteString(line)
		} else if line != "" {
			b.WriteString("    " + line)
		}
	}
	return b.String()
}

// oneLine keeps a name on one comment line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return '?'
		}
		return r
	}, s)
}

// shellJoin quotes the arguments that need it for a POSIX shell.
func shellJoin(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		safe := a != ""
		for _, c := range a {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:=@,", c)) {
				safe = false
			}
		}
		if safe {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
