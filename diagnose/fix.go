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

// ShellQuote quotes s for a POSIX shell when it holds anything a shell
// would read specially.
func ShellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
