package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/internal/textsafe"
)

const appName = "genid-migrate"

// run builds the application on the given streams and runs it; it returns
// the exit code and never exits itself.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	jsonErrors := false
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: internal error (a bug, please report it): %v\n%s", appName, r, debug.Stack())
			code = exitOtherError
		}
	}()
	app := newApp(stdin, stdout, stderr, &jsonErrors)
	err := app.Run(interspersed(app, optionalValues(args)))
	if err == nil {
		return exitOK
	}
	code = exitCode(err)
	var (
		fe *findingsError
		eo *exitOnly
	)
	if errors.As(err, &fe) && fe.msg == "" || errors.As(err, &eo) {
		return code // already reported
	}
	if jsonErrors {
		b, _ := json.Marshal(struct {
			MessageType string `json:"message_type"`
			Code        int    `json:"code"`
			Message     string `json:"message"`
		}{"exit_error", code, err.Error()})
		fmt.Fprintf(stderr, "%s\n", b)
		return code
	}
	fmt.Fprintf(stderr, "%s: %s\n", appName, textsafe.Controls(err.Error()))
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", appName)
	}
	return code
}

// Set at release build time with -ldflags "-X main.buildVersion=… -X
// main.buildCommit=… -X main.buildDate=…"; empty in other builds, which
// take what the Go toolchain recorded instead.
var buildVersion, buildCommit, buildDate string

// buildInfo is what version reports.
type buildInfo struct {
	Version  string `json:"version"`            // the release, the module version, or (devel)
	Commit   string `json:"commit,omitempty"`   // the VCS commit it was built from
	Modified bool   `json:"modified,omitempty"` // the checkout had uncommitted changes
	Date     string `json:"date,omitempty"`     // when it was built (releases) or committed
	Go       string `json:"go"`                 // the Go toolchain
	Platform string `json:"platform"`           // GOOS/GOARCH
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: "(devel)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			case "vcs.time":
				b.Date = s.Value
			}
		}
	}
	if buildVersion != "" {
		b.Version, b.Commit, b.Date, b.Modified = buildVersion, buildCommit, buildDate, false
	}
	return b
}

func versionCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, the commit it was built from and the Go toolchain",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print it as JSON"}},
		Action: func(c *cli.Context) error {
			*jsonErrors = c.Bool("json")
			if c.NArg() > 0 {
				return &usageError{"version takes no arguments"}
			}
			b := readBuildInfo()
			if c.Bool("json") {
				return writeJSON(c.App.Writer, b)
			}
			fmt.Fprintf(c.App.Writer, "%s %s\n", appName, version())
			fmt.Fprintf(c.App.Writer, "built with %s for %s\n", b.Go, b.Platform)
			return nil
		},
	}
}

func version() string {
	b := readBuildInfo()
	v := b.Version
	if b.Commit != "" {
		v += " (" + b.Commit[:min(12, len(b.Commit))]
		if b.Modified {
			v += "-dirty"
		}
		if b.Date != "" {
			v += ", " + b.Date
		}
		v += ")"
	}
	return v
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, jsonErrors *bool) *cli.App {
	onUsage := func(c *cli.Context, err error, _ bool) error { return &usageError{flagSuggestion(c, err)} }
	app := &cli.App{
		Name:    appName,
		Usage:   "carry a VM generation ID across hypervisors, byte for byte",
		Version: version(),
		Description: `A VM generation ID is 16 bytes the hypervisor shows the guest. Windows domain
controllers compare it at every boot; a changed ID resets the DC's invocationID and
RID pool. VMware, Hyper-V, libvirt, QEMU and Proxmox each spell it differently, and
converters get the byte order wrong. genid-migrate reads it from any of them and writes
it so the guest sees exactly the same bytes.

Inputs are detected by content: VMware .vmx, Hyper-V .vmcx and XML, libvirt domain XML,
Proxmox qemu-server .conf, a QEMU command line (as in /proc/PID/cmdline, one argument per
line, or a shell line). "-" reads standard input. Literal values: --vmx GENID:GENIDX,
--guid UUID, --windows LOW:HIGH, --hyperv HEX32, --bytes HEX32 (guest memory order),
--xen A:B. A running QEMU is read with --qmp SOCKET.

` + exitTable,
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		HideHelpCommand:      false,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {},
		OnUsageError:         onUsage,
		CommandNotFound: func(c *cli.Context, name string) {
			// Reported through the Action below.
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				var names []string
				for _, cmd := range c.App.Commands {
					names = append(names, cmd.Name)
				}
				return &usageError{fmt.Sprintf("unknown command %q%s", c.Args().First(), didYouMean(c.Args().First(), names))}
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{
			showCommand(jsonErrors),
			convertCommand(jsonErrors),
			rewriteCommand(jsonErrors),
			inspectCommand(jsonErrors),
			verifyCommand(jsonErrors),
			auditCommand(jsonErrors),
			planCommand(jsonErrors),
			versionCommand(jsonErrors),
			generateCommand(jsonErrors),
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsage
		cmd.Description = strings.TrimSpace(cmd.Description) + "\n\n" + exitTable
	}
	cli.VersionPrinter = func(c *cli.Context) { fmt.Fprintf(c.App.Writer, "%s %s\n", appName, c.App.Version) }
	return app
}

// looksLikeSuffix reports whether a word after --backup is its suffix: it
// starts with '.' or '~', names no directory and no existing file.
func looksLikeSuffix(w string) bool {
	if w == "" || (w[0] != '.' && w[0] != '~') || strings.ContainsRune(w, '/') {
		return false
	}
	_, err := os.Lstat(w)
	return err != nil
}

// optionalValues gives --backup, whose value is optional, its default when
// it stands alone: urfave/cli has no optional flag values.
func optionalValues(args []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if a == "--backup" || a == "-backup" {
			// --backup SUFFIX, as help shows it, when the next word is a
			// suffix (.orig, ~) and not a file; --backup alone otherwise.
			if i+1 < len(out) && looksLikeSuffix(out[i+1]) {
				out[i] = "--backup=" + out[i+1]
				out = append(out[:i+1], out[i+2:]...)
			} else {
				out[i] = "--backup=" + defaultBackupSuffix
			}
		}
	}
	return out
}
