// Package check is `downforai check`: one round of every probe, judged into
// a verdict and printed as a table or JSON for scripts, cron and CI, with an
// exit code that says who has the problem.
package check

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// Exit codes of `downforai check`; documented in the README and relied on
// by scripts: never renumber.
const (
	ExitOperational = 0 // every service operational
	ExitDegraded    = 1 // degraded, maintenance, conflicting, or a problem on your side
	ExitOutage      = 2 // Anthropic outage, acknowledged or not yet
	ExitUnknown     = 3 // could not check: interrupted, bad settings, or nothing judgeable
)

// Report is the outcome of one round.
type Report struct {
	CheckedAt time.Time
	Verdict   probe.Verdict
	Status    *probe.Status  // the status page as read in this round, nil if unreadable
	Results   []probe.Result // one per check that ran, in check order
	// Interrupted is set when the round was cut short (ctx ended) before
	// every check had run.
	Interrupted bool
	// Warnings are what went wrong around the round without touching its
	// answer (the round could not be recorded, say).
	Warnings []string
	// Error is why the check could not be done at all (an internal error);
	// the exit code is then ExitUnknown whatever else the report holds.
	Error string
	// Basis says what the verdict weighs: this round and the recorded
	// rounds, or this round alone and why.
	Basis string
	// Earlier are the failures the weighed rounds hold of a service the
	// verdict calls operational, recovered since (Earlier).
	Earlier []string
}

// Failed is the report of a check that could not be done: why says what
// went wrong.
func Failed(now time.Time, why string) Report {
	return Report{CheckedAt: now, Error: why, Verdict: probe.Verdict{Kind: probe.VerdictUnknown, Headline: "could not check: " + why}}
}

// Past is what the round is judged beside: the recorded rounds (from the
// database, or from the running downforai that holds it) and the settings
// the banner judges with. A zero Past judges the round alone; Alone then
// says why, and the report says so.
type Past struct {
	Recorded judge.Recorded
	// From names where the recorded rounds came from ("the database"), for
	// the report's sentence.
	From string
	// Alone is why no recorded round could be read ("the database is
	// damaged: …"); "" when Recorded was read (even if it held nothing).
	Alone      string
	StaleAfter time.Duration // the stale limit, as the dashboard's
	Recover    int           // --recover-threshold
}

// Run runs every check of eng once (probe.Engine.RunOnce: each with its own
// timeout, recorded when the engine has a Recorder) and judges the round
// after the recorded rounds of past, as the dashboard judges: a single
// success after failures is "recovering", not "all clear", and a target
// that keeps flipping is "Unstable". Without recorded rounds the verdict is
// this round's alone, and Basis says so.
func Run(ctx context.Context, eng *probe.Engine, checks int, now func() time.Time, past Past) Report {
	return RunBeside(ctx, eng, checks, now, func() Past { return past })
}

// RunBeside is Run with the recorded rounds read once the round's probes
// have answered, by past (in the caller's goroutine): whatever it waits
// for — the check of the database file — runs beside the probes.
func RunBeside(ctx context.Context, eng *probe.Engine, checks int, now func() time.Time, readPast func() Past) Report {
	evs := eng.RunOnce(ctx)
	interrupted := len(evs) < checks || ctx.Err() != nil
	first := len(evs)
	past := readPast()
	evs = Confirm(ctx, eng, evs, past.Recorded.Recent, past.Recover)
	r := Report{CheckedAt: now(), Interrupted: interrupted || ctx.Err() != nil}
	recent := make(map[probe.Target][]probe.Result, len(evs))
	for t, rs := range past.Recorded.Recent {
		recent[t] = slices.Clone(rs)
	}
	var local *probe.LocalReport
	for _, ev := range evs {
		if ev.Local != nil {
			local = ev.Local
		}
		if ev.StoreErr != "" && !slices.Contains(r.Warnings, "not recorded: "+ev.StoreErr) {
			r.Warnings = append(r.Warnings, "not recorded: "+ev.StoreErr)
		}
		r.Results = append(r.Results, ev.Result)
		if t := ev.Result.Target; t != "" && t != probe.TargetLocal {
			recent[t] = append(recent[t], ev.Result)
		}
		if ev.Status != nil {
			st := *ev.Status
			r.Status = &st
		}
	}
	for _, rs := range recent {
		slices.SortStableFunc(rs, func(a, b probe.Result) int { return a.Time.Compare(b.Time) })
	}
	status := r.Status
	if status == nil || past.Recorded.Status != nil && past.Recorded.Status.Fetched.After(status.Fetched) {
		status = past.Recorded.Status // the last good read, judged with its age
	}
	r.Verdict = judge.Judge(judge.Input{Status: status, Recent: recent, Local: local, Now: r.CheckedAt,
		StaleAfter: past.StaleAfter, Recover: past.Recover})
	var again []probe.Target
	for _, ev := range evs[first:] {
		if t := ev.Result.Target; !slices.Contains(again, t) {
			again = append(again, t)
		}
	}
	r.Basis = past.Basis(again)
	r.Earlier = Earlier(r.Verdict, recent, r.CheckedAt.Location())
	return r
}

// Basis is what a verdict judged beside p weighs, as check's "judged on"
// line says it: "this round and 11 recorded rounds of the database, as
// the dashboard judges", or "this round alone: the database holds no
// recent round", then the targets asked again to confirm a change
// (Confirm), in the order given. diagnose and report say the same of the
// same round.
func (p Past) Basis(again []probe.Target) string {
	s := basis(p)
	var labels []string
	for _, t := range again {
		if l := t.Label(); !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	if len(labels) > 0 {
		s += "; asked again " + probe.Span{Units: 1, Compact: true, Least: time.Second, Under: "<1s"}.Format(ConfirmPause(p.Recorded.Recent, again)) + " later to confirm a change: " + strings.Join(labels, ", ")
	}
	return s
}

// MaxConfirmPause is the longest Confirm waits before asking again.
var MaxConfirmPause = 10 * time.Second

// ConfirmPause is how long Confirm waits before asking ts again: the
// recorded rounds' own spacing (the dashboard's interval), at most
// MaxConfirmPause, so the answers it weighs are as far apart as the
// dashboard's rounds. Two probes milliseconds apart said "All clear" of
// an API that failed every other second, beside a dashboard that said it
// failed (cold walk of Dec 7): successes in a row are rounds, not a burst.
// With nothing recorded, half of MaxConfirmPause.
func ConfirmPause(recorded map[probe.Target][]probe.Result, ts []probe.Target) time.Duration {
	var pause time.Duration
	for _, t := range ts {
		var times []time.Time
		for _, r := range recorded[t] {
			if r.Class != probe.ClassUnknown {
				times = append(times, r.Time)
			}
		}
		if n := len(times); n >= 2 {
			if d := times[n-1].Sub(times[n-2]); d > 0 && (pause == 0 || d < pause) {
				pause = d
			}
		}
	}
	if pause == 0 {
		pause = MaxConfirmPause / 2
	}
	return min(max(pause, time.Second/10), MaxConfirmPause)
}

// Confirm asks again, after ConfirmPause, each HTTP target whose answer this round
// turned from the last recorded one (failing after success, or answering
// after failures), or that fails with nothing recorded before it (a first
// check: one failed probe is no persistence, and the judge says it as
// "likely" until a second in a row): the verdict moves when two probes in a row agree and
// recovers after --recover-threshold successes, so one check confirms a
// change as the dashboard's next rounds would, instead of saying "all
// clear" beside a fresh 529 or "recovering" beside an API that answers.
// A refusal with a Retry-After is not asked again: the judge counts it at
// once, as the dashboard does while its next probe waits the Retry-After
// out. The canaries are never asked again (they cost tokens).
//
// recorded is what was recorded before this round (oldest first), recover
// --recover-threshold (0: the default). diagnose and report confirm their
// round the same way, so the three say the same of one state.
func Confirm(ctx context.Context, eng *probe.Engine, evs []probe.Event, recorded map[probe.Target][]probe.Result, recover int) []probe.Event {
	if recover < 1 {
		recover = judge.DefaultRecoverThreshold
	}
	need := map[probe.Target]int{}
	for _, ev := range evs {
		t, c := ev.Result.Target, ev.Result.Class
		if t != probe.TargetAPI && t != probe.TargetAPIKey && t != probe.TargetClaudeAI || c == probe.ClassUnknown {
			continue
		}
		last, ok := lastJudged(recorded[t])
		switch {
		case ok && last.Class.Up() == c.Up():
		case !ok && c.Up():
			// Nothing recorded: an answer is no change to confirm.
		case c.Up():
			need[t] = min(recover-1, 3) // a recovery needs recover successes in a row
		case ev.Result.RateLimit.RetryAfter > 0:
			// Refused with a Retry-After: the verdict counts it at once,
			// and asking again before it ends would defy the server.
		default:
			need[t] = 1 // a new failure needs two in a row
		}
	}
	for len(need) > 0 && ctx.Err() == nil {
		var ts []probe.Target
		for t := range need {
			ts = append(ts, t)
		}
		select {
		case <-ctx.Done():
			return evs
		case <-time.After(ConfirmPause(recorded, ts)):
		}
		again := eng.RunOnceOf(ctx, func(t probe.Target) bool { return need[t] > 0 })
		evs = append(evs, again...)
		for _, ev := range again {
			t := ev.Result.Target
			if need[t]--; need[t] <= 0 || !ev.Result.Class.Up() {
				delete(need, t) // done, or a recovery that failed again
			}
		}
		if len(again) == 0 {
			break
		}
	}
	return evs
}

// lastJudged is the newest result of rs that says something.
func lastJudged(rs []probe.Result) (probe.Result, bool) {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Class != probe.ClassUnknown {
			return rs[i], true
		}
	}
	return probe.Result{}, false
}

// basis says what the verdict weighs: "this round and 11 recorded rounds
// (the database)", or "this round alone: …".
func basis(p Past) string {
	switch {
	case p.Alone != "":
		return "this round alone: " + p.Alone
	case p.Recorded.Rounds == 0 && p.From == "":
		return "this round alone"
	case p.Recorded.Rounds == 0:
		return "this round alone: " + p.From + " holds no recent round"
	}
	return fmt.Sprintf("this round and %d recorded round%s of %s, as the dashboard judges", p.Recorded.Rounds, probe.Plural(p.Recorded.Rounds), p.From)
}

// ExitCode maps the verdict to the documented exit codes.
func (r Report) ExitCode() int {
	if r.Error != "" || r.Interrupted || len(r.Results) == 0 {
		return ExitUnknown
	}
	switch r.Verdict.Kind {
	case probe.VerdictOperational:
		return ExitOperational
	case probe.VerdictOutage, probe.VerdictUnacknowledged, probe.VerdictFailing:
		return ExitOutage
	case probe.VerdictUnknown:
		return ExitUnknown
	}
	return ExitDegraded
}

// result returns the round's newest result for t (a target asked again
// to confirm a change has two).
func (r Report) result(t probe.Target) (probe.Result, bool) {
	for i := len(r.Results) - 1; i >= 0; i-- {
		if r.Results[i].Target == t {
			return r.Results[i], true
		}
	}
	return probe.Result{}, false
}

// WriteTable prints one row per service (a second row for the API probe
// with your key), then the verdict with its facts.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tOFFICIAL STATUS\tOUR PROBE\tLATENCY\tVERDICT")
	for _, sv := range r.Verdict.Services {
		official := officialCell(r.Verdict, sv)
		first := true
		for _, t := range sv.Service.Targets {
			res, ok := r.result(t)
			if !ok {
				continue
			}
			if first {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sv.Service.Name, official, probeText(res), latency(res), verdictText(sv))
				first = false
				continue
			}
			fmt.Fprintf(tw, "  %s\t\t%s\t%s\t\n", strings.ToLower(t.Label()), probeText(res), latency(res))
		}
		if first {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sv.Service.Name, official, "not checked", "-", verdictText(sv))
		}
	}
	if res, ok := r.result(probe.TargetStatus); ok {
		page := pageCell(r.Verdict.Official, r.Status)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", probe.TargetStatus.Label(), page, probeText(res), latency(res))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	r.writeCanaries(w) // canary.go
	// The headline names the verdict itself ("Anthropic outage: …"): say
	// it once, with the machine key for scripts that grep.
	fmt.Fprintf(w, "\nVerdict (%s): %s\n", r.Verdict.Kind.Key(), r.Verdict.Headline)
	for _, f := range r.Verdict.Facts {
		fmt.Fprintf(w, "  · %s\n", f)
	}
	for _, e := range r.Earlier {
		fmt.Fprintf(w, "  · %s\n", probe.Line(e, 0))
	}
	if r.Basis != "" {
		fmt.Fprintf(w, "  · judged on %s\n", probe.Line(r.Basis, 0))
	}
	if r.Interrupted {
		fmt.Fprintln(w, "  · the check was interrupted before every probe ran")
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "  · warning: %s\n", probe.Line(warn, 0))
	}
	_, err := fmt.Fprintf(w, "exit %d\n", r.ExitCode())
	return err
}

// verdictText is the service's verdict; one no probe of ours judged is
// said as Anthropic's report ("Operational (Anthropic's report)"), never
// as ours, and Claude Code failing through the API as the API's.
func verdictText(sv probe.ServiceVerdict) string { return sv.Words() }

// officialCell is a service's official status as far as the page counts:
// "partial outage", "not on the page", or why the page is not read.
func officialCell(v probe.Verdict, sv probe.ServiceVerdict) string {
	switch {
	case !v.Official.Drives:
		return pageWord(v.Official.State)
	case sv.NotOnPage:
		return "not on the page"
	case v.Official.State == probe.OfficialUnreadable && !v.Official.Read.IsZero():
		// The newest read failed; what counts is the last good one, and
		// the cell says so rather than pass it off as this round's.
		return sv.Official.String() + " (read " + v.Official.Read.Local().Format("15:04:05") + ")"
	}
	return sv.Official.String()
}

func pageWord(s probe.OfficialState) string {
	switch s {
	case probe.OfficialUnreadable:
		return "page unreadable"
	case probe.OfficialStale:
		return "page stale"
	case probe.OfficialForeign:
		return "not Claude's page"
	}
	return "page not read"
}

// pageCell is the status page's row: its description when read, else why
// not.
func pageCell(o probe.Official, st *probe.Status) string {
	switch {
	case o.State == probe.OfficialFresh && st != nil && st.Description != "":
		return probe.Line(st.Description, 60)
	case o.State == probe.OfficialFresh:
		return "read (no overall status)"
	case o.State == probe.OfficialForeign && strings.HasPrefix(o.Why, "not Claude's"):
		// The reason already says it: not "not Claude's page (not Claude's status page (GitHub))".
		return probe.Line(o.Why, 60)
	case o.Why != "":
		return pageWord(o.State) + " (" + probe.Line(o.Why, 40) + ")"
	}
	return pageWord(o.State)
}

// probeText is "ok (HTTP 200)", "network: timeout", "unknown: not installed".
func probeText(res probe.Result) string {
	s := res.Class.String()
	switch {
	case res.HTTPStatus != 0 && res.ErrorType == probe.NetProxy:
		// The proxy answered, not the host: say whose status it is.
		s += fmt.Sprintf(": proxy %d", res.HTTPStatus)
	case res.HTTPStatus != 0:
		s += fmt.Sprintf(" (HTTP %d)", res.HTTPStatus)
	case res.ErrorType != "":
		s += ": " + probe.Line(res.ErrorType, 24)
	case res.Detail != "":
		s += ": " + probe.Line(res.Detail, 32)
	}
	return s
}

func latency(res probe.Result) string {
	d := res.Latency()
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// JSONSchema is the version of check --json's shape, its first field. It
// goes up when a field is renamed, removed or changes meaning; new fields
// do not change it. README documents every field.
const JSONSchema = 1

// The JSON shape of a report. Field names are a contract with scripts.
type (
	jsonReport struct {
		Schema      int           `json:"schema"`
		CheckedAt   time.Time     `json:"checked_at"`
		Verdict     string        `json:"verdict"`
		VerdictText string        `json:"verdict_text"`
		Headline    string        `json:"headline"`
		Facts       []string      `json:"facts"`
		Earlier     []string      `json:"earlier,omitempty"`
		ExitCode    int           `json:"exit_code"`
		Interrupted bool          `json:"interrupted,omitempty"`
		Error       string        `json:"error,omitempty"`
		Warnings    []string      `json:"warnings,omitempty"`
		JudgedOn    string        `json:"judged_on,omitempty"`
		Services    []jsonService `json:"services"`
		StatusPage  *jsonPage     `json:"status_page,omitempty"`
		Canaries    *jsonCanaries `json:"canaries,omitempty"`
		Official    jsonOfficial  `json:"official"`
	}
	// jsonOfficial is the status page as a fact: "fresh", "unreadable",
	// "stale", "foreign" or "none", since when it cannot be read and
	// when it was last read.
	jsonOfficial struct {
		State    string     `json:"state"`
		Since    *time.Time `json:"since,omitempty"`
		LastGood *time.Time `json:"last_good,omitempty"`
		Why      string     `json:"why,omitempty"`
	}
	jsonService struct {
		Service     string `json:"service"`
		Name        string `json:"name"`
		Official    string `json:"official"`
		Verdict     string `json:"verdict"`
		VerdictText string `json:"verdict_text"`
		// PageOnly: no probe of ours judged it; the verdict is Anthropic's report.
		PageOnly bool `json:"page_only,omitempty"`
		// ThroughAPI: Claude Code's verdict is the Claude API's, which its calls go to.
		ThroughAPI bool `json:"through_api,omitempty"`
		// Local: what a verdict only a local check judged rests on (no page counts).
		Local  string      `json:"local_basis,omitempty"`
		Probes []jsonProbe `json:"probes"`
	}
	jsonPage struct {
		Indicator   string    `json:"indicator,omitempty"`
		Description string    `json:"description,omitempty"`
		Probe       jsonProbe `json:"probe"`
	}
	jsonProbe struct {
		Target     string  `json:"target"`
		Class      string  `json:"class"`
		HTTPStatus int     `json:"http_status,omitempty"`
		LatencyMS  float64 `json:"latency_ms"`
		ErrorType  string  `json:"error_type,omitempty"`
		Message    string  `json:"message,omitempty"`
		RequestID  string  `json:"request_id,omitempty"`
		Detail     string  `json:"detail,omitempty"`
	}
)

func toJSONProbe(res probe.Result) jsonProbe {
	return jsonProbe{
		Target:     string(res.Target),
		Class:      res.Class.String(),
		HTTPStatus: res.HTTPStatus,
		LatencyMS:  float64(res.Latency().Microseconds()) / 1000,
		// Already sanitised by the probers; Line again so nothing from the
		// network can reach a script's terminal unfiltered.
		ErrorType: probe.Line(res.ErrorType, 0),
		Message:   probe.Line(res.Message, 0),
		RequestID: probe.Line(res.RequestID, 0),
		Detail:    probe.Line(res.Detail, 0),
	}
}

// WriteJSON prints the report as one JSON object.
func (r Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		Schema:      JSONSchema,
		CheckedAt:   r.CheckedAt.UTC(),
		Verdict:     r.Verdict.Kind.Key(),
		VerdictText: r.Verdict.Title(),
		Headline:    r.Verdict.Headline,
		Facts:       append([]string{}, r.Verdict.Facts...),
		Earlier:     r.Earlier,
		ExitCode:    r.ExitCode(),
		Interrupted: r.Interrupted,
		Error:       probe.Line(r.Error, 0),
		JudgedOn:    probe.Line(r.Basis, 0),
		Services:    []jsonService{},
		Official:    jsonOfficial{State: string(r.Verdict.Official.State), Why: probe.Line(r.Verdict.Official.Why, 0)},
	}
	if t := r.Verdict.Official.Since; !t.IsZero() {
		t = t.UTC()
		out.Official.Since = &t
	}
	if t := r.Verdict.Official.Read; !t.IsZero() {
		t = t.UTC()
		out.Official.LastGood = &t
	}
	for _, warn := range r.Warnings {
		out.Warnings = append(out.Warnings, probe.Line(warn, 0))
	}
	for _, sv := range r.Verdict.Services {
		js := jsonService{
			Service: sv.Service.Key, Name: sv.Service.Name, Official: probe.Line(string(sv.Official), 40),
			Verdict: sv.Kind.Key(), VerdictText: verdictText(sv), PageOnly: sv.PageOnly, ThroughAPI: sv.ThroughAPI, Local: sv.Local, Probes: []jsonProbe{},
		}
		for _, t := range sv.Service.Targets {
			if res, ok := r.result(t); ok {
				js.Probes = append(js.Probes, toJSONProbe(res))
			}
		}
		out.Services = append(out.Services, js)
	}
	if res, ok := r.result(probe.TargetStatus); ok {
		p := &jsonPage{Probe: toJSONProbe(res)}
		if r.Status != nil {
			p.Indicator = probe.Line(r.Status.Indicator, 20)
			p.Description = probe.Line(r.Status.Description, 0)
		}
		out.StatusPage = p
	}
	out.Canaries = r.jsonCanaries() // canary.go
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "Plans & Billing" as the API wrote it, not \u0026
	return enc.Encode(out)
}
