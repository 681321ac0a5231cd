package cli

import (
	"context"
	"downforai/probe"
	"downforai/probe/check"
	"downforai/probe/config"
	"downforai/probe/diagnose"
	"downforai/probe/judge"
	"downforai/probe/transcript"
	"downforai/store"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

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
		RunE: cl.action(func(r Env) int {
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
		RunE: cl.action(func(r Env) int {
			fmt.Fprint(r.Stdout, diagnose.Report(gatherEvidence(r)))
			return ExitOK
		}),
	}
	cl.loader.AddFlags(cmd.Flags(), config.Probes)
	return cmd
}

func runFAQ(r Env) int {
	if len(r.Args) > 0 {
		fmt.Fprintln(r.Stderr, "downforai faq: takes no text; use diagnose to match an error")
		return ExitUsage
	}
	fmt.Fprint(r.Stdout, diagnose.FormatFAQ(gatherEvidence(r)))
	return ExitOK
}

func runDiagnose(r Env, asJSON bool) int {
	text := strings.Join(r.Args, " ")
	dropped := 0
	if len(r.Args) == 1 && r.Args[0] == "-" {
		b, n, err := readTail(r.Stdin, 2*diagnose.MaxInput)
		if err != nil {
			fmt.Fprintf(r.Stderr, "downforai diagnose: reading stdin: %v\n", err)
			return ExitFail
		}
		text, dropped = string(b), n
	}
	if strings.TrimSpace(text) == "" {
		fmt.Fprintln(r.Stderr, `downforai diagnose: give the error text: downforai diagnose "TEXT", or … | downforai diagnose -`)
		return ExitUsage
	}
	d := diagnose.Diagnose(text)
	d.LeftOut += dropped
	if asJSON {
		r.Stdout.Write(diagnose.JSON(d, gatherEvidence(r)))
		return ExitOK
	}
	fmt.Fprint(r.Stdout, diagnose.Format(d, gatherEvidence(r)))
	return ExitOK
}

// gatherEvidence runs one round of probes and local checks, recorded into
// the database with its recent history when the database is free; when a
// dashboard or serve holds it, beside that one's history, asked on its
// socket (the round alone when it does not answer); the evidence says
// which.
func gatherEvidence(r Env) diagnose.Evidence {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	var rec probe.Recorder
	var hist probe.History
	note := ""
	from := ""                      // where the recorded rounds are read from, for the basis
	sessions := probe.Recorder(nil) // where Claude Code's sessions' calls go
	cfg := r.Config
	horizon := judge.Horizon(time.Duration(cfg.Interval), time.Duration(cfg.StatusInterval))
	staleAfter, recoverAt := cfg.StaleAfter(), cfg.RecoverThreshold
	if st, unwritable, err := openToRecord(r, "downforai", store.Options{LockTimeout: 200 * time.Millisecond}); err == nil {
		defer st.Close()
		rec, hist, sessions = st, st, st
		from = "the database"
		if unwritable != nil {
			// Read, not written (D11): the history is the file's.
			rec = nil
			note = "this round is not recorded: " + probe.Line(unwritable.Error(), 0)
		}
	} else if errors.Is(err, store.ErrLocked) {
		// Its history is the running downforai's (D25): asked on its
		// socket, judged with its settings, as check judges.
		if src, derr := askRunning(cfg, time.Now()); derr == nil {
			hist, note = src.cl, src.note
			h := src.cl.Hello()
			from = fmt.Sprintf("the running downforai (pid %d)", h.PID)
			if h.Horizon > 0 {
				horizon = h.Horizon
			}
			if h.StaleAfter > 0 {
				staleAfter = h.StaleAfter
			}
			if h.RecoverThreshold > 0 {
				recoverAt = h.RecoverThreshold
			}
		} else {
			note = "one fresh round of probes alone: a running downforai holds the database (so it cannot be read, even read-only) and did not answer on its socket (" + probe.Line(derr.Error(), 160) + ")"
		}
	} else {
		// Whole: it may end in a command to copy (db salvage), and the
		// error is ours, bounded by the path in it.
		note = "one fresh round of probes: " + probe.Line(err.Error(), 0)
	}
	// No canaries here: diagnosing a pasted error should not spend tokens.
	cfg.CanaryModels = nil
	var read sync.WaitGroup
	var report *probe.SessionsReport
	if st, ok := hist.(transcript.State); ok && r.Config.CodeSessions {
		// What Claude Code's sessions met since the last read; with the
		// database in another downforai's hands the transcripts are left
		// to it (a first read could be a large backlog). Beside the
		// probes and within their time limit, newest first: a backlog of
		// gigabytes is not waited for, and what is left is said.
		f := SessionsFollower(r.Config, r.Getenv, st, hist)
		read.Add(1)
		go func() {
			defer read.Done()
			pctx, cancel := context.WithTimeout(ctx, time.Duration(cfg.Timeout))
			defer cancel()
			f.Poll(pctx, transcript.ToRecorder(sessions)) // read-only: their writes fail and are dropped
			report = f.Report()
		}()
	}
	checks := AllChecks(cfg, r.Getenv, r.Version, nil)
	start := time.Now()
	ev := diagnose.Gather(ctx, checks, rec, hist, horizon, r.Version)
	if from != "" {
		// What the verdict weighs, as check says it (one verdict per
		// moment): on a fresh database the round alone, and so hedged.
		note = joinNote(note, "judged on "+judgedOn(ev, checks, from, start))
	}
	ev.Note = note
	ev.StaleAfter, ev.Recover = staleAfter, recoverAt
	read.Wait()
	ev.Sessions = report
	return ev
}

// judgedOn is check's "judged on" sentence for the evidence Gather
// returned (check.Past.Basis): the recorded rounds those Gather read of
// the history (judge.Recorded.Rounds, as check counts them), the targets
// asked again those with more than one result since start, in check order.
func judgedOn(ev diagnose.Evidence, checks []probe.Check, from string, start time.Time) string {
	past := check.Past{From: from}
	if ev.RecordedErr != "" {
		// As check says it: the round alone, and why.
		past.Alone = "reading the recorded rounds: " + probe.Line(ev.RecordedErr, 160)
	}
	// As check counts them: our probes' rounds, not the page's reads.
	past.Recorded.Rounds = ev.Rounds
	var again []probe.Target
	for _, c := range checks {
		n := 0
		for _, r := range ev.Recent[c.Target] {
			if !r.Time.Before(start) {
				n++
			}
		}
		if n > 1 && !slices.Contains(again, c.Target) {
			again = append(again, c.Target)
		}
	}
	return past.Basis(again)
}

// joinNote adds s to the evidence's note.
func joinNote(note, s string) string {
	if note == "" {
		return s
	}
	return note + "; " + s
}

// SessionsFollower is the transcript follower the settings ask for, its
// offsets in st. A store opened read-only is known to be: the follower
// starts from the offsets it holds and keeps this run's in memory, never
// asking it to write (each read would fail, and say so, for nothing).
func SessionsFollower(c config.Config, getenv config.Env, st transcript.State, hist probe.History) *transcript.Follower {
	if ro, ok := st.(interface{ ReadOnly() bool }); ok && ro.ReadOnly() {
		st = readOnlyState{st}
	}
	dir, shown := transcript.DefaultDir(getenv, getenv("HOME"))
	o := transcript.Options{Dir: dir, Shown: shown, Keep: time.Duration(c.Retention), State: st, History: hist}
	if o.Keep == 0 {
		o.Keep = 10 * 365 * 24 * time.Hour // retention 0 keeps everything
	}
	return transcript.New(o)
}

// readTail reads r to its end and keeps its last keep bytes (a terminal's
// scroll-back piped in ends with the error), with how many bytes before
// them it dropped. Memory stays within a few times keep.
func readTail(r io.Reader, keep int) ([]byte, int, error) {
	var buf []byte
	dropped := 0
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if len(buf) > 2*keep {
			cut := len(buf) - keep
			dropped += cut
			buf = append(buf[:0], buf[cut:]...)
		}
		if err == io.EOF {
			return buf, dropped, nil
		}
		if err != nil {
			return nil, 0, err
		}
	}
}

// readOnlyState reads the offsets of a store opened read-only and writes
// none: this run's stay in the follower's memory.
type readOnlyState struct{ transcript.State }

func (readOnlyState) PutTranscriptState(map[string]probe.TranscriptFile, []string, []probe.TranscriptUsage, time.Time) error {
	return nil
}
