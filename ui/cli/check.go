package cli

import (
	"bufio"
	"context"
	"downforai/probe"
	"downforai/probe/check"
	"downforai/probe/config"
	"downforai/probe/diagnose"
	"downforai/probe/judge"
	"downforai/probe/remote"
	"downforai/probe/transcript"
	"downforai/store"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

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
		Annotations: map[string]string{usageExitAnnotation: fmt.Sprint(check.ExitUnknown), jsonErrorAnnotation: "true"},
		RunE:        cl.action(func(r Env) int { return runCheck(r, asJSON) }),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cl.loader.AddFlags(cmd.Flags(), config.Probes)
	return cmd
}

// checkOpen is how check opens the database (a test waits in it).
var checkOpen = openToRecord

func runCheck(r Env, asJSON bool) int {
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
		notRecorded := func(err error) {
			fmt.Fprintf(r.Stderr, "downforai check: not recording this round: %v\n", err)
			if errors.Is(err, store.ErrLocked) {
				// A running dashboard or serve holds it, as it should: it
				// records its own rounds. Said in the report too, so a
				// script reading --json knows this round is not in the file.
				warnings = append(warnings, "this round was not recorded: another downforai holds the database and records its own rounds")
			} else {
				warnings = append(warnings, "this round was not recorded: "+err.Error())
			}
		}
		// The file is opened beside the probes, which need nothing from it
		// (the round is kept in memory and written at the end), and its
		// pages are checked while they run (JudgeInBackground): on a 30-day
		// history that check was most of what the file cost a check before
		// its first probe. Canaries count today's tokens in the file, so
		// with canaries asked it is opened first.
		type opened struct {
			st              *store.Store
			unwritable, err error
		}
		open := make(chan opened, 1)
		go func() {
			defer func() {
				// A panic here is the round's, as writeCheck reports it
				// for the rest: the check goes on without the file.
				if v := recover(); v != nil {
					open <- opened{err: fmt.Errorf("internal error opening the database: %v", v)}
				}
			}()
			st, unwritable, err := checkOpen(r, "downforai check", store.Options{LockTimeout: 200 * time.Millisecond, JudgeInBackground: true})
			if err == nil {
				st.StartJudging()
			}
			open <- opened{st, unwritable, err}
		}()
		var wasOpened bool
		waitOpen := func() {
			if wasOpened {
				return
			}
			wasOpened = true
			o := <-open
			switch st = o.st; {
			case o.err != nil:
				st = nil
				notRecorded(o.err)
			case o.unwritable != nil:
				// Read, not written (D11): its recorded rounds still count.
				notRecorded(o.unwritable)
			}
		}
		ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer cancel()
		// The local checks too, so the exit code agrees with the
		// dashboard's verdict (an expired Claude Code login is exit 1).
		cfg, ledger := r.Config, probe.TokenLedger(nil)
		if len(cfg.CanaryModels) > 0 {
			waitOpen()
		}
		switch {
		case len(cfg.CanaryModels) == 0:
			// No canary: nothing to count, and the file may still be opening.
		case st != nil && !st.ReadOnly():
			ledger = st
		case len(cfg.CanaryModels) > 0 && st != nil:
			// Today's tokens could be read but not counted on.
			cfg.CanaryModels = nil
			warnings = append(warnings, "canaries not asked: the database that counts today's tokens cannot be written")
		case len(cfg.CanaryModels) > 0:
			// The day's token use is in the file another downforai holds:
			// asking without it could overrun the budget.
			cfg.CanaryModels = nil
			warnings = append(warnings, "canaries not asked: the database that counts today's tokens is held by another downforai (its dashboard shows them)")
		}
		checks := AllChecks(cfg, r.Getenv, r.Version, ledger)
		var unread string // what the read of the sessions left
		rep := check.RunBeside(ctx, probe.NewEngine(checks, &round), len(checks), time.Now, func() check.Past {
			waitOpen()
			// The recorded rounds are read from a file found sound, as
			// every other command reads it; a damaged one is not read on.
			if st != nil {
				if err := st.Judged(); err != nil {
					st.Close()
					st = nil
					notRecorded(err)
				}
			}
			if st != nil && r.Config.CodeSessions {
				// What Claude Code's sessions met since the last read, as
				// diagnose and the dashboard read it: without it a first
				// check beside sessions getting 529 said "All clear".
				// With the file in another downforai's hands, its
				// recorded sessions are asked on its socket instead.
				//
				// Within the probes' time limit, newest first: a backlog
				// of gigabytes (about 2 s each) is not waited for, and
				// what is left is said (the next check reads on).
				f := SessionsFollower(r.Config, r.Getenv, st, st)
				pctx, cancel := context.WithTimeout(ctx, time.Duration(cfg.Timeout))
				f.Poll(pctx, transcript.ToRecorder(st))
				cancel()
				if u := diagnose.UnreadWords(f.Report().Progress, time.Now()); u != "" {
					unread = u + " (not within --timeout " + time.Duration(cfg.Timeout).String() + ")"
				}
			}
			return recordedRounds(r, st, checks)
		})
		if unread != "" {
			warnings = append(warnings, "Claude Code's "+unread)
		}
		rep.Warnings = append(warnings, rep.Warnings...)
		return rep
	})
	if st != nil && !st.ReadOnly() {
		if err := round.Flush(st); err != nil {
			fmt.Fprintf(r.Stderr, "downforai check: recording this round: %v\n", err)
		}
	}
	return code
}

// writeCheck runs one check and prints its report. Any internal error —
// a panic anywhere in the round — is exit 3, "could not check", with the
// report saying why, never a crash whose exit code a script would read as
// an outage.
func writeCheck(r Env, asJSON bool, round func() check.Report) (code int) {
	write := func(rep check.Report) int {
		w := rep.WriteTable
		if asJSON {
			w = rep.WriteJSON
		}
		// The report reaches stdout in one write: the table's writer
		// writes cell by cell, 70 system calls for a five-row table.
		out := bufio.NewWriter(r.Stdout)
		err := w(out)
		if ferr := out.Flush(); err == nil {
			err = ferr
		}
		if err != nil {
			fmt.Fprintf(r.Stderr, "downforai check: %v\n", err)
			return check.ExitUnknown
		}
		return rep.ExitCode()
	}
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(r.Stderr, "downforai check: internal error: %v\n%s", v, debug.Stack())
			write(check.Failed(time.Now(), fmt.Sprintf("internal error: %v", v)))
			code = check.ExitUnknown
		}
	}()
	return write(round())
}

// AllChecks are the probes and the local checks the settings describe;
// version goes into the probes' User-Agent; ledger keeps the canaries'
// daily token use (nil: in memory).
func AllChecks(c config.Config, getenv config.Env, version string, ledger probe.TokenLedger) []probe.Check {
	pc := c.Probe(getenv, version)
	pc.Ledger = ledger
	return append(probe.NewChecks(pc), probe.NewLocalCheck(pc))
}

// recordedRounds is what the check judges beside its round, so it says
// what the dashboard and diagnose say on the same database: the rounds
// recorded in st (nil when it could not be opened), else those of the
// running downforai that holds the file, asked on its socket — with its
// stale limit and --recover-threshold, as its banner judges. When neither
// can be read the verdict is the round's alone, and the report says why.
func recordedRounds(r Env, st *store.Store, checks []probe.Check) check.Past {
	c := r.Config
	past := check.Past{StaleAfter: c.StaleAfter(), Recover: c.RecoverThreshold}
	targets := []probe.Target{probe.TargetSessions}
	for _, ch := range checks {
		if ch.Target != "" && ch.Target != probe.TargetLocal {
			targets = append(targets, ch.Target)
		}
	}
	var hist probe.History
	switch {
	case st != nil:
		hist, past.From = st, "the database"
	default:
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		cl, err := remote.Dial(ctx, remote.SocketPath(c.DB), remote.DBName(c.DB))
		if err != nil {
			past.Alone = "the database could not be read, and no running downforai answered on its socket"
			return past
		}
		hist = cl
		h := cl.Hello()
		past.From = fmt.Sprintf("the running downforai (pid %d)", h.PID)
		if h.StaleAfter > 0 {
			past.StaleAfter = h.StaleAfter
		}
		if h.RecoverThreshold > 0 {
			past.Recover = h.RecoverThreshold
		}
		targets = probe.WithEngineTargets(cl, targets)
	}
	rec, err := judge.ReadRecorded(hist, targets, time.Now(), judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval)))
	if err != nil {
		past.Alone = "reading the recorded rounds: " + probe.Line(err.Error(), 160)
		return past
	}
	past.Recorded = rec
	return past
}
