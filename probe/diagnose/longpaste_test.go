package diagnose

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"downforai/probe/catalogue"
)

// scrollback is n bytes or more of a terminal's history: build output,
// shell prompts, a "git reset" — no error among them.
func scrollback(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		switch i % 4 {
		case 0:
			b.WriteString("$ go build ./... && git reset --hard HEAD~1\n")
		case 1:
			b.WriteString("ok  \tdownforai/probe\t0.412s — résumé ✓ 日本語\n")
		default:
			b.WriteString("   compiling package 42 of 317 …\n")
		}
	}
	return b.String()
}

// TestLongPasteKeepsItsEnd (cold5 D30): a paste longer than Diagnose reads
// is a scroll-back with the error at its end: the end is read (from a
// line start), the start left out and said so; a short one is whole.
func TestLongPasteKeepsItsEnd(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     catalogue.EntryID
		leftOut  bool
		echoHas  string
		formatHs []string
	}{
		{name: "529 after 200 KiB", text: scrollback(200<<10) + `API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}` + "\n",
			want: catalogue.EntryOverloaded, leftOut: true, echoHas: "API Error: 529",
			formatHs: []string{"note: the text is long: its first 136.", "KiB were left out, and only its end (", "from a line start) was read"}},
		{name: "a limit notice after 1 MiB", text: scrollback(1<<20) + "You've hit your session limit · resets 3am (UTC)\n",
			want: catalogue.EntryUsageLimit, leftOut: true, echoHas: "resets 3am (UTC)",
			formatHs: []string{"KiB were left out", "it resets at 03:00 UTC, in 1h 00m"}},
		{name: "short: whole", text: scrollback(2<<10) + "API Error: 529 Overloaded. This is a server-side issue, usually temporary",
			want: catalogue.EntryOverloaded, formatHs: []string{"Overloaded (529)"}},
	}
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diagnose(tt.text)
			if !d.Known() || d.Entry.ID != tt.want {
				t.Fatalf("diagnosed %v, want %s", d.Entry, tt.want)
			}
			if (d.LeftOut > 0) != tt.leftOut {
				t.Errorf("left out %d bytes", d.LeftOut)
			}
			if tt.leftOut {
				kept := tt.text[d.LeftOut:]
				if len(kept) > MaxInput || d.LeftOut == 0 || tt.text[d.LeftOut-1] != '\n' {
					t.Errorf("kept %d bytes from offset %d: not the last %d from a line start", len(kept), d.LeftOut, MaxInput)
				}
				if !strings.HasPrefix(d.Text, "…") || !strings.Contains(d.Text, tt.echoHas) {
					t.Errorf("echo is not the end: %q", d.Text)
				}
			}
			out := Format(d, Evidence{Now: now})
			for _, w := range tt.formatHs {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q:\n%s", w, out)
				}
			}
			if !tt.leftOut && strings.Contains(out, "left out") {
				t.Errorf("a whole paste says something was left out:\n%s", out)
			}
			var j struct {
				LeftOut int `json:"left_out_bytes"`
			}
			if err := json.Unmarshal(JSON(d, Evidence{Now: now}), &j); err != nil || j.LeftOut != d.LeftOut {
				t.Errorf("json left_out_bytes %d, want %d (%v)", j.LeftOut, d.LeftOut, err)
			}
		})
	}
}

func TestTail(t *testing.T) {
	for _, tt := range []struct {
		text    string
		max     int
		want    string
		wantCut int
	}{
		{"abc", 3, "abc", 0},
		{"one\ntwo\nthree\n", 9, "three\n", 8}, // from the line start after the cut
		{"one\ntwo\nthree", 6, "three", 8},
		{"aaaaaaaa\n", 4, "aaa\n", 5}, // the only break is the last byte: no line start, a rune start
		{"日本語日本語", 7, "本語", 12},       // never half a rune
	} {
		got, cut := Tail(tt.text, tt.max)
		if got != tt.want || cut != tt.wantCut || !utf8.ValidString(got) || len(got) > tt.max {
			t.Errorf("Tail(%q, %d) = %q, %d; want %q, %d", tt.text, tt.max, got, cut, tt.want, tt.wantCut)
		}
	}
}
