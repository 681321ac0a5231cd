package diagnose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// Format is `downforai diagnose`'s output: the matching entry (or "no
// known signature") with what the text said and what matched, the entry's
// error signatures, common causes, how to fix it and how downforai
// confirms it live, then what the live probes and local checks say now —
// and, when they disagree with the paste, that first.
func Format(d Diagnosis, e Evidence) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	live := LiveFor(d.Entry, e.Input())
	if !d.Known() {
		w("No known signature: this text matches nothing in downforai's catalogue.\n")
	} else {
		// Whose words the error was follows where Claude Code's
		// requests went; the live lines keep the entry's own.
		en := d.At(e.Local).Entry
		w("%s · %s — %s\n", en.Title, en.ID, en.SidePhrase())
		w("  %s\n", en.What)
	}
	if s := d.LeftOutWords(); s != "" {
		w("  note: %s\n", s)
	}
	if read := d.Read(probe.Quote); read != "" {
		w("  read: %s\n", read)
	}
	if d.Known() {
		// “…” rather than a JSON literal: a matched JSON body reads as the
		// user pasted it, without a backslash before every quote.
		w("  matched: “%s” (%s confidence)\n", probe.Sanitize(d.Matched, false), d.Confidence)
		writeEntry(&b, *d.At(e.Local).Entry)
	}
	w("\nRight now:\n")
	if s := Disagreement(d, live); s != "" {
		w("  ! %s\n", s)
	}
	for _, s := range live.Lines {
		w("  - %s\n", s)
	}
	for _, s := range LimitSays(d, e.Local, e.Sessions, e.Recent, e.Now, 0, e.Now.Location()) {
		w("  - %s\n", s)
	}
	for _, s := range SessionsSay(e.Sessions, e.Recent, e.Status, e.Local, e.Now, 0, e.Now.Location()) {
		w("  - %s\n", s)
	}
	if r := e.Sessions; r != nil {
		if u := UnreadWords(r.Progress, e.Now); u != "" {
			w("  - Claude Code's %s (out of time)\n", u)
		}
	}
	if e.Note != "" {
		w("  (%s)\n", e.Note)
	}
	return probe.Redact(b.String())
}

// writeEntry writes an entry's help-page sections.
func writeEntry(b *strings.Builder, en catalogue.Entry) {
	w := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	w("\nError signatures:\n")
	for _, s := range en.Signatures {
		w("  - %s\n", s)
	}
	w("\nCommon causes:\n")
	for _, c := range en.Causes {
		w("  - %s\n", c)
	}
	w("\nHow to fix it:\n")
	for i, s := range en.Fix {
		w("  %d. %s\n", i+1, s)
	}
	w("\nHow downforai confirms it live:\n  %s\n", en.Confirm)
}

// FormatEntry is one catalogue entry as a help page: what it is, whose
// side, then its sections.
func FormatEntry(en catalogue.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s — %s (%s)\n  %s\n", en.Title, en.ID, en.SidePhrase(), en.Group, en.What)
	writeEntry(&b, en)
	return b.String()
}

// Disagreement is the sentence that says the live state contradicts the
// pasted error ("Your pasted 401 likely came from another credential: the one
// downforai probes with works."), "" when it does not.
func Disagreement(d Diagnosis, l Live) string {
	if !d.Known() || !l.Contradicted {
		return ""
	}
	what := "error"
	if d.Status != 0 {
		what = fmt.Sprint(d.Status)
	}
	gw := l.gateway
	switch e := d.Entry; {
	case e.Group == catalogue.GroupCredential && gw != "":
		return "Your pasted " + what + " likely came from another credential: the one downforai probes with works through " + gw + "."
	case e.Group == catalogue.GroupCredential:
		return "Your pasted " + what + " likely came from another credential: the one downforai probes with works."
	case e.ID == catalogue.EntryForbidden && gw != "":
		return "Your pasted " + what + " is not what this machine gets now: the key downforai probes with is let in through " + gw + ", so the 403 likely came with another credential, or over another path (proxy, VPN, another base URL)."
	case e.ID == catalogue.EntryForbidden:
		return "Your pasted " + what + " is not what this machine gets now: the key downforai probes with is let in, so the 403 likely came with another credential, or over another path (proxy, VPN, ANTHROPIC_BASE_URL)."
	case e.App:
		return "Your pasted " + what + " is not what this machine gets now: " + uncapital(l.answered) + ", so the page was likely for your account, session or one conversation alone, or brief."
	case e.Side == catalogue.SideAnthropic && l.AskedNoModel && gw != "":
		return "Your pasted " + what + " is likely over, or on the model your program uses: our API probes, to " + gw + ", answer normally now, but they ask no model, and Anthropic's own API is not probed directly."
	case e.Side == catalogue.SideAnthropic && l.AskedNoModel:
		return "Your pasted " + what + " is likely over, or on the model your program uses: our API probes answer normally now, but they ask no model."
	case e.Side == catalogue.SideAnthropic && gw != "":
		return "Your pasted " + what + " is not what " + gw + " answers from here now: it answers normally (Anthropic's own API is not probed directly)."
	case e.Side == catalogue.SideAnthropic:
		return "Your pasted " + what + " is not what Anthropic answers from here now: the API answers normally."
	default:
		// Who answered, each named: a gateway, a URL set for claude.ai or
		// the status page, or Anthropic.
		return "Your pasted " + what + " is not what this machine gets now: " + uncapital(l.answered) + ", so the failing program likely takes another path (proxy, VPN, container network), or the failure was brief."
	}
}

// JSONSchema is the version of `diagnose --json`'s shape, its first
// field. It goes up when a field is renamed, removed or changes meaning;
// new fields do not change it. README documents every field.
const JSONSchema = 1

// The JSON shape of one diagnosis. Field names are a contract with
// scripts: never rename one.
type (
	jsonDiagnosis struct {
		Schema     int      `json:"schema"`
		Problem    *string  `json:"problem"`
		Title      string   `json:"title"`
		Side       *string  `json:"side"`
		Group      string   `json:"group,omitempty"`
		Matched    *string  `json:"matched"`
		Confidence *string  `json:"confidence"`
		Read       jsonRead `json:"read"`
		Text       string   `json:"text"`
		// LeftOut is how many bytes of the paste's start were not read.
		LeftOut int        `json:"left_out_bytes,omitempty"`
		Live    jsonLive   `json:"live"`
		Limit   *jsonLimit `json:"limit,omitempty"`
	}
	// jsonLimit is a usage limit's reading: which allowance, when it
	// comes back (UTC) and from where.
	jsonLimit struct {
		Kind        LimitKind  `json:"kind"`
		Model       string     `json:"model,omitempty"`
		ResetsAt    *time.Time `json:"resets_at,omitempty"`
		ResetsIn    string     `json:"resets_in,omitempty"`
		DateOnly    bool       `json:"date_only,omitempty"`
		ResetSource string     `json:"reset_source,omitempty"`
		ResetSaid   string     `json:"reset_said,omitempty"`
		// ResetEarlier: resets_at is the latest past occurrence of the
		// clock time said, as a 5-hour window cannot reset further ahead.
		ResetEarlier bool `json:"reset_earlier,omitempty"`
		// OldNotice: the reset passed over a month ago (Limit.Old).
		OldNotice bool `json:"old_notice,omitempty"`
		// ResetIfFiveHour: for a notice naming no window, when a 5-hour
		// window would have reset; resets_at is the next occurrence.
		ResetIfFiveHour *time.Time `json:"reset_if_five_hour,omitempty"`
		Says            []string   `json:"says"`
	}
	jsonRead struct {
		HTTPStatus int    `json:"http_status,omitempty"`
		ErrorType  string `json:"error_type,omitempty"`
		Message    string `json:"message,omitempty"`
		RequestID  string `json:"request_id,omitempty"`
	}
	jsonLive struct {
		CheckedAt    time.Time `json:"checked_at"`
		Verdict      string    `json:"verdict"`
		VerdictText  string    `json:"verdict_text"`
		Headline     string    `json:"headline"`
		Stale        bool      `json:"stale"`
		Confirms     bool      `json:"confirms"`
		Contradicts  bool      `json:"contradicts"`
		Disagreement string    `json:"disagreement,omitempty"`
		Says         []string  `json:"says"`
		Note         string    `json:"note,omitempty"`
	}
)

// JSON is one diagnosis as one line of JSON (with its newline), for
// `downforai diagnose --json`: the entry (null fields when unknown), what
// was read, and the live verdict. <, > and & stay as they are.
func JSON(d Diagnosis, e Evidence) []byte {
	live := LiveFor(d.Entry, e.Input())
	j := jsonDiagnosis{Schema: JSONSchema, Title: "No known signature", Text: probe.Line(d.Text, 0), LeftOut: d.LeftOut,
		Read: jsonRead{HTTPStatus: d.Status, ErrorType: probe.Line(d.ErrorType, 0), Message: probe.Line(d.Message, 0), RequestID: probe.Line(d.RequestID, 0)},
		Live: jsonLive{CheckedAt: e.Now.UTC(), Verdict: live.Verdict.Kind.Key(), VerdictText: live.Verdict.Title(),
			Headline: live.Verdict.Headline, Stale: live.Verdict.Stale, Confirms: live.Confirmed, Contradicts: live.Contradicted,
			Disagreement: Disagreement(d, live), Says: live.Lines, Note: e.Note}}
	if lim, ok := ReadLimit(d, e.Local, e.Sessions, e.Now, e.Now.Location()); ok {
		says := LimitSays(d, e.Local, e.Sessions, e.Recent, e.Now, 0, e.Now.Location())
		jl := &jsonLimit{Kind: lim.Kind, Model: lim.Model, DateOnly: lim.DateOnly, ResetSource: lim.Source, ResetSaid: lim.Said, ResetEarlier: lim.Earlier, OldNotice: lim.Old(e.Now), Says: says}
		if !lim.IfSession.IsZero() {
			t := lim.IfSession.UTC()
			jl.ResetIfFiveHour = &t
		}
		if !lim.Reset.IsZero() {
			t := lim.Reset.UTC()
			jl.ResetsAt = &t
		} else if lim.In > 0 {
			jl.ResetsIn = lim.In.String()
		}
		j.Limit = jl
		j.Live.Says = append(j.Live.Says, says...)
	}
	if d.Known() {
		id, side, conf := string(d.Entry.ID), string(d.Entry.Side), string(d.Confidence)
		j.Problem, j.Side, j.Matched, j.Confidence = &id, &side, &d.Matched, &conf
		j.Title, j.Group = d.Entry.Title, string(d.Entry.Group)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(j) // plain strings and numbers: it cannot fail
	return []byte(probe.Redact(buf.String()))
}
