package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"downforai/probe/human"
	"downforai/ui"
)

// Progress draws one line on a terminal for long work run outside the
// dashboard (import, export, compact, rebuild): a bar, the share done,
// the rate and an estimate of the time left. On anything that is not a
// terminal it stays silent, so scripts and pipes see only the results.
// Report may be called from any goroutine, one at a time or not.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	unit  string // "B" counts bytes, else a noun such as "results"
	bar   progress.Model
	now   func() time.Time
	start time.Time
	drawn time.Time // last redraw, for throttling
	done  int64
	total int64
	shown bool
}

// progressEvery throttles redraws: often enough to look alive.
const progressEvery = 100 * time.Millisecond

// NewProgress returns a Progress that draws on w when w is a terminal,
// else nil (whose methods do nothing). unit is "B" for bytes or a plural
// noun.
func NewProgress(w io.Writer, label, unit string) *Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil
	}
	// Commands do not ask the terminal for its background (one that never
	// answers would stall them): the process's guess, dark, is used.
	r := lipgloss.NewRenderer(w)
	r.SetHasDarkBackground(lipgloss.HasDarkBackground())
	return newProgress(w, label, unit, r, time.Now)
}

func newProgress(w io.Writer, label, unit string, r *lipgloss.Renderer, now func() time.Time) *Progress {
	bar := progress.New(progress.WithWidth(30), progress.WithoutPercentage(),
		progress.WithSolidFill(string(ui.GoodColour().Dark)), progress.WithColorProfile(r.ColorProfile()))
	if !r.HasDarkBackground() {
		bar = progress.New(progress.WithWidth(30), progress.WithoutPercentage(),
			progress.WithSolidFill(string(ui.GoodColour().Light)), progress.WithColorProfile(r.ColorProfile()))
	}
	return &Progress{w: w, label: label, unit: unit, bar: bar, now: now, start: now()}
}

// Report sets how much is done out of total (0: unknown) and redraws at
// most every progressEvery.
func (p *Progress) Report(done, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	if now := p.now(); now.Sub(p.drawn) >= progressEvery {
		p.drawn = now
		p.draw(now)
	}
}

// Done draws the final state and ends the line, if anything was drawn.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.shown {
		return
	}
	p.draw(p.now())
	fmt.Fprintln(p.w)
}

func (p *Progress) draw(now time.Time) {
	p.shown = true
	fmt.Fprint(p.w, "\r"+p.line(now)+"\x1b[K")
}

// line is the progress line without control codes.
func (p *Progress) line(now time.Time) string {
	elapsed := now.Sub(p.start)
	var b strings.Builder
	b.WriteString(p.label + " ")
	frac := 0.0
	if p.total > 0 {
		frac = min(float64(p.done)/float64(p.total), 1)
	}
	b.WriteString(p.bar.ViewAs(frac))
	if p.total > 0 {
		fmt.Fprintf(&b, " %3.0f%%", 100*frac)
	}
	fmt.Fprintf(&b, "  %s", p.amount(p.done))
	if p.total > 0 {
		fmt.Fprintf(&b, "/%s", p.amount(p.total))
	}
	if secs := elapsed.Seconds(); secs > 0 && p.done > 0 {
		rate := float64(p.done) / secs
		fmt.Fprintf(&b, "  %s/s", p.amount(int64(rate)))
		if p.total > p.done && rate > 0 {
			left := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
			fmt.Fprintf(&b, "  about %s left", roundLeft(left))
		}
	}
	return b.String()
}

// amount is n in the Progress's unit, short: "12 MiB", "45,000 results".
func (p *Progress) amount(n int64) string {
	if p.unit == "B" {
		return human.IBytes(uint64(max(n, 0)))
	}
	return human.Comma(n) + " " + p.unit
}

func roundLeft(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()+0.5))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
