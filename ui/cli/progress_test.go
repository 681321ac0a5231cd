package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestProgressSilentOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []any{&bytes.Buffer{}, f} {
		var p *Progress
		switch w := w.(type) {
		case *bytes.Buffer:
			p = NewProgress(w, "import", "B")
		case *os.File:
			p = NewProgress(w, "import", "B")
		}
		if p != nil {
			t.Errorf("%T: a Progress on something that is not a terminal", w)
		}
		p.Report(1, 2) // a nil Progress does nothing, and does not panic
		p.Done()
	}
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Errorf("wrote %d bytes to a file", fi.Size())
	}
}

// asciiRenderer draws without colour, as the tests read text.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func TestProgressLine(t *testing.T) {
	clock := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	p := newProgress(&out, "import", "results", asciiRenderer(), func() time.Time { return clock })
	clock = clock.Add(2 * time.Second)
	p.Report(50_000, 200_000)
	clock = clock.Add(10 * time.Millisecond)
	p.Report(51_000, 200_000) // throttled
	if n := strings.Count(out.String(), "\r"); n != 1 {
		t.Errorf("%d redraws, want 1 (throttled)", n)
	}
	line := p.line(clock)
	for _, want := range []string{"import ", " 26%", "51,000 results/200,000 results", "25,373 results/s", "about 6s left"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
	p.Done()
	if !strings.HasSuffix(out.String(), "\n") {
		t.Error("Done did not end the line")
	}

	b := newProgress(&out, "compact", "B", asciiRenderer(), func() time.Time { return clock })
	b.done, b.total = 3<<20, 0
	if l := b.line(clock); !strings.Contains(l, "3.0 MiB") || strings.Contains(l, "%") {
		t.Errorf("unknown total: %q", l)
	}
}
