package cli

import (
	"context"
	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/remote"
	"downforai/store"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// ---- db and history: the database outside the dashboard.

func (cl *cli) dbCmd() *cobra.Command {
	stats := &cobra.Command{
		Use:   "stats",
		Short: "database size, results and rollups per target, free pages",
		Args:  noArgs,
		RunE: cl.action(func(r Env) int {
			return dbJob{reads: true}.withStore(r, func(st *store.Store, _ *Progress) error {
				return StoreDumper{Store: st}.WriteStats(r.Stdout)
			}, func(cl *remote.Client) error {
				text, err := cl.DBStats(context.Background())
				if err == nil {
					_, err = io.WriteString(r.Stdout, text)
				}
				return err
			})
		}),
	}
	compact := &cobra.Command{
		Use:   "compact",
		Short: "rewrite the database into a smaller file (not while downforai runs)",
		Args:  noArgs,
		RunE: cl.action(func(r Env) int {
			return dbJob{what: "compact", unit: "B"}.run(r, func(p *Progress) error {
				before, after, err := store.Compact(r.Config.DB, store.Options{}, p.Report)
				if err == nil {
					fmt.Fprintf(r.Stdout, "compacted %s: %d → %d bytes\n", r.Config.DB, before, after)
				}
				return err
			})
		}),
	}
	rebuild := &cobra.Command{
		Use:   "rebuild",
		Short: "recompute hourly and daily rollups from the raw results",
		Args:  noArgs,
		RunE: cl.action(func(r Env) int {
			return dbJob{what: "rebuild", unit: "results"}.withStore(r, func(st *store.Store, p *Progress) error {
				if err := st.RebuildRollups(p.Report); err != nil {
					return err
				}
				fmt.Fprintf(r.Stdout, "rebuilt the rollups of %s\n", r.Config.DB)
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
		RunE: cl.action(func(r Env) int {
			var rep store.SalvageReport
			code := dbJob{what: "salvage", unit: "pages"}.run(r, func(p *Progress) (err error) {
				rep, err = store.Salvage(r.Config.DB, to, store.Options{}, p.Report)
				return err
			})
			if code != ExitOK {
				return code
			}
			rep.WriteTo(r.Stdout)
			if rep.Recovered() == 0 {
				fmt.Fprintf(r.Stdout, "nothing could be read out of %s; %s is empty. Keep %s: a backup or an export (history import) may hold what it held.\n",
					r.Config.DB, to, r.Config.DB)
				return ExitFail
			}
			fmt.Fprintf(r.Stdout, "to use it: quit every downforai on %s, then\n  mv %s %s.damaged && mv %s %s\n",
				r.Config.DB, r.Config.DB, r.Config.DB, to, r.Config.DB)
			return ExitOK
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
		RunE: cl.action(func(r Env) int {
			o := store.ExportOptions{Format: format}
			if since < 0 {
				fmt.Fprintf(r.Stderr, "downforai: --since %s: must not be negative (an age, e.g. 24h)\n", time.Duration(since))
				return ExitUsage
			}
			if since > 0 {
				o.Since = time.Now().Add(-time.Duration(since))
			}
			if targets != "" {
				for _, name := range strings.Split(targets, ",") {
					t, err := probe.ParseTarget(strings.TrimSpace(name))
					if err != nil {
						fmt.Fprintf(r.Stderr, "downforai: --target: %v\n", err)
						return ExitUsage
					}
					o.Targets = append(o.Targets, t)
				}
			}
			if format != store.FormatJSONL && format != store.FormatCSV {
				fmt.Fprintf(r.Stderr, "downforai: --format %s: want jsonl or csv\n", probe.Quote(format))
				return ExitUsage
			}
			return dbJob{what: "export", unit: "results", reads: true}.withStore(r, func(st *store.Store, p *Progress) error {
				o.Progress = p.Report
				_, err := st.Export(r.Stdout, o)
				return err
			}, func(cl *remote.Client) error {
				ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
				defer cancel()
				return cl.Export(ctx, r.Stdout, remote.ExportRequest{Format: o.Format, Since: o.Since, Targets: o.Targets})
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
		Short: "add results from a history export, jsonl or csv (FILE, or - for stdin); idempotent",
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

func runImport(r Env) int {
	in, size := r.Stdin, int64(0)
	if name := r.Args[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fail(r, err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		in = f
	}
	name := r.Args[0]
	if name == "-" {
		name = "stdin"
	}
	bad := 0
	code := dbJob{what: "import", unit: "B", creates: true}.withStore(r, func(st *store.Store, p *Progress) error {
		rep, err := st.Import(in, size, p.Report, func(line int, err error) {
			p.Done()
			fmt.Fprintf(r.Stderr, "downforai: %s line %d: %v (skipped)\n", name, line, err)
		})
		if err == nil {
			fmt.Fprintf(r.Stdout, "imported %s: %s\n", name, rep)
			bad = rep.Bad
		}
		return err
	}, nil)
	if code == ExitOK && bad > 0 {
		return ExitFail
	}
	return code
}

// dbJob is the skeleton every db and history command runs in (issue 16):
// a --db that names no file refused (unless the job creates one), the
// work run with a progress bar on stderr, and any error one line and
// exit 1.
type dbJob struct {
	what, unit string // the progress bar's label and unit; what "" draws none
	creates    bool   // history import: a missing --db becomes a new database
	// reads: the job only reads (db stats, history export). It opens the
	// file read-only (store.OpenToRead), so it works on a file it may not
	// write (D11) and writes nothing to one it may; and while another
	// downforai holds the file it asks that engine on its socket.
	reads bool
}

// run runs work within the skeleton.
func (j dbJob) run(r Env, work func(p *Progress) error) int {
	if !j.creates {
		if err := mustExist(r.Config.DB); err != nil {
			return fail(r, err)
		}
	}
	var bar *Progress
	if j.what != "" {
		bar = NewProgress(r.Stderr, j.what, j.unit)
	}
	err := work(bar)
	bar.Done()
	return fail(r, err)
}

// withStore runs fn on the open database within the skeleton (the lock
// turned into one clear line). When another downforai holds the database
// and the job reads, viaEngine asks that engine through the attach socket
// instead, for the same output.
func (j dbJob) withStore(r Env, fn func(st *store.Store, p *Progress) error, viaEngine func(*remote.Client) error) int {
	open := store.Open
	if j.reads {
		open = store.OpenToRead
	}
	return j.run(r, func(p *Progress) error {
		st, err := openWith(r, "downforai", open, store.Options{})
		if errors.Is(err, store.ErrLocked) && j.reads && viaEngine != nil {
			cl, derr := remote.Dial(context.Background(), remote.SocketPath(r.Config.DB), remote.DBName(r.Config.DB))
			switch {
			case derr == nil:
				return viaEngine(cl)
			case errors.Is(derr, remote.ErrProtocol):
				return derr // the engine is there, of another version: say that, not "locked"
			}
		}
		if err != nil {
			return err
		}
		defer st.Close()
		return fn(st, p)
	})
}

// fail makes err one line on stderr and exit 1; nil is exit 0.
func fail(r Env, err error) int {
	if err != nil {
		fmt.Fprintf(r.Stderr, "downforai: %v\n", err)
		return ExitFail
	}
	return ExitOK
}

// mustExist refuses a --db that names no file: db stats and history
// export on a mistyped path reported an empty history (which reads as
// data lost) and left a new empty database behind (cold5 D32).
func mustExist(path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no database at %s (check --db; the dashboard, check or history import creates it)", path)
	}
	return nil
}

// openStore opens the database for a one-shot command (cmd, as its
// messages begin) and says on stderr when the file was empty and is now a
// database. Every command that opens the store comes here, so each treats
// the file alike: a damaged one is refused (store.ErrDamaged, its message
// in words, pointing at db salvage) and never written.
func openStore(r Env, cmd string, o store.Options) (*store.Store, error) {
	return openWith(r, cmd, store.Open, o)
}

// openToRecord is openStore for a command that records when it can and
// reads all the same when it cannot (check, report): a file it may not
// write is opened read-only, and unwritable says why (store.OpenForReading).
func openToRecord(r Env, cmd string, o store.Options) (st *store.Store, unwritable, err error) {
	st, err = openWith(r, cmd, func(path string, o store.Options) (*store.Store, error) {
		s, why, err := store.OpenForReading(path, o)
		unwritable = why
		return s, err
	}, o)
	return st, unwritable, err
}

func openWith(r Env, cmd string, open func(string, store.Options) (*store.Store, error), o store.Options) (*store.Store, error) {
	st, err := open(r.Config.DB, o)
	if err != nil {
		return nil, err
	}
	if st.WasEmpty() {
		fmt.Fprintf(r.Stderr, "%s: %s was an empty file: initialised it\n", cmd, r.Config.DB)
	}
	return st, nil
}

// StoreDumper offers the store to db stats and history export, here and
// through the attach socket alike.
type StoreDumper struct{ Store *store.Store }

// WriteStats writes what db stats prints.
func (d StoreDumper) WriteStats(w io.Writer) error {
	s, err := d.Store.Stats()
	if err == nil && d.Store.ReadOnly() {
		// bbolt reads no free list read-only: its count would say 0.
		s.FreePages, s.PendingPages = 0, 0
		if s.FreePages, err = d.Store.FreePagesOnDisk(); err != nil {
			err = fmt.Errorf("counting the free pages of %s: %w", d.Store.Path(), err)
		}
	}
	if err == nil {
		_, err = s.WriteTo(w)
	}
	return err
}

// Export writes what history export prints.
func (d StoreDumper) Export(w io.Writer, r remote.ExportRequest) error {
	_, err := d.Store.Export(w, store.ExportOptions{Format: r.Format, Since: r.Since, Targets: r.Targets})
	return err
}
