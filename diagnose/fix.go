package diagnose

import (
	"path/filepath"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/qemu"
)

// A Target is the configuration that should carry a source's ID, as far as
// it is known: its format's name ("libvirt", "proxmox", "qemu-cmdline"; ""
// when unknown, as for a running guest) and its path.
type Target struct {
	Format string
	Path   string
	Name   string // the VM's name (a libvirt domain's <name>), if known
	URI    string // the libvirt URI the domain Name is defined at, when the target is a live domain
}

// A Fix is a command, ready to paste, that makes a target carry a source's
// ID, and the kind of target it is for.
type Fix struct {
	For     string // "libvirt", "QEMU", "Proxmox"
	Command string
}

// Fixes returns the commands that give the target src's ID, read from
// source (a path): one for a known target's format, or one per kind of
// target when it is unknown. Paths are shell-quoted.
func Fixes(src genid.ID, source string, t Target) []Fix {
	libvirt := Fix{"libvirt", "genid-migrate rewrite --from " + ShellQuote(source) + " --in-place --backup " + ShellQuote(t.Path)}
	qemuFix := Fix{"QEMU", "give QEMU " + strings.Join(qemu.Args(src), " ") + " (genid-migrate convert --to qemu " + ShellQuote(source) + ")"}
	vmid := "VMID"
	if v := strings.TrimSuffix(filepath.Base(t.Path), ".conf"); t.Path != "" && v != "" && strings.Trim(v, "0123456789") == "" {
		vmid = v
	}
	pve := Fix{"Proxmox", "qm set " + vmid + " --vmgenid " + src.GUID()}
	switch t.Format {
	case "libvirt":
		if t.URI != "" && t.Name != "" {
			libvirt.Command = "genid-migrate rewrite --from " + ShellQuote(source) + " --libvirt " + ShellQuote(t.URI) + " " + ShellQuote(t.Name)
		} else if uri, dom, ok := liveDomain(t.Path); ok {
			libvirt.Command = "genid-migrate rewrite --from " + ShellQuote(source) + " --libvirt " + ShellQuote(uri) + " " + ShellQuote(dom)
		} else if uri, ok := libvirtOwned(t.Path); ok && t.Name != "" {
			// libvirtd owns these files: an edit behind its back is lost
			// or overwritten. Go through the daemon.
			virsh := "virsh -c " + uri
			libvirt.Command = virsh + " dumpxml --inactive --security-info " + ShellQuote(t.Name) + " | genid-migrate rewrite --from " + ShellQuote(source) + " - | " + virsh + " define /dev/stdin"
		}
		return []Fix{libvirt}
	case "proxmox":
		return []Fix{pve}
	case "":
		libvirt.Command = "genid-migrate rewrite --from " + ShellQuote(source) + " --in-place DOMAIN.xml"
		qemuFix.Command = strings.Join(qemu.Args(src), " ")
		return []Fix{libvirt, qemuFix, pve}
	}
	return []Fix{qemuFix}
}

// liveDomain splits the path of a live libvirt record (URI/DOMAIN) into
// the URI and the domain's name.
func liveDomain(path string) (uri, domain string, ok bool) {
	i := strings.Index(path, "://")
	j := strings.LastIndexByte(path, '/')
	if i <= 0 || j <= i+2 || j == len(path)-1 {
		return "", "", false
	}
	return path[:j], path[j+1:], true
}

// libvirtOwned reports whether path is a domain file of libvirt's own
// configuration directories, and the URI of the daemon that owns it:
// /etc/libvirt/qemu/ (qemu:///system) or ~/.config/libvirt/qemu/
// (qemu:///session).
func libvirtOwned(path string) (string, bool) {
	dir := filepath.ToSlash(filepath.Dir(filepath.Clean(path)))
	switch {
	case dir == "/etc/libvirt/qemu":
		return "qemu:///system", true
	case strings.HasSuffix(dir, "/.config/libvirt/qemu"):
		return "qemu:///session", true
	}
	return "", false
}

// ShellQuote quotes s for a POSIX shell when it holds anything a shell
// would read specially.
func ShellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
