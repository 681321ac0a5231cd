// Command downforai answers "is Claude down, or is it me?" in a terminal: it
// probes claude.ai, the Claude API and Claude Code from this machine, reads
// Anthropic's status page, keeps every observation in a bbolt file and shows
// it all in a tabbed dashboard.
//
// main wires the command line (cobra) → settings (probe/config) → store →
// engine → program, then cancels, waits and closes. It owns no logic of its
// own.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"downforai/probe"
	"downforai/probe/check"
	"downforai/probe/config"
	"downforai/probe/diagnose"
	"downforai/probe/judge"
	"downforai/probe/metrics"
	"downforai/probe/notify"
	"downforai/probe/remote"
	"downforai/probe/transcript"
	"downforai/probe/watch"
	"downforai/store"
	"downforai/ui"
	"downforai/ui/sshserve"
	"downforai/ui/terminal"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version from the build info, else "dev".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// versionText is what `downforai version` and --version print: the version,
// then the commit it was built from when the build recorded one.
func versionText() string {
	s := "downforai " + buildVersion() + "\n"
	var rev, at, dirty string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				rev = kv.Value
			case "vcs.time":
				at = kv.Value
			case "vcs.modified":
				if kv.Value == "true" {
					dirty = " (modified)"
				}
			}
		}
	}
	if rev != "" {
		s += "revision " + rev + dirty
		if at != "" {
			s += " from " + at
		}
		s += "\n"
	}
	return s + fmt.Sprintf("built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Exit codes shared by every front door.
const (
	exitOK    = 0
	exitFail  = 1 // runtime failure (locked database, I/O)
	exitUsage = 2 // bad flags, bad config
)

// eventBuffer is how many events a subscriber may fall behind before the
// engine drops its oldest: a few rounds of every target.
const eventBuffer = 256

// env is how main reads the environment, so tests can hand in their own.
type env = config.Env

// runEnv is what a command gets: settings, positional arguments, the
// environment and the standard streams.
type runEnv struct {
	name   string // "downforai", "downforai check" …
	cfg    config.Config
	args   []string
	getenv env
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests.
func run(args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	cl := &cli{loader: config.NewLoader(getenv), base: runEnv{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}}
	root := cl.root()
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %s\n", strings.Join(strings.Fields(err.Error()), " "))
		if cmd != nil && cmd.Annotations[usageExitAnnotation] != "" {
			var code int
			fmt.Sscan(cmd.Annotations[usageExitAnnotation], &code)
			return code
		}
		return exitUsage
	}
	return cl.exit
}

// usageExitAnnotation holds a command's exit code for bad flags or
// settings when it is not exitUsage: check's 2 means an outage.
const usageExitAnnotation = "downforai_usage_exit"

// cli builds the command tree of one run; the command that runs leaves its
// exit code in exit.
type cli struct {
	loader *config.Loader
	base   runEnv
	exit   int
}

// action turns a command body into cobra's RunE: settings resolved (a bad
// one is a usage error), then the body, whose int is the exit code.
func (cl *cli) action(body func(r runEnv) int) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		c, err := cl.loader.Resolve(cmd.Flags())
		if err != nil {
			return err
		}
		r := cl.base
		r.name, r.cfg, r.args = cmd.CommandPath(), c, args
		cl.exit = body(r)
		return nil
	}
}

// noArgs refuses positional arguments, naming the command.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s: unexpected argument %q (see %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
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
		Version:                    buildVersion(),
		SuggestionsMinimumDistance: 2,
		SilenceErrors:              true,
		SilenceUsage:               true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			hint := ""
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				hint = fmt.Sprintf("; did you mean %q?", s[0])
			}
			return fmt.Errorf("unknown command %q%s (see downforai --help)", args[0], hint)
		},
		RunE: cl.action(runDashboard),
	}
	root.SetIn(cl.base.stdin)
	root.SetOut(cl.base.stdout)
	root.SetErr(cl.base.stderr)
	root.SetVersionTemplate(versionText())
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
	}
	return root
}

func (cl *cli) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version and the commit it was built from",
		Args:  noArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprint(cmd.OutOrStdout(), versionText()) },
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
	g := &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q (see %s --help)", args[0], cmd.CommandPath(), cmd.CommandPath())
			}
			var names []string
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() {
					names = append(names, use+" "+s.Name())
				}
			}
			return fmt.Errorf("%q needs one of: %s", use, strings.Join(names, ", "))
		},
	}
	g.AddCommand(subs...)
	return g
}

func (cl *cli) checkCmd() *cobra.Command {
	asJSON := false
	cmd := &cobra.Command{
		Use:   "check",
		Short: "probe everything once; print a table or --json; exit 0 ok, 1 degraded/your side, 2 outage, 3 could not check",
		Long: `One round of every probe and the local checks, each under --timeout, for scripts,
cron and CI. The round is recorded in the database when it is free.

Exit codes: 0 every service operational; 1 degraded, maintenance, conflicting,
or a problem on your side (network, key, quota); 2 Anthropic outage,
acknowledged or not; 3 could not check (interrupted, bad flags or settings,
no probe could say anything).`,
		Example:     "  downforai check --json | jq .verdict",
		Args:        noArgs,
		Annotations: map[string]string{usageExitAnnotation: fmt.Sprint(check.ExitUnknown)},
		RunE:        cl.action(func(r runEnv) int { return runCheck(r, asJSON) }),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cl.loader.AddFlags(cmd.Flags(), config.Probes)
	return cmd
}

func (cl *cli) diagnoseCmd() *cobra.Command {
	var asJSON, faq bool
	cmd := &cobra.Command{
		Use:   `diagnose "TEXT" | diagnose -`,
		Short: "match an error against the known problems, with the live verdict",
		Long: `Match an error message (Claude Code, an SDK, curl, an API JSON body, a gateway's
log) against the known problems: what it is, whose side, its error signatures,
common causes, how to fix it and how downforai confirms it live, then what the
live probes show now. Give the text as arguments, or - to read it from stdin.
Flags may come anywhere; put -- before text that itself starts with a dash.
--json prints one JSON object instead (README: "diagnose --json"); --faq
prints the FAQ instead, like the faq command.`,
		Example: `  downforai diagnose "Invalid API key · Please run /login"
  pbpaste | downforai diagnose -
  pbpaste | downforai diagnose --json - | jq .problem`,
		RunE: cl.action(func(r runEnv) int {
			if faq {
				return runFAQ(r)
			}
			return runDiagnose(r, asJSON)
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	cmd.Flags().BoolVar(&faq, "faq", false, "print the FAQ, each answer ending with what the live probes say now")
	cl.loader.AddFlags(cmd.Flags(), config.Probes)
	return cmd
}

func (cl *cli) faqCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "faq",
		Short: "answer the common questions, each ending with what the live probes say now",
		Long: `Answer the questions people ask with an error in hand — why an API key does not
work, whether authentication is down, 401/403, Invalid API key in Claude Code
when curl works, 529, usage-limit resets, proxies and VPNs — each answer ending
with what one round of live probes says right now.`,
		Args: noArgs,
		RunE: cl.action(runFAQ),
	}
	cl.loader.AddFlags(cmd.Flags(), config.Probes)
	return cmd
}

func (cl *cli) reportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "print the redacted Markdown evidence report (what the dashboard's c copies)",
		Args:  noArgs,
		RunE: cl.action(func(r runEnv) int {
			fmt.Fprint(r.stdout, diagnose.Report(gatherEvidence(r)))
			return exitOK
		}),
	}
	cl.loader.AddFlags(cmd.Flags(), config.Probes)
	return cmd
}

func (cl *cli) serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "run the engine headless; viewers attach over SSH (--ssh-addr) or the local socket",
		Long: `Run the engine without a screen: SSH dashboards for viewers (public keys in
--authorized-keys), the attach socket beside the database, Prometheus metrics
(--metrics-addr) and notifications. Logs go to stderr; SIGINT or SIGTERM stops it.`,
		Args: noArgs,
		RunE: cl.action(func(r runEnv) int { return runServe(r.cfg, r.getenv, r.stderr) }),
	}
	cl.loader.AddFlags(cmd.Flags(), config.Probes|config.Incidents|config.Outputs|config.SSH)
	return cmd
}

func runCheck(r runEnv, asJSON bool) int {
	// Record the round when the database is free; a running dashboard or
	// serve holds it, and the check works without. The round is kept in
	// memory and written once it is over and printed: a transaction per
	// result would cost most of the check's time in fsyncs.
	var st *store.Store
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	var round check.Round
	code := writeCheck(r, asJSON, func() check.Report {
		var warnings []string
		var err error
		if st, err = store.Open(r.cfg.DB, store.Options{LockTimeout: 200 * time.Millisecond}); err == nil {
			if st.WasEmpty() {
				fmt.Fprintf(r.stderr, "downforai check: %s was an empty file: initialised it\n", r.cfg.DB)
			}
		} else {
			st = nil
			fmt.Fprintf(r.stderr, "downforai check: not recording this round: %v\n", err)
			if !errors.Is(err, store.ErrLocked) { // a running dashboard holds it: as it should be
				warnings = append(warnings, "this round was not recorded: "+err.Error())
			}
		}
		ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer cancel()
		// The local checks too, so the exit code agrees with the
		// dashboard's verdict (an expired Claude Code login is exit 1).
		cfg, ledger := r.cfg, probe.TokenLedger(nil)
		if st != nil {
			ledger = st
		} else if len(cfg.CanaryModels) > 0 {
			// The day's token use is in the file another downforai holds:
			// asking without it could overrun the budget.
			cfg.CanaryModels = nil
			warnings = append(warnings, "canaries not asked: the database that counts today's tokens is held by another downforai (its dashboard shows them)")
		}
		checks := allChecks(cfg, r.getenv, ledger)
		rep := check.Run(ctx, probe.NewEngine(checks, &round), len(checks), time.Now)
		rep.Warnings = append(warnings, rep.Warnings...)
		return rep
	})
	if st != nil {
		if err := round.Flush(st); err != nil {
			fmt.Fprintf(r.stderr, "downforai check: recording this round: %v\n", err)
		}
	}
	return code
}

// writeCheck runs one check and prints its report. Any internal error —
// a panic anywhere in the round — is exit 3, "could not check", with the
// report saying why, never a crash whose exit code a script would read as
// an outage.
func writeCheck(r runEnv, asJSON bool, round func() check.Report) (code int) {
	write := func(rep check.Report) int {
		w := rep.WriteTable
		if asJSON {
			w = rep.WriteJSON
		}
		if err := w(r.stdout); err != nil {
			fmt.Fprintf(r.stderr, "downforai check: %v\n", err)
			return check.ExitUnknown
		}
		return rep.ExitCode()
	}
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(r.stderr, "downforai check: internal error: %v\n%s", v, debug.Stack())
			write(check.Failed(time.Now(), fmt.Sprintf("internal error: %v", v)))
			code = check.ExitUnknown
		}
	}()
	return write(round())
}

func runFAQ(r runEnv) int {
	if len(r.args) > 0 {
		fmt.Fprintln(r.stderr, "downforai faq: takes no text; use diagnose to match an error")
		return exitUsage
	}
	fmt.Fprint(r.stdout, diagnose.FormatFAQ(gatherEvidence(r)))
	return exitOK
}

func runDiagnose(r runEnv, asJSON bool) int {
	text := strings.Join(r.args, " ")
	if len(r.args) == 1 && r.args[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(r.stdin, 64<<10))
		if err != nil {
			fmt.Fprintf(r.stderr, "downforai diagnose: reading stdin: %v\n", err)
			return exitFail
		}
		text = string(b)
	}
	if strings.TrimSpace(text) == "" {
		fmt.Fprintln(r.stderr, `downforai diagnose: give the error text: downforai diagnose "TEXT", or … | downforai diagnose -`)
		return exitUsage
	}
	d := diagnose.Diagnose(text)
	if asJSON {
		r.stdout.Write(diagnose.JSON(d, gatherEvidence(r)))
		return exitOK
	}
	fmt.Fprint(r.stdout, diagnose.Format(d, gatherEvidence(r)))
	return exitOK
}

// allChecks are the probes and the local checks the settings describe;
// ledger keeps the canaries' daily token use (nil: in memory).
func allChecks(c config.Config, getenv env, ledger probe.TokenLedger) []probe.Check {
	pc := c.Probe(getenv, buildVersion())
	pc.Ledger = ledger
	return append(probe.NewChecks(pc), probe.NewLocalCheck(pc))
}

// gatherEvidence runs one round of probes and local checks, recorded into
// the database with its recent history when the database is free; when a
// dashboard holds it, the round alone, and the evidence says so.
func gatherEvidence(r runEnv) diagnose.Evidence {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	var rec probe.Recorder
	var hist probe.History
	note := ""
	if st, err := store.Open(r.cfg.DB, store.Options{}); err == nil {
		defer st.Close()
		rec, hist = st, st
	} else if errors.Is(err, store.ErrLocked) {
		note = "one fresh round of probes: a running downforai holds the database"
	} else {
		note = "one fresh round of probes: " + probe.Line(err.Error(), 200)
	}
	// No canaries here: diagnosing a pasted error should not spend tokens.
	cfg := r.cfg
	cfg.CanaryModels = nil
	ev := diagnose.Gather(ctx, allChecks(cfg, r.getenv, nil), rec, hist, buildVersion())
	ev.Note = note
	ev.StaleAfter, ev.Recover = r.cfg.StaleAfter(), r.cfg.RecoverThreshold
	if st, ok := hist.(transcript.State); ok && r.cfg.CodeSessions {
		// What Claude Code's sessions met since the last read; with the
		// database in another downforai's hands the transcripts are left
		// to it (a first read could be a large backlog).
		f := sessionsFollower(r.cfg, r.getenv, st, hist)
		f.Poll(ctx, transcript.ToRecorder(rec))
		ev.Sessions = f.Report()
	}
	return ev
}

// sessionsFollower is the transcript follower the settings ask for, its
// offsets in st.
func sessionsFollower(c config.Config, getenv env, st transcript.State, hist probe.History) *transcript.Follower {
	dir, shown := transcript.DefaultDir(getenv, getenv("HOME"))
	o := transcript.Options{Dir: dir, Shown: shown, Keep: time.Duration(c.Retention), State: st, History: hist}
	if o.Keep == 0 {
		o.Keep = 10 * 365 * 24 * time.Hour // retention 0 keeps everything
	}
	return transcript.New(o)
}

// ---- db and history: the database outside the dashboard.

func (cl *cli) dbCmd() *cobra.Command {
	stats := &cobra.Command{
		Use:   "stats",
		Short: "database size, results and rollups per target, free pages",
		Args:  noArgs,
		RunE: cl.action(func(r runEnv) int {
			return withStore(r, "", "", func(st *store.Store, _ *ui.Progress) error {
				return storeDumper{st}.WriteStats(r.stdout)
			}, func(cl *remote.Client) error {
				text, err := cl.DBStats(context.Background())
				if err == nil {
					_, err = io.WriteString(r.stdout, text)
				}
				return err
			})
		}),
	}
	compact := &cobra.Command{
		Use:   "compact",
		Short: "rewrite the database into a smaller file (not while downforai runs)",
		Args:  noArgs,
		RunE: cl.action(func(r runEnv) int {
			p := ui.NewProgress(r.stderr, "compact", "B")
			before, after, err := store.Compact(r.cfg.DB, store.Options{}, p.Report)
			p.Done()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			fmt.Fprintf(r.stdout, "compacted %s: %d → %d bytes\n", r.cfg.DB, before, after)
			return exitOK
		}),
	}
	rebuild := &cobra.Command{
		Use:   "rebuild",
		Short: "recompute hourly and daily rollups from the raw results",
		Args:  noArgs,
		RunE: cl.action(func(r runEnv) int {
			return withStore(r, "rebuild", "results", func(st *store.Store, p *ui.Progress) error {
				if err := st.RebuildRollups(p.Report); err != nil {
					return err
				}
				fmt.Fprintf(r.stdout, "rebuilt the rollups of %s\n", r.cfg.DB)
				return nil
			}, nil)
		}),
	}
	return group("db", "look after the database: stats, compact, rebuild, salvage", stats, compact, rebuild, cl.salvageCmd())
}

// salvageCmd is `db salvage --to NEW.db`: what a damaged database still
// holds, copied into a new file; the damaged one is only read.
func (cl *cli) salvageCmd() *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "salvage --to NEW.db",
		Short: "copy every readable result, rollup and incident of a damaged database into a new file",
		Long: `Read the database (--db) page by page, as it is on disk, and copy every result,
hourly and daily rollup, status snapshot and incident that can still be read
into a new database at --to. What cannot be read is skipped and listed, with
the times it covered. The database itself is opened read-only and never
written; another downforai must not have it open. Then put the new file in
its place.`,
		Example: "  downforai db salvage --to ~/.local/state/downforai/salvaged.db",
		Args:    noArgs,
		RunE: cl.action(func(r runEnv) int {
			p := ui.NewProgress(r.stderr, "salvage", "pages")
			rep, err := store.Salvage(r.cfg.DB, to, store.Options{}, p.Report)
			p.Done()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			rep.WriteTo(r.stdout)
			if rep.Recovered() == 0 {
				fmt.Fprintf(r.stdout, "nothing could be read out of %s; %s is empty. Keep %s: a backup or an export (history import) may hold what it held.\n",
					r.cfg.DB, to, r.cfg.DB)
				return exitFail
			}
			fmt.Fprintf(r.stdout, "to use it: quit every downforai on %s, then\n  mv %s %s.damaged && mv %s %s\n",
				r.cfg.DB, r.cfg.DB, r.cfg.DB, to, r.cfg.DB)
			return exitOK
		}),
	}
	cmd.Flags().StringVar(&to, "to", "", "the new database `file` to write (it must not exist yet)")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func (cl *cli) historyCmd() *cobra.Command {
	var since config.Duration
	var targets, format string
	export := &cobra.Command{
		Use:   "export",
		Short: "write stored results to stdout as jsonl or csv",
		Args:  noArgs,
		RunE: cl.action(func(r runEnv) int {
			o := store.ExportOptions{Format: format}
			if since > 0 {
				o.Since = time.Now().Add(-time.Duration(since))
			}
			if targets != "" {
				for _, name := range strings.Split(targets, ",") {
					t, err := probe.ParseTarget(strings.TrimSpace(name))
					if err != nil {
						fmt.Fprintf(r.stderr, "downforai: --target: %v\n", err)
						return exitUsage
					}
					o.Targets = append(o.Targets, t)
				}
			}
			if format != store.FormatJSONL && format != store.FormatCSV {
				fmt.Fprintf(r.stderr, "downforai: --format %q: want jsonl or csv\n", format)
				return exitUsage
			}
			return withStore(r, "export", "results", func(st *store.Store, p *ui.Progress) error {
				o.Progress = p.Report
				_, err := st.Export(r.stdout, o)
				return err
			}, func(cl *remote.Client) error {
				ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
				defer cancel()
				return cl.Export(ctx, r.stdout, remote.ExportRequest{Format: o.Format, Since: o.Since, Targets: o.Targets})
			})
		}),
	}
	export.Flags().Var(&since, "since", "only results of this last `age` (e.g. 24h, 7d; 0: all)")
	export.Flags().StringVar(&targets, "target", "", "only these `targets`, comma-separated (api, claude_ai, …)")
	export.Flags().StringVar(&format, "format", store.FormatJSONL, "jsonl or csv")
	_ = export.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{store.FormatJSONL, store.FormatCSV}, cobra.ShellCompDirectiveNoFileComp))
	_ = export.RegisterFlagCompletionFunc("target", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var names []string
		for _, t := range probe.Targets() {
			names = append(names, string(t))
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	imp := &cobra.Command{
		Use:   "import FILE|-",
		Short: "add results from a jsonl export (FILE, or - for stdin); idempotent",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("history import takes one FILE (or - for stdin)")
			}
			return nil
		},
		RunE: cl.action(runImport),
	}
	return group("history", "move history in and out: export, import", export, imp)
}

func runImport(r runEnv) int {
	in, size := r.stdin, int64(0)
	if name := r.args[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(r.stderr, "downforai: %v\n", err)
			return exitFail
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		in = f
	}
	bad := 0
	code := withStore(r, "import", "B", func(st *store.Store, p *ui.Progress) error {
		rep, err := st.Import(in, size, p.Report, func(line int, err error) {
			p.Done()
			fmt.Fprintf(r.stderr, "downforai: %s:%d: %v (skipped)\n", r.args[0], line, err)
		})
		if err == nil {
			fmt.Fprintf(r.stdout, "imported %s: %s\n", r.args[0], rep)
			bad = rep.Bad
		}
		return err
	}, nil)
	if code == exitOK && bad > 0 {
		return exitFail
	}
	return code
}

// withStore is the skeleton of the database commands: open the database
// (the lock turned into one clear line), run fn with a progress bar on
// stderr labelled what (none when what is ""), and make any error one
// line and exit 1.
//
// When another downforai holds the database and viaEngine is not nil, the
// command asks that engine through the attach socket instead, for the same
// output.
func withStore(r runEnv, what, unit string, fn func(st *store.Store, p *ui.Progress) error, viaEngine func(*remote.Client) error) int {
	st, err := store.Open(r.cfg.DB, store.Options{})
	if errors.Is(err, store.ErrLocked) && viaEngine != nil {
		if cl, derr := remote.Dial(context.Background(), remote.SocketPath(r.cfg.DB), absPath(r.cfg.DB)); derr == nil {
			err = viaEngine(cl)
		}
		if err != nil {
			fmt.Fprintf(r.stderr, "downforai: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(r.stderr, "downforai: %v\n", err)
		return exitFail
	}
	defer st.Close()
	if st.WasEmpty() {
		fmt.Fprintf(r.stderr, "downforai: %s was an empty file: initialised it\n", r.cfg.DB)
	}
	var bar *ui.Progress
	if what != "" {
		bar = ui.NewProgress(r.stderr, what, unit)
	}
	err = fn(st, bar)
	bar.Done()
	if err != nil {
		fmt.Fprintf(r.stderr, "downforai: %v\n", err)
		return exitFail
	}
	return exitOK
}

// storeDumper offers the store to db stats and history export, here and
// through the attach socket alike.
type storeDumper struct{ st *store.Store }

func (d storeDumper) WriteStats(w io.Writer) error {
	s, err := d.st.Stats()
	if err == nil {
		_, err = s.WriteTo(w)
	}
	return err
}

func (d storeDumper) Export(w io.Writer, r remote.ExportRequest) error {
	_, err := d.st.Export(w, store.ExportOptions{Format: r.Format, Since: r.Since, Targets: r.Targets})
	return err
}

// ---- the engine and its front doors.

// openLog sends logs to a file in the state directory: the terminal belongs
// to the dashboard.
func openLog(c config.Config) (*slog.Logger, func(), string) {
	path := filepath.Join(filepath.Dir(c.DB), "downforai.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, ""
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, path
}

// newDetector builds the incident detector and hands it the incidents an
// earlier run left open, so they close when the probes recover. hist may be
// nil (no database yet): nothing to restore.
func newDetector(c config.Config, hist probe.History, logger *slog.Logger) *judge.Detector {
	d := judge.NewDetector(judge.DetectorConfig{FailThreshold: c.FailThreshold, RecoverThreshold: c.RecoverThreshold})
	if ih, ok := hist.(probe.IncidentHistory); ok {
		open, err := ih.OpenLocalIncidents()
		if err != nil {
			logger.Error("open incidents not restored", "err", err)
		}
		d.Restore(open)
	}
	return d
}

// dashboardClock is every dashboard's clock. main's tests replace it with
// one that panics on a signal, to crash the real dashboard on purpose and
// check what the user and the log are told.
var dashboardClock = time.Now

// dashboardOptions are the ui.Options every front door shares — the local
// dashboard, each ssh session and the attached viewer — so they cannot
// drift apart; each adds its renderer, events and output.
func dashboardOptions(c config.Config, hist probe.History, targets []probe.Target, logger *slog.Logger) ui.Options {
	return ui.Options{
		History:    hist,
		Version:    buildVersion(),
		StaleAfter: c.StaleAfter(),
		// The detector's count of successes, so the banner recovers when
		// the incident closes and not before.
		RecoverThreshold: c.RecoverThreshold,
		Targets:          targets,
		Now:              dashboardClock,
		OnPanic: func(v any, stack []byte) {
			logger.Error("dashboard panicked", "panic", fmt.Sprint(v), "stack", string(stack))
		},
	}
}

// newEngine builds what the owner of the database runs — the probes, the
// local checks and the incident detector — and starts retention on the
// store when there is one. It returns the engine and its targets in order.
func newEngine(c config.Config, getenv env, rec probe.Recorder, hist probe.History, logger *slog.Logger) (*probe.Engine, []probe.Target) {
	ledger, _ := hist.(probe.TokenLedger) // nil without a database: the day's tokens counted in memory
	checks := allChecks(c, getenv, ledger)
	eng := probe.NewEngine(checks, rec, probe.WithObserver(newDetector(c, hist, logger)), probe.WithRecoverAfter(c.RecoverThreshold))
	if st, ok := hist.(*store.Store); ok {
		st.StartRetention(store.Retention{Results: time.Duration(c.Retention)}, func(err error) {
			logger.Error("retention", "err", err)
		})
	}
	targets := make([]probe.Target, 0, len(checks)+1)
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	if c.CodeSessions {
		targets = append(targets, probe.TargetSessions)
	}
	return eng, targets
}

// startSessions follows Claude Code's transcripts into the engine (when
// --code-sessions is on): its own goroutine, so a backlog never delays the
// first frame. The offsets live in the store when there is one.
func startSessions(ctx context.Context, wg *sync.WaitGroup, c config.Config, getenv env, eng *probe.Engine, hist probe.History, logger *slog.Logger) {
	if !c.CodeSessions {
		return
	}
	st, _ := hist.(transcript.State)
	if st == nil {
		hist = nil // offsets in memory: nothing stored to start from
	}
	f := sessionsFollower(c, getenv, st, hist)
	wg.Go(func() {
		f.Run(ctx, transcript.ToEngine(eng, func(err error) { logger.Error("storing Claude Code's calls", "err", err) }))
	})
}

// programExit turns the end of the dashboard into an exit code. After a
// crash — a panic Bubble Tea caught (it restored the terminal and printed
// the panic), or one in the engine (crash says which) — one line on stderr
// names the log that holds the details.
func programExit(err error, crash, logPath string, stderr io.Writer) int {
	if crash != "" || errors.Is(err, tea.ErrProgramPanic) {
		if crash == "" {
			crash = "panic in the dashboard"
		}
		where := "the log"
		if logPath != "" {
			where = logPath
		}
		fmt.Fprintf(stderr, "downforai: crashed (%s); the terminal was restored; details in %s\n", crash, where)
		return exitFail
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	return exitOK
}

// errNoTerminal is the dashboard started where it cannot draw: in a pipe,
// a cron job, ssh without -t.
var errNoTerminal = errors.New(`the dashboard needs a terminal; for one answer run "downforai check", ` +
	`to run headless "downforai serve", over ssh use "ssh -t"`)

// screen is the terminal the dashboard draws on and reads keys from.
type screen struct{ in, out *os.File }

// openScreen finds the terminal: stdout must be one; keys come from stdin,
// or from /dev/tty when stdin is redirected (as Bubble Tea would).
func openScreen(r runEnv) (screen, func(), error) {
	out, _ := r.stdout.(*os.File)
	if !terminal.IsTerminal(out) {
		return screen{}, nil, errNoTerminal
	}
	if in, _ := r.stdin.(*os.File); terminal.IsTerminal(in) {
		return screen{in: in, out: out}, func() {}, nil
	}
	tty, err := os.Open("/dev/tty")
	if err != nil || !terminal.IsTerminal(tty) {
		return screen{}, nil, errNoTerminal
	}
	return screen{in: tty, out: out}, func() { tty.Close() }, nil
}

// program is the dashboard on s, with colours for s's background (asked
// once, briefly) and notifications and OSC 52 written between frames.
func (s screen) program(ctx context.Context, opts ui.Options, getenv env) (*tea.Program, *ui.FileOutput) {
	out := ui.NewFileOutput(s.out)
	opts.Renderer, opts.Clipboard = terminal.Renderer(s.out, s.in, getenv), out
	return tea.NewProgram(ui.New(opts), append(ui.ProgramOptions(),
		tea.WithContext(ctx), tea.WithOutput(out), tea.WithInput(s.in))...), out
}

// runDashboard is downforai without a command: the dashboard, on its own
// engine or attached to the one that holds the database.
func runDashboard(r runEnv) int {
	scr, closeScreen, err := openScreen(r)
	if err != nil {
		fmt.Fprintf(r.stderr, "downforai: %v\n", err)
		return exitUsage
	}
	defer closeScreen()
	return runTUI(r.cfg, r.getenv, scr, r.stderr)
}

func runTUI(c config.Config, getenv env, scr screen, stderr io.Writer) int {
	db, err := store.OpenRecorder(c.DB, time.Duration(c.Retention), stderr)
	if errors.Is(err, store.ErrLocked) {
		// Another engine owns the file: watch it if it answers on its socket.
		if cl, derr := remote.Dial(context.Background(), remote.SocketPath(c.DB), absPath(c.DB)); derr == nil {
			return runAttached(c, getenv, cl, scr, stderr)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	rec, hist, closeDB := db.Rec, db.History, db.Close
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	stop := newStopper(logger)
	defer stop.done()
	// What a forced exit does first: give the terminal back, close the file.
	stop.rescue(ui.SaveTerminal(scr.in, scr.out).Restore)
	stop.rescue(func() { closeDB() })
	defer func() {
		if err := closeDB(); err != nil {
			logger.Error("closing the database", "err", err)
		}
		logger.Info("stopped")
	}()
	logOpened(logger, c, hist)
	ctx := stop.ctx

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	events, unsubscribe := eng.Subscribe(eventBuffer)
	defer unsubscribe()
	opts := dashboardOptions(c, hist, targets, logger)
	opts.Events = events
	p, out := scr.program(ctx, opts, getenv)
	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	notifier.AddTerminal(out)

	var wg sync.WaitGroup
	var crash atomic.Value // string: why the engine died
	if err := startWatch(ctx, &wg, c, c.StaleAfter(), hist, eng.Subscribe, targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			// The probes recover their own panics; this is the engine's. Kill
			// restores the terminal before the process exits.
			if v := recover(); v != nil {
				logger.Error("engine panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				crash.Store(probe.Line(fmt.Sprintf("engine panicked: %v", v), 200))
				p.Kill()
			}
		}()
		if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("engine stopped", "err", err)
		}
	}()
	serveSocket(ctx, &wg, c, hist, db.WhenOpen, eng, targets, logger)
	startSessions(ctx, &wg, c, getenv, eng, hist, logger)
	logger.Info("started", "version", buildVersion(), "db", c.DB, "config", c.Path)
	_, err = p.Run()
	stop.stop(programEnd(err))
	wg.Wait()
	why, _ := crash.Load().(string)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		logger.Info("dashboard ended", "err", err)
	}
	return programExit(err, why, logPath, stderr)
}

// programEnd says why a dashboard program returned, for the log.
func programEnd(err error) string {
	switch {
	case err == nil:
		return "quit"
	case errors.Is(err, tea.ErrProgramKilled):
		return "stopped"
	}
	return probe.Line(err.Error(), 200)
}

// logOpened notes in the log that the database was an empty file, which
// Open made a new database.
func logOpened(logger *slog.Logger, c config.Config, hist probe.History) {
	if st, ok := hist.(*store.Store); ok && st.WasEmpty() {
		logger.Info("the database was an empty file: initialised it", "db", c.DB)
	}
}

// runServe wires store, engine and the front doors of `downforai serve`,
// then stops them in reverse order on SIGINT, SIGTERM or SIGHUP, within
// shutdownGrace.
func runServe(c config.Config, getenv env, stderr io.Writer) int {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := store.OpenRecorder(c.DB, time.Duration(c.Retention), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	rec, hist, closeDB := db.Rec, db.History, db.Close
	stop := newStopper(logger)
	defer stop.done()
	stop.rescue(func() { closeDB() })
	defer func() {
		if err := closeDB(); err != nil {
			logger.Error("closing the database", "err", err)
		}
		logger.Info("stopped")
	}()
	logOpened(logger, c, hist)
	ctx := stop.ctx

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	uiOpts := dashboardOptions(c, hist, targets, logger)

	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	var wg sync.WaitGroup
	var closers []func()
	defer func() {
		stop.stop("serve ended")
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		wg.Wait()
	}()

	if c.SSHAddr != "" {
		srv, err := sshserve.New(sshserve.Options{
			Addr:           c.SSHAddr,
			HostKeyPath:    filepath.Join(filepath.Dir(c.DB), "ssh_host_ed25519_key"),
			AuthorizedKeys: c.AuthorizedKeys,
			MaxSessions:    c.MaxSessions,
			IdleTimeout:    sshIdle(c.SSHIdleTimeout),
			Subscribe:      eng.Subscribe,
			UI:             uiOpts,
			Terminal:       notifier.AddTerminal,
			Logger:         logger,
		})
		if err != nil {
			fmt.Fprintf(stderr, "downforai serve: %v\n", err)
			return exitFail
		}
		ln, err := srv.Listen()
		if err != nil {
			fmt.Fprintf(stderr, "downforai serve: %v\n", err)
			return exitFail
		}
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil {
				logger.Error("ssh server stopped", "err", err)
			}
		})
		closers = append(closers, func() {
			// Each viewer's dashboard ends and says goodbye; a viewer that
			// does not hang up then is cut off.
			sctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			srv.Shutdown(sctx)
		})
		logger.Info("ssh listening", "addr", ln.Addr().String(), "authorized_keys", c.AuthorizedKeys, "max_sessions", c.MaxSessions,
			"idle_timeout", time.Duration(c.SSHIdleTimeout).String())
	}

	if err := startWatch(ctx, &wg, c, c.StaleAfter(), hist, eng.Subscribe, targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	serveSocket(ctx, &wg, c, hist, db.WhenOpen, eng, targets, logger)
	startSessions(ctx, &wg, c, getenv, eng, hist, logger)
	logger.Info("serving", "version", buildVersion(), "db", c.DB, "config", c.Path, "targets", len(targets),
		"webhook", c.Webhook != "")
	if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("engine stopped", "err", err)
		return exitFail
	}
	return exitOK
}

// sshIdle turns the --ssh-idle-timeout setting (0: never) into
// sshserve's (negative: never).
func sshIdle(d config.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return time.Duration(d)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// serveSocket lets a second downforai on this machine watch eng over the
// socket beside the database until ctx ends. Running on memory, the
// socket comes when the database opens (whenOpen), since the file is then
// ours and a viewer would otherwise only get the lock message. Without a
// socket the engine runs on: viewers then get the lock message instead.
func serveSocket(ctx context.Context, wg *sync.WaitGroup, c config.Config, hist probe.History, whenOpen func(func(*store.Store)), eng *probe.Engine, targets []probe.Target, logger *slog.Logger) {
	if hist == nil {
		logger.Warn("no attach socket yet: the database is not open; it comes when the database opens")
		whenOpen(func(st *store.Store) {
			if ctx.Err() == nil {
				serveSocket(ctx, wg, c, st, nil, eng, targets, logger)
			}
		})
		return
	}
	path := remote.SocketPath(c.DB)
	ln, err := remote.Listen(path)
	if err != nil {
		logger.Warn("no attach socket", "err", err)
		return
	}
	srv := &remote.Server{
		Hello: remote.Hello{Protocol: remote.ProtocolVersion, Version: buildVersion(), DB: absPath(c.DB), PID: os.Getpid(),
			Targets: targets, StaleAfter: c.StaleAfter(), RecoverThreshold: c.RecoverThreshold},
		History:   hist,
		Subscribe: eng.Subscribe,
		Logger:    logger,
	}
	if st, ok := hist.(*store.Store); ok {
		srv.Dumper = storeDumper{st}
	}
	wg.Go(func() {
		if err := srv.Serve(ctx, ln); err != nil {
			logger.Error("attach socket stopped", "err", err)
		}
	})
	logger.Info("attach socket listening", "path", path)
}

// runAttached is the dashboard as a viewer of another process's engine.
func runAttached(c config.Config, getenv env, cl *remote.Client, scr screen, stderr io.Writer) int {
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	stop := newStopper(logger)
	defer stop.done()
	stop.rescue(ui.SaveTerminal(scr.in, scr.out).Restore)
	ctx := stop.ctx
	events, err := cl.Events(ctx, eventBuffer)
	if err != nil {
		fmt.Fprintf(stderr, "downforai: attach to the running engine: %v\n", err)
		return exitFail
	}
	h := cl.Hello()
	// The engine's idea of stale, not this viewer's flags.
	stale := c.StaleAfter()
	if h.StaleAfter > 0 {
		stale = h.StaleAfter
	}
	if h.RecoverThreshold > 0 {
		// The engine's count too, so this viewer's banner, metrics and
		// notifications recover when the engine's incident closes.
		c.RecoverThreshold = h.RecoverThreshold
	}
	opts := dashboardOptions(c, cl, h.Targets, logger)
	opts.Events, opts.StaleAfter = events, stale
	// Said once, in the banner, at any width.
	opts.Viewer = fmt.Sprintf("viewer of pid %d", h.PID)
	p, out := scr.program(ctx, opts, getenv)
	// Bell, OSC and desktop notifications for this viewer; the webhook is
	// the engine owner's to send.
	notifier := startNotifier(c, getenv, logger, false)
	defer notifier.Close()
	notifier.AddTerminal(out)
	var wg sync.WaitGroup
	defer wg.Wait()
	subscribe := func(buf int) (<-chan probe.Event, func()) {
		ch, err := cl.Events(ctx, buf)
		if err != nil {
			closed := make(chan probe.Event)
			close(closed)
			return closed, func() {}
		}
		return ch, func() {}
	}
	if err := startWatch(ctx, &wg, c, stale, cl, subscribe, h.Targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	defer stop.stop("viewer ended")
	_, err = p.Run()
	stop.stop(programEnd(err))
	return programExit(err, "", logPath, stderr)
}

// startWatch follows the engine on a subscription of its own for the
// metrics endpoint (when --metrics-addr is set) and the observers given,
// until ctx ends. It fails only when the metrics address cannot be bound.
func startWatch(ctx context.Context, wg *sync.WaitGroup, c config.Config, stale time.Duration, h probe.History, subscribe func(int) (<-chan probe.Event, func()), targets []probe.Target, logger *slog.Logger, obs ...watch.Observer) error {
	if c.MetricsAddr != "" {
		ln, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		m := metrics.New(buildVersion())
		if ih, ok := h.(probe.IncidentHistory); ok {
			if open, err := ih.OpenLocalIncidents(); err == nil {
				m.TrackLocalIncidents(open)
			}
		}
		obs = append(obs, m)
		wg.Go(func() {
			if err := metrics.Serve(ctx, ln, m.Handler()); err != nil {
				logger.Error("metrics server stopped", "err", err)
			}
		})
		logger.Info("metrics listening", "addr", ln.Addr().String())
	}
	if len(obs) == 0 {
		return nil
	}
	tr := watch.NewTracker(stale)
	tr.Recover = c.RecoverThreshold
	if err := tr.Prime(h, targets); err != nil {
		logger.Warn("watch: no history to start from", "err", err)
	}
	events, unsubscribe := subscribe(eventBuffer)
	wg.Go(func() {
		defer unsubscribe()
		watch.Run(ctx, events, tr, 15*time.Second, time.Now, obs...)
	})
	return nil
}

// startNotifier builds the notifications the settings ask for; the webhook
// only where the engine runs (a viewer would send it twice).
func startNotifier(c config.Config, getenv env, logger *slog.Logger, withWebhook bool) *notify.Notifier {
	host, _ := os.Hostname()
	nc := notify.Config{
		Options: notify.Options{
			Debounce: time.Duration(c.NotifyDebounce), Remind: time.Duration(c.NotifyRemind), QuietMaintenance: c.NotifyQuietMaintenance,
			Host: host, Logger: logger, Bell: c.NotifyBell, OSC: c.NotifyOSC,
		},
		Desktop: c.NotifyDesktop && notify.HasDesktop(getenv),
	}
	if withWebhook {
		nc.Webhook = c.Webhook
	}
	return notify.Start(nc)
}

// ---- stopping: every way out ends within shutdownGrace.

// shutdownGrace is how long a shutdown may take once it has begun; past it
// (or at a second SIGINT or SIGTERM) the process exits anyway. README
// promises 3 s; the rest is for the forced exit itself.
const shutdownGrace = 2500 * time.Millisecond

// stopper turns SIGINT, SIGTERM and SIGHUP into the end of one context, and
// makes sure that end comes: once stop is called (by the first signal, or
// by the caller when its program ended by itself), a second SIGINT or
// SIGTERM, or shutdownGrace running out, runs the rescue functions (each
// bounded) and exits 1. done ends the watch when the shutdown finished.
type stopper struct {
	ctx    context.Context
	cancel context.CancelFunc
	logger *slog.Logger
	grace  time.Duration
	exit   func(code int) // os.Exit; tests watch it

	mu      sync.Mutex
	rescues []func()

	begin, end         chan struct{}
	beginOnce, endOnce sync.Once
}

func newStopper(logger *slog.Logger) *stopper {
	return startStopper(logger, shutdownGrace, os.Exit)
}

func startStopper(logger *slog.Logger, grace time.Duration, exit func(int)) *stopper {
	s := &stopper{logger: logger, grace: grace, exit: exit, begin: make(chan struct{}), end: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		defer signal.Stop(sigs)
		begin := s.begin
		var grace <-chan time.Time
		for {
			select {
			case sig := <-sigs:
				if s.ctx.Err() == nil {
					s.stop("signal " + sig.String())
					continue
				}
				if sig != syscall.SIGHUP { // a closing terminal may send more than one
					s.exitNow("second signal (" + sig.String() + ") during shutdown")
					return
				}
			case <-begin:
				begin, grace = nil, time.After(s.grace)
			case <-grace:
				s.exitNow(fmt.Sprintf("shutdown took longer than %s", s.grace))
				return
			case <-s.end:
				return
			}
		}
	}()
	return s
}

// rescue adds fn to what runs before a forced exit.
func (s *stopper) rescue(fn func()) {
	s.mu.Lock()
	s.rescues = append(s.rescues, fn)
	s.mu.Unlock()
}

// stop begins the shutdown: the context ends and the grace period starts.
func (s *stopper) stop(why string) {
	s.beginOnce.Do(func() {
		s.logger.Info("stopping", "reason", why)
		s.cancel()
		close(s.begin)
	})
}

// done ends the watch: the shutdown is complete.
func (s *stopper) done() {
	s.stop("done")
	s.endOnce.Do(func() { close(s.end) })
}

// exitNow runs the rescues, each for at most 300 ms, and exits 1.
func (s *stopper) exitNow(why string) {
	s.logger.Error("exiting at once", "reason", why)
	s.mu.Lock()
	rescues := slices.Clone(s.rescues)
	s.mu.Unlock()
	for _, fn := range rescues {
		ran := make(chan struct{})
		go func() { defer close(ran); fn() }()
		select {
		case <-ran:
		case <-time.After(300 * time.Millisecond):
		}
	}
	s.exit(exitFail)
}
