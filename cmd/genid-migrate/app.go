package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
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
	err := app.Run(optionalValues(args))
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
	fmt.Fprintf(stderr, "%s: %v\n", appName, err)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", appName)
	}
	return code
}

func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return v
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, jsonErrors *bool) *cli.App {
	onUsage := func(_ *cli.Context, err error, _ bool) error { return &usageError{err.Error()} }
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
		HideHelpCommand:      true,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {},
		OnUsageError:         onUsage,
		CommandNotFound: func(c *cli.Context, name string) {
			// Reported through the Action below.
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{fmt.Sprintf("unknown command %q", c.Args().First())}
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
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsage
		cmd.Description = strings.TrimSpace(cmd.Description) + "\n\n" + exitTable
	}
	cli.VersionPrinter = func(c *cli.Context) { fmt.Fprintf(c.App.Writer, "%s %s\n", appName, c.App.Version) }
	return app
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
			out[i] = "--backup=" + defaultBackupSuffix
		}
	}
	return out
}
