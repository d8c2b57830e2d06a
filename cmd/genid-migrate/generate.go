package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/genid-migrate/genid-migrate/audit"
	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/targets"
)

func generateCommand(jsonErrors *bool) *cli.Command {
	return &cli.Command{
		Name:      "generate",
		Usage:     "write the man pages or a shell completion script",
		ArgsUsage: "--man DIR | --completion bash|zsh|fish FILE",
		Description: `--man DIR writes genid-migrate.1 and one page per command (genid-migrate-audit.1, …)
into DIR, with no date in them, so that two builds give the same pages. --completion
SHELL FILE writes a completion script for bash, zsh or fish (- for standard output): it
completes commands, flags, and the values of --to, --format, --fail-on and
--label-convention.

Examples:
   genid-migrate generate --man /usr/share/man/man1
   genid-migrate generate --completion bash /etc/bash_completion.d/genid-migrate`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "man", Usage: "write the man pages into `DIR`"},
			&cli.StringFlag{Name: "completion", Usage: "write the completion script for `SHELL` (bash, zsh, fish) to the file argument"},
		},
		Action: func(c *cli.Context) error {
			switch {
			case c.IsSet("man") == c.IsSet("completion"):
				return &usageError{"generate needs one of --man DIR or --completion SHELL FILE"}
			case c.IsSet("man"):
				if c.NArg() > 0 {
					return &usageError{"generate --man DIR takes no other argument"}
				}
				return writeManPages(c.App, c.String("man"))
			}
			if c.NArg() != 1 {
				return &usageError{"generate --completion SHELL FILE: name the FILE (- for standard output)"}
			}
			var script string
			switch sh := c.String("completion"); sh {
			case "bash":
				script = bashCompletion(c.App)
			case "zsh":
				script = "#compdef genid-migrate\nautoload -U +X bashcompinit && bashcompinit\n" + bashCompletion(c.App)
			case "fish":
				script = fishCompletion(c.App)
			default:
				return &usageError{fmt.Sprintf("--completion %q: want bash, zsh or fish%s", sh, didYouMean(sh, []string{"bash", "zsh", "fish"}))}
			}
			if name := c.Args().First(); name != "-" {
				return os.WriteFile(name, []byte(script), 0o644)
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// writeManPages writes the application's page and one per command.
func writeManPages(app *cli.App, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	page, err := app.ToManWithSection(1)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, appName+".1"), []byte(groffASCII(page)), 0o644); err != nil {
		return err
	}
	for _, cmd := range app.VisibleCommands() {
		if cmd.Name == "help" {
			continue
		}
		sub := &cli.App{
			Name:        appName + "-" + cmd.Name,
			Usage:       cmd.Usage,
			UsageText:   appName + " " + cmd.Name + " [OPTIONS] " + cmd.ArgsUsage,
			Description: cmd.Description,
			Flags:       cmd.Flags,
		}
		page, err := sub.ToManWithSection(1)
		if err != nil {
			return err
		}
		page = withSection(page, jsonManSection(cmd.Name), ".SH GLOBAL OPTIONS\n")
		if err := os.WriteFile(filepath.Join(dir, appName+"-"+cmd.Name+".1"), []byte(groffASCII(page)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// withSection puts section into page before the line before, or at the
// end when page has no such line.
func withSection(page, section, before string) string {
	if i := strings.Index(page, before); i >= 0 {
		return page[:i] + section + page[i:]
	}
	return page + section
}

// groffASCII writes every character outside ASCII as groff's \[uXXXX]
// escape, so that the pages render without preconv, warning-free.
func groffASCII(page string) string {
	var b strings.Builder
	for _, r := range page {
		if r < 0x80 {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\[u%04X]", r)
		}
	}
	return b.String()
}

// flagValues are the values completion offers for flags that take a
// word from a fixed list.
func flagValues() map[string][]string {
	conv := []string{"auto", "qemu", "libvirt-vmware"}
	return map[string][]string{
		"to":               targets.Names(),
		"format":           formats.Names(),
		"from-format":      formats.Names(),
		"fail-on":          append(append([]string(nil), audit.FindingKinds...), "none"),
		"label-convention": conv,
		"completion":       {"bash", "zsh", "fish"},
	}
}

// commandFlags returns each command's flag names, "--" prefixed.
func commandFlags(app *cli.App) map[string][]string {
	out := map[string][]string{}
	for _, cmd := range app.VisibleCommands() {
		var names []string
		for _, f := range cmd.Flags {
			for _, n := range f.Names() {
				if len(n) > 1 {
					names = append(names, "--"+n)
				}
			}
		}
		sort.Strings(names)
		out[cmd.Name] = names
	}
	return out
}

// bashCompletion is a self-contained bash completion function: no call
// back into the binary, so completing is instant.
func bashCompletion(app *cli.App) string {
	var b strings.Builder
	var cmds []string
	for _, cmd := range app.VisibleCommands() {
		cmds = append(cmds, cmd.Name)
	}
	b.WriteString("# bash completion for genid-migrate, written by genid-migrate generate --completion bash\n")
	b.WriteString("_genid_migrate() {\n")
	b.WriteString("\tlocal cur prev cmd i\n\tcur=${COMP_WORDS[COMP_CWORD]}\n\tprev=${COMP_WORDS[COMP_CWORD-1]}\n")
	b.WriteString("\tcmd=\n\tfor ((i = 1; i < COMP_CWORD; i++)); do\n\t\tcase ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n\tdone\n")
	b.WriteString("\tcase $prev in\n")
	values := flagValues()
	var keys []string
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\t--%s) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return ;;\n", k, strings.Join(values[k], " "))
	}
	b.WriteString("\tesac\n")
	fmt.Fprintf(&b, "\tif [[ -z $cmd ]]; then\n\t\tCOMPREPLY=($(compgen -W '%s --help --version' -- \"$cur\"))\n\t\treturn\n\tfi\n", strings.Join(cmds, " "))
	b.WriteString("\tif [[ $cur == -* ]]; then\n\t\tcase $cmd in\n")
	flags := commandFlags(app)
	for _, c := range cmds {
		fmt.Fprintf(&b, "\t\t%s) COMPREPLY=($(compgen -W '%s --help' -- \"$cur\")) ;;\n", c, strings.Join(flags[c], " "))
	}
	b.WriteString("\t\tesac\n\t\treturn\n\tfi\n")
	b.WriteString("\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n}\n")
	b.WriteString("complete -o filenames -F _genid_migrate genid-migrate\n")
	return b.String()
}

// fishCompletion completes commands, each command's flags, and the
// values of the flags that take a word from a list.
func fishCompletion(app *cli.App) string {
	var b strings.Builder
	b.WriteString("# fish completion for genid-migrate, written by genid-migrate generate --completion fish\n")
	var cmds []string
	for _, cmd := range app.VisibleCommands() {
		cmds = append(cmds, cmd.Name)
	}
	fmt.Fprintf(&b, "complete -c genid-migrate -f -n '__fish_use_subcommand' -a '%s'\n", strings.Join(cmds, " "))
	values := flagValues()
	for _, cmd := range app.VisibleCommands() {
		for _, f := range cmd.Flags {
			names := f.Names()
			if len(names[0]) < 2 {
				continue
			}
			line := fmt.Sprintf("complete -c genid-migrate -n '__fish_seen_subcommand_from %s' -l %s", cmd.Name, names[0])
			if u, ok := f.(cli.DocGenerationFlag); ok {
				line += " -d " + fishQuote(strings.SplitN(u.GetUsage(), "(", 2)[0])
			}
			if v, ok := values[names[0]]; ok {
				line += " -x -a '" + strings.Join(v, " ") + "'"
			} else if _, isBool := f.(*cli.BoolFlag); !isBool {
				line += " -r"
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), `\`, `\\`), "'", `\'`) + "'"
}
