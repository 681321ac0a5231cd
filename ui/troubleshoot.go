package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
)

// troubleshootTab explains the verdict: its facts, each service's own
// verdict, the latest failures with their evidence, and what to try.
type troubleshootTab struct {
	b        *board
	st       *styles
	w, h     int
	failures []probe.Result // newest first, recomputed on data
}

// maxFailures bounds the failures listed; the screen holds no more.
const maxFailures = 8

func newTroubleshootTab(b *board, st *styles) troubleshootTab {
	return troubleshootTab{b: b, st: st}
}

func (t *troubleshootTab) setSize(w, h int) { t.w, t.h = w, h }

// capturing reports whether the tab is taking text input, so the root
// sends it every key.
func (t troubleshootTab) capturing() bool { return false }

func (t troubleshootTab) update(msg tea.Msg) (troubleshootTab, tea.Cmd) {
	switch msg.(type) {
	case snapshotMsg, eventMsg:
		t.failures = latestFailures(t.b, maxFailures)
	}
	return t, nil
}

func latestFailures(b *board, n int) []probe.Result {
	var out []probe.Result
	for _, tg := range b.targets {
		for _, r := range b.results(tg) {
			if r.Class.Failing() {
				out = append(out, r)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y probe.Result) int { return y.Time.Compare(x.Time) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func (t troubleshootTab) view() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	st, b := t.st, t.b
	v := b.verdict
	var lines []string
	// The banner above already names the verdict; here is the evidence.
	lines = append(lines, st.heading.Render("Why we say so"))
	for _, f := range v.Facts {
		lines = append(lines, t.bullet(f)...)
	}
	if len(v.Facts) == 0 && !b.hasData() {
		lines = append(lines, t.bullet("no observation yet: the verdict appears after the first probes")...)
	}

	lines = append(lines, "", st.heading.Render("By service"))
	for _, sv := range v.Services {
		sym, tn := verdictLook(sv.Kind)
		lines = append(lines, "  "+fit(st.text.Render(sv.Service.Name), colName)+" "+st.tone[tn].Render(sym+" "+sv.Kind.String()))
	}

	lines = append(lines, "", st.heading.Render("Latest failures"))
	if len(t.failures) == 0 {
		lines = append(lines, st.muted.Render(fmt.Sprintf("  none among the last %d results of each target", ringSize)))
	}
	var classes []probe.Class
	for _, r := range t.failures {
		lines = append(lines, t.failure(r)...)
		if !slices.Contains(classes, r.Class) {
			classes = append(classes, r.Class)
		}
	}
	if len(classes) > 0 {
		lines = append(lines, "", st.heading.Render("What to try"))
		for _, c := range classes {
			sym, tn := classLook(c)
			lines = append(lines, t.wrapped("  "+st.tone[tn].Render(sym+" "+classWord(c))+": ", hint(c))...)
		}
	}
	return clamp(strings.Join(lines, "\n"), t.w, t.h)
}

func (t troubleshootTab) bullet(s string) []string {
	return t.wrapped("  • ", probe.Line(s, 0))
}

// wrapped wraps text after a prefix, continuation lines aligned under it.
func (t troubleshootTab) wrapped(prefix, text string) []string {
	pw := lipgloss.Width(prefix)
	ls := wrap(text, max(t.w-pw, 1))
	for i := range ls {
		if i == 0 {
			ls[i] = prefix + t.st.text.Render(ls[i])
		} else {
			ls[i] = strings.Repeat(" ", pw) + t.st.text.Render(ls[i])
		}
	}
	return ls
}

func (t troubleshootTab) failure(r probe.Result) []string {
	st, now := t.st, t.b.now
	sym, tn := classLook(r.Class)
	what := sym + " " + classWord(r.Class)
	if r.HTTPStatus != 0 {
		what += fmt.Sprintf(" %d", r.HTTPStatus)
	}
	head := "  " + st.muted.Render(clock(now, r.Time)) + " " + fit(st.text.Render(r.Target.Label()), colName) + " " + st.tone[tn].Render(what)
	if r.ErrorType != "" {
		head += " " + st.muted.Render(probe.Line(r.ErrorType, 40))
	}
	lines := []string{head}
	var detail []string
	if r.Message != "" {
		detail = append(detail, probe.Line(r.Message, 200))
	}
	if r.RequestID != "" {
		detail = append(detail, "request-id "+probe.Line(r.RequestID, 80))
	}
	if len(detail) > 0 {
		lines = append(lines, t.wrapped("      ", strings.Join(detail, " · "))...)
	}
	return lines
}

// hint is the troubleshooting entry for a class (DESIGN.md: every class
// has one).
func hint(c probe.Class) string {
	switch c {
	case probe.ClassAuth:
		return "the key or login was rejected. Check ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN, or run `claude /login` again."
	case probe.ClassBilling:
		return "the account cannot pay for requests: check credits and billing in the Claude Console."
	case probe.ClassRateLimited:
		return "you are over a rate or usage limit; it clears by itself. See the retry-after and rate-limit figures."
	case probe.ClassOverloaded:
		return "Anthropic is shedding load (529). Nothing to fix on your side: retry with backoff."
	case probe.ClassServer:
		return "Anthropic answered with a server error. Nothing to fix on your side; watch the status page."
	case probe.ClassNetwork:
		return "no answer reached us: check your connection, DNS, VPN and HTTPS_PROXY / NO_PROXY."
	case probe.ClassUnexpected:
		return "the answer had the wrong shape (often a proxy or a challenge page): try another network."
	case probe.ClassSlow:
		return "answers arrive but over the latency budget; often transient."
	}
	return "no advice for this outcome."
}
