// Package cli is downforai's command line: the cobra command tree, each
// command's flags and help, the man page, version and completions, the exit
// codes, and the bodies of the one-shot commands — check, diagnose, faq,
// report, db and history. The long-running front doors (the dashboard and
// serve) are main's wiring of store, engine and program; the tree calls
// them through Doors.
//
// Below main, it is the one package that wires store to probe and ui: the
// dashboard (ui and its other sub-packages) still reads history only
// through probe's interfaces.
package cli

import (
	"downforai/probe/check"
	"downforai/probe/config"
	"fmt"
	"io"
	"strings"
	"time"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"downforai/probe"
)

// Exit codes shared by every front door.
const (
	ExitOK    = 0
	ExitFail  = 1 // runtime failure (locked database, I/O)
	ExitUsage = 2 // bad flags, bad config
)

// Env is what a command gets: settings, positional arguments, the
// environment and the standard streams.
type Env struct {
	Name    string // "downforai", "downforai check" …
	Version string // the build's version (Version)
	Config  config.Config
	Args    []string
	Getenv  config.Env
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
}

// Doors are the long-running commands main wires: the dashboard (downforai
// without a command) and serve.
type Doors struct {
	Dashboard func(Env) int
	Serve     func(Env) int
}

// Run parses args, runs the command they name with base's environment and
// streams, and returns its exit code. A usage error is one line on stderr.
func Run(args []string, base Env, doors Doors) int {
	cl := &cli{loader: config.NewLoader(base.Getenv), base: base, doors: doors}
	root := cl.root()
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err != nil {
		why := strings.Join(strings.Fields(err.Error()), " ")
		fmt.Fprintf(base.Stderr, "downforai: %s\n", why)
		if cmd != nil && cmd.Annotations[jsonErrorAnnotation] != "" && asksJSON(args) {
			// A script piping --json into jq gets JSON that says why, not
			// an empty stdout (README: `error` in the JSON says which).
			if werr := check.Failed(time.Now(), why).WriteJSON(base.Stdout); werr != nil {
				fmt.Fprintf(base.Stderr, "downforai: %v\n", werr)
			}
		}
		if cmd != nil && cmd.Annotations[usageExitAnnotation] != "" {
			var code int
			fmt.Sscan(cmd.Annotations[usageExitAnnotation], &code)
			return code
		}
		return ExitUsage
	}
	return cl.exit
}

// Root is the command tree Run executes, for tests that walk it.
func Root(base Env, doors Doors) *cobra.Command {
	return (&cli{loader: config.NewLoader(base.Getenv), base: base, doors: doors}).root()
}

// jsonErrorAnnotation marks a command whose --json output is a contract:
// bad flags or settings still print its JSON, with the error in it.
const jsonErrorAnnotation = "downforai_json_error"

// asksJSON reports whether the command line asked for --json (parsing
// may have stopped before reaching it).
func asksJSON(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--json" || a == "--json=true" || a == "--json=1" {
			return true
		}
	}
	return false
}

// usageExitAnnotation holds a command's exit code for bad flags or
// settings when it is not ExitUsage: check's 2 means an outage.
const usageExitAnnotation = "downforai_usage_exit"

// cli builds the command tree of one run; the command that runs leaves its
// exit code in exit.
type cli struct {
	loader *config.Loader
	base   Env
	doors  Doors
	exit   int
}

// action turns a command body into cobra's RunE: settings resolved (a bad
// one is a usage error), then the body, whose int is the exit code.
func (cl *cli) action(body func(r Env) int) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		c, err := cl.loader.Resolve(cmd.Flags())
		if err != nil {
			return err
		}
		r := cl.base
		r.Name, r.Config, r.Args = cmd.CommandPath(), c, args
		cl.exit = body(r)
		return nil
	}
}

// noArgs refuses positional arguments, naming the command.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s: unexpected argument %s (see %s --help)", cmd.CommandPath(), probe.Quote(args[0]), cmd.CommandPath())
	}
	return nil
}

func (cl *cli) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "downforai",
		Short: "Is Claude down, or is it me? A terminal dashboard.",
		Long: `downforai probes claude.ai, the Claude API and Claude Code from this machine, reads
Anthropic's status page, keeps every observation in a local database and shows
Live signals, Incidents, Troubleshooting and History in tabs.

Settings are flags and keys in $XDG_CONFIG_HOME/downforai/config.toml (else
~/.config/downforai/config.toml); a flag beats the file. Credentials come from
ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN only.`,
		Version:                    cl.base.Version,
		SuggestionsMinimumDistance: 2,
		SilenceErrors:              true,
		SilenceUsage:               true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			hint := ""
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				hint = fmt.Sprintf("; did you mean %s?", probe.Quote(s[0]))
			}
			return fmt.Errorf("unknown command %s%s (see downforai --help)", probe.Quote(args[0]), hint)
		},
		RunE: cl.action(cl.doors.Dashboard),
	}
	root.SetIn(cl.base.Stdin)
	root.SetOut(cl.base.Stdout)
	root.SetErr(cl.base.Stderr)
	root.SetVersionTemplate(versionText(cl.base.Version))
	root.Flags().Bool("version", false, "print the version and exit")
	cl.loader.AddGlobalFlags(root.PersistentFlags())
	cl.loader.AddFlags(root.Flags(), config.Probes|config.Incidents|config.Outputs)
	root.AddCommand(cl.checkCmd(), cl.diagnoseCmd(), cl.faqCmd(), cl.reportCmd(), cl.serveCmd(), cl.dbCmd(), cl.historyCmd(),
		cl.versionCmd(), cl.manCmd())
	// Made now (not by Execute) to lower-case them; the completion
	// scripts go to the output set above.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		// cobra's own commands, in the house's lower case.
		c.Short = strings.ToLower(c.Short[:1]) + c.Short[1:]
		if c.Name() == "completion" {
			// cobra's printed its help and exited 0 for "completion tcsh":
			// a script installing it took the help text for a completion.
			c.Args, c.RunE = cobra.ArbitraryArgs, pickOne
		}
	}
	return root
}

func (cl *cli) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version and the commit it was built from",
		Args:  noArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprint(cmd.OutOrStdout(), versionText(cl.base.Version)) },
	}
}

// manCmd prints the man page, built from the command tree (for packages).
func (cl *cli) manCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  "print the man page (roff) built from the commands",
		Hidden: true,
		Args:   noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Flag help marks the value's name with backticks for --help;
			// roff would print them. (The tree is this run's own.)
			unquote := func(f *pflag.Flag) { f.Usage = strings.ReplaceAll(f.Usage, "`", "") }
			var walk func(c *cobra.Command)
			walk = func(c *cobra.Command) {
				// Long is wrapped for a terminal; roff wraps paragraphs itself.
				paras := strings.Split(c.Long, "\n\n")
				for i, p := range paras {
					paras[i] = strings.ReplaceAll(p, "\n", " ")
				}
				c.Long = strings.Join(paras, "\n\n")
				c.Flags().VisitAll(unquote)
				c.PersistentFlags().VisitAll(unquote)
				for _, sub := range c.Commands() {
					walk(sub)
				}
			}
			walk(cmd.Root())
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return err
			}
			page = page.WithSection("Files", "~/.config/downforai/config.toml — settings\n"+
				"~/.local/state/downforai/history.db — the database; downforai.log, history.db.sock and ssh_host_ed25519_key beside it")
			_, err = fmt.Fprint(cmd.OutOrStdout(), page.Build(roff.NewDocument()))
			return err
		},
	}
}

// group is a command that only holds subcommands ("db", "history"): alone
// it says which to pick.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	g := &cobra.Command{Use: use, Short: short, RunE: pickOne}
	g.AddCommand(subs...)
	return g
}

// pickOne runs a group alone or with a word that is none of its
// subcommands: it names them, and the exit is a usage error.
func pickOne(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unknown command %s for %s (see %s --help)", probe.Quote(args[0]), probe.Quote(cmd.CommandPath()), cmd.CommandPath())
	}
	var names []string
	for _, s := range cmd.Commands() {
		if s.IsAvailableCommand() {
			names = append(names, cmd.Name()+" "+s.Name())
		}
	}
	return fmt.Errorf("%s needs one of: %s", probe.Quote(cmd.Name()), strings.Join(names, ", "))
}

func (cl *cli) serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "run the engine headless; viewers attach over SSH (--ssh-addr) or the local socket",
		Long: `Run the engine without a screen: SSH dashboards for viewers (public keys in
--authorized-keys), the attach socket beside the database, Prometheus metrics
(--metrics-addr) and notifications. Logs go to stderr; SIGINT or SIGTERM stops it.`,
		Args: noArgs,
		RunE: cl.action(cl.doors.Serve),
	}
	cl.loader.AddFlags(cmd.Flags(), config.Probes|config.Incidents|config.Outputs|config.SSH)
	return cmd
}
