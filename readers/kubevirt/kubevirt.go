// Package kubevirt reads the generation ID of a KubeVirt VirtualMachine
// (OpenShift Virtualization, Harvester) from its manifest, YAML or JSON,
// as kubectl get -o yaml prints it or virt-v2v -o kubevirt writes it.
//
// KubeVirt has no field for the ID, so a manifest holds one only where a
// tool left it:
//
//   - the annotation genid-migrate.io/guid, which convert --to kubevirt
//     puts on the VM's template (and on its ConfigMap) with the QEMU GUID
//     its hook gives libvirt;
//   - the label libguestfs.org/genid that virt-v2v -o kubevirt writes
//     (output/create_kubevirt_yaml.ml) and Forklift/MTV keeps. virt-v2v
//     copies there whatever its input gave it, so the label's byte order
//     is the input's: -i vmx computes the QEMU GUID from vm.genid and
//     vm.genidX (input/parse_domain_from_vmx.ml), but -i libvirt copies
//     /domain/genid as libvirt printed it (input/parse_libvirt_xml.ml),
//     and for a vCenter or ESXi source (-ic vpx://, esx://, which is how
//     Forklift converts vSphere VMs) that is libvirt's VMX-driver spelling,
//     each 8-byte half reversed (docs/byte-order.md, "Wrong spellings
//     already in the wild"). The label libguestfs.org/source names the
//     source hypervisor (the libvirt domain type), "vmware" for both.
//
// [VM.Decode] decides the label's convention from those facts when they
// decide it (a kvm or qemu source: QEMU; a vmware source that Forklift
// migrated, as its labels plan and vmID say: libvirt's VMX spelling) and
// otherwise refuses and asks for it: a guess could give a domain
// controller the wrong bytes.
//
// # Security
//
// Input is assumed hostile and fuzzed: manifests over [MaxSize] are
// refused, YAML aliases are not followed past a few steps, and errors name
// the line.
package kubevirt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
)

// MaxSize is the largest manifest read: a cluster's worth of
// VirtualMachines is a few MiB.
const MaxSize = 16 << 20

// The keys read.
const (
	GUIDAnnotation = "genid-migrate.io/guid" // the QEMU GUID, written by convert --to kubevirt
	GenIDLabel     = "libguestfs.org/genid"  // virt-v2v -o kubevirt: the source's genid text
	SourceLabel    = "libguestfs.org/source" // virt-v2v -o kubevirt: the source hypervisor
	VersionLabel   = "libguestfs.org/virt-v2v-version"
)

// A Value is a string of the manifest and its line.
type Value struct {
	Text string
	Line int
}

// A VM is one VirtualMachine, VirtualMachineInstance, or ConfigMap written
// by convert --to kubevirt, with what the manifest says about its ID.
type VM struct {
	Kind      string
	Name      string
	Namespace string
	Line      int // where the object starts

	GUID         *Value // the genid-migrate.io/guid annotation
	Label        *Value // the libguestfs.org/genid label
	Source       string // the libguestfs.org/source label
	V2VVersion   string // the libguestfs.org/virt-v2v-version label
	Forklift     bool   // Forklift's labels plan and vmID are set
	FirmwareUUID string // spec.domain.firmware.uuid: the SMBIOS UUID

	// What Decode found.
	ID         genid.ID
	Convention genid.Convention
	Where      string
	Warnings   []string
}

// A Manifest is the VMs of a YAML or JSON stream, in order.
type Manifest struct {
	VMs []*VM
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a YAML library error into an input error at its line.
func syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &genid.InputError{Line: n, Err: fmt.Errorf("YAML syntax error: %s", m[2])}
	}
	return &genid.InputError{Err: fmt.Errorf("YAML syntax error: %s", msg)}
}

// Parse reads every document of a YAML or JSON stream (kind: List items
// included) and returns the objects that can hold an ID.
func Parse(doc []byte) (*Manifest, error) {
	if len(doc) > MaxSize {
		return nil, bounded.TooLarge(MaxSize, "a KubeVirt manifest")
	}
	m := &Manifest{}
	dec := yaml.NewDecoder(bytes.NewReader(doc))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		m.collect(&n, 0)
	}
	return m, nil
}

// collect adds the VMs of an object, or of a List's items.
func (m *Manifest) collect(n *yaml.Node, depth int) {
	n = deref(n)
	if n == nil || depth > 2 {
		return
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		m.collect(n.Content[0], depth)
		return
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	kind := text(get(n, "kind"))
	switch kind {
	case "List", "VirtualMachineList", "VirtualMachineInstanceList", "ConfigMapList":
		if items := deref(get(n, "items")); items != nil && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				m.collect(it, depth+1)
			}
		}
		return
	}
	vm := &VM{Kind: kind, Line: n.Line}
	meta := get(n, "metadata")
	vm.Name, vm.Namespace = text(get(meta, "name")), text(get(meta, "namespace"))
	labels := get(meta, "labels")
	switch kind {
	case "VirtualMachine":
		vm.GUID = value(get(get(get(get(n, "spec"), "template"), "metadata"), "annotations"), GUIDAnnotation)
		vm.FirmwareUUID = text(get(get(get(get(get(get(n, "spec"), "template"), "spec"), "domain"), "firmware"), "uuid"))
	case "VirtualMachineInstance":
		vm.GUID = value(get(meta, "annotations"), GUIDAnnotation)
		vm.FirmwareUUID = text(get(get(get(get(n, "spec"), "domain"), "firmware"), "uuid"))
	case "ConfigMap":
		vm.GUID = value(get(meta, "annotations"), GUIDAnnotation)
		if vm.GUID == nil || text(get(labels, "app.kubernetes.io/managed-by")) != "genid-migrate" {
			return // someone else's ConfigMap
		}
		vm.Name = strings.TrimSuffix(vm.Name, "-genid")
	default:
		return
	}
	if vm.GUID == nil && kind == "VirtualMachine" {
		vm.GUID = value(get(meta, "annotations"), GUIDAnnotation) // on the VM itself, by hand
	}
	vm.Label = value(labels, GenIDLabel)
	vm.Source = text(get(labels, SourceLabel))
	vm.V2VVersion = text(get(labels, VersionLabel))
	vm.Forklift = get(labels, "plan") != nil && get(labels, "vmID") != nil
	m.VMs = append(m.VMs, vm)
}

// deref follows aliases, a few steps at most.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == 8 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// get returns the value of key in a mapping, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := deref(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// text returns a scalar's value, or "".
func text(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// value returns key's scalar in a mapping with its line, or nil.
func value(n *yaml.Node, key string) *Value {
	v := get(n, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil
	}
	return &Value{Text: v.Value, Line: v.Line}
}

// ErrAmbiguous reports a libguestfs.org/genid label whose byte order the
// manifest does not decide. It is unsupported (exit 4) until the user
// says which with --label-convention.
var ErrAmbiguous = fmt.Errorf("%w: the byte order of the %s label is not known", genid.ErrUnsupported, GenIDLabel)

// LabelConventions are the conventions a libguestfs.org/genid label can
// be read with.
var LabelConventions = []genid.Convention{genid.ConvQEMU, genid.ConvLibvirtVMware}

// Decode finds the VM's ID: the annotation if set, else the label read
// with convention, or, when convention is "", with the convention the
// labels decide.
func (vm *VM) Decode(convention genid.Convention) error {
	var label genid.ID
	var labelErr error
	var labelConv genid.Convention
	if vm.Label != nil {
		labelConv = convention
		if labelConv == "" {
			labelConv = vm.labelConvention()
		}
		switch labelConv {
		case genid.ConvQEMU:
			label, labelErr = genid.ParseGUID(vm.Label.Text)
		case genid.ConvLibvirtVMware:
			label, labelErr = genid.ParseLibvirtVMware(vm.Label.Text)
		case "":
			labelErr = vm.ambiguous()
		default:
			return fmt.Errorf("a %s label is read as qemu or libvirt-vmware, not %s", GenIDLabel, convention)
		}
		if labelErr != nil && !errors.Is(labelErr, genid.ErrUnsupported) {
			labelErr = &genid.InputError{Line: vm.Label.Line, Key: GenIDLabel, Err: labelErr}
		}
	}
	if vm.GUID != nil {
		id, err := genid.ParseGUID(vm.GUID.Text)
		if err != nil {
			return &genid.InputError{Line: vm.GUID.Line, Key: GUIDAnnotation, Err: err}
		}
		vm.ID, vm.Convention, vm.Where = id, genid.ConvQEMU, fmt.Sprintf("line %d (%s)", vm.GUID.Line, GUIDAnnotation)
		if vm.Label != nil && labelErr == nil && label != id {
			vm.Warnings = append(vm.Warnings, fmt.Sprintf("the %s label (line %d, read as %s) gives another ID, %s: the annotation, which the hook applies, wins", GenIDLabel, vm.Label.Line, labelConv, label.GUID()))
		}
		return vm.zero()
	}
	if vm.Label == nil {
		return fmt.Errorf("%w: KubeVirt has no field for it, and neither the %s annotation nor the %s label is set", genid.ErrNotFound, GUIDAnnotation, GenIDLabel)
	}
	if labelErr != nil {
		return labelErr
	}
	vm.ID, vm.Convention, vm.Where = label, labelConv, fmt.Sprintf("line %d (%s)", vm.Label.Line, GenIDLabel)
	if convention == "" {
		vm.Warnings = append(vm.Warnings, vm.why(labelConv))
	}
	return vm.zero()
}

func (vm *VM) zero() error {
	if vm.ID.IsZero() {
		return genid.ErrZero
	}
	return nil
}

// labelConvention is the convention the labels decide, or "".
func (vm *VM) labelConvention() genid.Convention {
	switch vm.Source {
	case "kvm", "qemu":
		return genid.ConvQEMU
	case "vmware":
		if vm.Forklift {
			return genid.ConvLibvirtVMware
		}
	}
	return ""
}

// why says how the labels decided the convention.
func (vm *VM) why(c genid.Convention) string {
	if c == genid.ConvQEMU {
		return fmt.Sprintf("%s read as a QEMU GUID: virt-v2v copied it from a libvirt %s domain, whose <genid> is one", GenIDLabel, vm.Source)
	}
	return fmt.Sprintf("%s read in libvirt's VMX spelling: Forklift converts vSphere VMs with virt-v2v -i libvirt -ic vpx:// (or esx://), which copies libvirt's <genid>; override with --label-convention", GenIDLabel)
}

// ambiguous explains why the label cannot be read without being told how.
func (vm *VM) ambiguous() error {
	src := "no " + SourceLabel + " label"
	if vm.Source != "" {
		src = SourceLabel + "=" + vm.Source
	}
	if !vm.Forklift {
		src += ", not from Forklift"
	}
	how := "virt-v2v copies the <genid> of a libvirt qemu or kvm domain as the QEMU GUID; for other sources the byte order is not established"
	if vm.Source == "vmware" {
		how = "virt-v2v -i vmx gives the QEMU GUID, -i libvirt -ic vpx:// or esx:// (Forklift's way) gives libvirt's VMX spelling"
	}
	return &genid.InputError{Line: vm.Label.Line, Key: GenIDLabel, Err: fmt.Errorf("%w (%s): %s; say which with --label-convention qemu or --label-convention libvirt-vmware", ErrAmbiguous, src, how)}
}

// Read reads a manifest that holds one VM and decodes its ID (see
// [VM.Decode]).
func Read(doc []byte, convention genid.Convention) (*VM, error) {
	m, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	switch len(m.VMs) {
	case 0:
		return nil, fmt.Errorf("%w: no VirtualMachine or VirtualMachineInstance in the manifest", genid.ErrNotVM)
	case 1:
	default:
		var names []string
		for i, vm := range m.VMs {
			if i == 3 {
				names = append(names, "…")
				break
			}
			names = append(names, fmt.Sprintf("%s at line %d", vm.Name, vm.Line))
		}
		return nil, fmt.Errorf("%w: the manifest holds %d VMs (%s): give one at a time, such as with yq 'select(.metadata.name == \"%s\")'", genid.ErrUnsupported, len(m.VMs), strings.Join(names, ", "), m.VMs[0].Name)
	}
	vm := m.VMs[0]
	return vm, vm.Decode(convention)
}

// Reading returns the VM's reading, or nil for a nil VM.
func (vm *VM) Reading() *genid.Reading {
	if vm == nil {
		return nil
	}
	r := &genid.Reading{ID: vm.ID, Convention: vm.Convention, Where: vm.Where, Name: vm.Name, Target: vm.Kind != "ConfigMap"}
	r.SetIdentity("firmware.uuid", vm.FirmwareUUID)
	r.AddFields(
		genid.Field{Key: "kind", Label: "kind", Value: vm.Kind},
		genid.Field{Key: "name", Label: "name", Value: vm.Name},
		genid.Field{Key: "namespace", Label: "namespace", Value: vm.Namespace},
		genid.Field{Key: "firmware_uuid", Label: "firmware.uuid", Value: vm.FirmwareUUID},
		genid.Field{Key: "source", Label: SourceLabel, Value: vm.Source},
		genid.Field{Key: "virt_v2v_version", Label: VersionLabel, Value: vm.V2VVersion},
	)
	r.Warnings = append(r.Warnings, vm.Warnings...)
	return r
}
