package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/diagnose"
)

// The Troubleshooting tab's pasted error: the input that takes it (its
// lines kept, redacted, a long paste's end kept), the line that says how
// much it holds, and the "Pasted error" section that answers it.

// pastedEchoLines bounds the echo of a pasted error.
const pastedEchoLines = 2

// pasteLimit bounds what the input takes: an error, not a log file.
const pasteLimit = 8192

func (t troubleshootTab) updateInput(msg tea.KeyMsg) (troubleshootTab, tea.Cmd) {
	switch {
	case key.Matches(msg, t.keys.Cancel):
		t.pasting = false
		t.input.Blur()
		return t, nil
	case key.Matches(msg, t.keys.Submit) && !msg.Paste:
		t.pasting = false
		t.input.Blur()
		if text := strings.TrimSpace(t.pasted()); text != "" {
			d := diagnose.Diagnose(text)
			d.LeftOut += t.leftOut
			t.diag = &d
			t.offset[pageMain] = 0
		}
		return t, nil
	}
	if msg.Paste {
		// A paste can hold a key (curl -v, a .env line): mask it before
		// it is ever drawn.
		// A terminal pastes line breaks as "\r": the lines are kept as
		// "\n", as the CLI reads them.
		msg.Runes = []rune(probe.Redact(diagnose.Newlines(string(msg.Runes))))
		if t.input.Value() != t.shown {
			t.raw = t.input.Value()
		}
		t.raw += string(msg.Runes)
		if utf8.RuneCountInString(t.raw) > pasteLimit {
			// Longer than the input takes: keep its end, where a
			// scroll-back's error is, and remember what was left out
			// (cold5 D30); the input would keep the start.
			kept, cut := diagnose.Tail(t.raw, pasteLimit)
			t.leftOut += cut
			t.raw = kept
		}
		t.input.SetValue(t.raw)
		t.input.CursorEnd()
		t.shown = t.input.Value()
		return t, nil
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	if v := t.input.Value(); probe.Redact(v) != v {
		t.input.SetValue(probe.Redact(v))
	}
	if v := t.input.Value(); v != t.shown {
		t.raw, t.shown = v, v // typed or edited: the input's value is the text
	}
	return t, cmd
}

// pasted is the text the input holds, as pasted: its lines kept.
func (t troubleshootTab) pasted() string {
	if t.input.Value() != t.shown {
		return t.input.Value()
	}
	return t.raw
}

// pasteSize says how much the input holds when the one line shows only
// part of it: the box shows a paste's end, and enter reads all of it.
func (t troubleshootTab) pasteSize() string {
	text := t.pasted()
	if lipgloss.Width(t.input.Prompt)+utf8.RuneCountInString(text) <= t.w && !strings.Contains(text, "\n") {
		return ""
	}
	lines := strings.Count(strings.TrimRight(text, "\n"), "\n") + 1
	what := fmt.Sprintf("%d lines", lines)
	if lines == 1 {
		what = "1 line"
	}
	cut := ""
	if t.leftOut > 0 {
		cut = fmt.Sprintf(" (its first %s left out)", diagnose.Bytes(t.leftOut))
	}
	return fmt.Sprintf("holds %s, %s%s, shown on one line; enter reads all of it", what, diagnose.Bytes(len(text)), cut)
}

func (t troubleshootTab) diagnosis(d diagnose.Diagnosis) []string {
	st := t.st
	var lines []string
	// What was pasted, to recognise it by: two lines, so that on a small
	// terminal the answer below it is on screen (at 80x24 a JSON paste
	// took seven of its fifteen lines).
	lines = append(lines, t.wrappedMax(st.tone[toneMuted], "  you pasted: ", probe.Line(d.Text, 300), pastedEchoLines)...)
	if s := d.LeftOutWords(); s != "" {
		lines = append(lines, t.wrappedTone(toneWarn, "  left out: ", s)...)
	}
	if !d.Known() {
		lines = append(lines, "  "+st.strong[toneWarn].Render(symUnknown+" no known signature")+st.text.Render(": nothing in the catalogue matches this text"))
	} else {
		sym, tn := classLook(d.Entry.Class)
		if d.Entry.Side == catalogue.SideAnthropic {
			tn = toneBad
		}
		head := "  " + st.strong[tn].Render(sym+" "+d.Entry.Title) + st.muted.Render(" · "+string(d.Entry.ID))
		if side := " — " + d.Entry.SidePhrase(); lipgloss.Width(head+side) <= t.w {
			lines = append(lines, head+st.muted.Render(side))
		} else {
			lines = append(lines, head)
			lines = append(lines, t.wrappedTone(toneMuted, "    ", d.Entry.SidePhrase())...)
		}
	}
	ev := t.b.evidence()
	live := diagnose.LiveFor(d.Entry, ev.Input())
	// The live state comes before the advice when it disagrees.
	if s := diagnose.Disagreement(d, live); s != "" {
		lines = append(lines, t.wrappedStyle(st.strong[toneWarn], "  ! live: ", s)...)
	}
	if d.Known() {
		if read := d.Read(func(m string) string { return "“" + m + "”" }); read != "" {
			lines = append(lines, t.wrapped("  read: ", read)...)
		}
		lines = append(lines, t.wrappedTone(toneMuted, "  matched: ", fmt.Sprintf("“%s” (%s confidence)", d.Matched, d.Confidence))...)
		lines = append(lines, t.entryBody(*d.Entry)...)
	}
	for _, s := range live.Lines {
		lines = append(lines, t.wrapped("  now: ", s)...)
	}
	// The limit's lines are what the notice says and when it resets, not
	// what we see now: labelled so, never "now:" (a notice pasted days
	// later is no present fact).
	for _, s := range diagnose.LimitSays(d, t.b.local, t.b.sessions, ev.Recent, t.b.now, t.b.staleAfter, t.b.loc()) {
		lines = append(lines, t.wrapped("  limit: ", s)...)
	}
	if d.Known() {
		lines = append(lines, t.wrappedTone(toneMuted, "  ", "enter opens the whole entry: error signatures, common causes, every fix")...)
	}
	return lines
}
