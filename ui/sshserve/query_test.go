package sshserve

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"
)

// TestSilentTerminalSeesTheDashboard: a viewer whose terminal answers no
// query gets the dashboard without typing anything (it used to get
// nothing until its first key, which the query then swallowed), and its
// keys still work.
func TestSilentTerminalSeesTheDashboard(t *testing.T) {
	r := newRig(t, 0)
	v := connectAnswering(t, r, "")
	v.waitFor(t, "q quit")
	io.WriteString(v.in, "2")
	v.waitFor(t, "[2 Incidents]")
}

// TestKeysBeforeTheAnswerAreKept: a key typed before the terminal's
// answers arrive reaches the dashboard, and the answers do not.
func TestKeysBeforeTheAnswerAreKept(t *testing.T) {
	r := newRig(t, 0)
	v := connectAnswering(t, r, "")
	v.waitFor(t, "q quit")
	io.WriteString(v.in, "3"+darkAnswer)
	v.waitFor(t, "[3 Troubleshooting]")
	io.WriteString(v.in, "2")
	v.waitFor(t, "[2 Incidents]")
}

// TestLightTerminalGetsLightColours: the dashboard starts on the dark
// guess and redraws in the light palette when the terminal says its
// background is white.
func TestLightTerminalGetsLightColours(t *testing.T) {
	light := termenv.ANSI256.Color("#1F2328").Sequence(false) // colorText on a light background
	dark := termenv.ANSI256.Color("#E6EDF3").Sequence(false)
	r := newRig(t, 0)
	v := connectAnswering(t, r, "")
	v.waitFor(t, "q quit")
	if !strings.Contains(v.raw(), dark) || strings.Contains(v.raw(), light) {
		t.Fatalf("the first frames are not in the dark palette (%q)", dark)
	}
	io.WriteString(v.in, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c")
	deadline := time.Now().Add(hangGuard)
	for !strings.Contains(v.raw(), light) {
		if time.Now().After(deadline) {
			t.Fatalf("no light colours after the terminal said white:\n%q", v.raw())
		}
		<-v.grew
	}
}

// TestPickAnswers: the answers are taken out of the input wherever the
// reads split them; what the viewer typed around them passes, in order.
func TestPickAnswers(t *testing.T) {
	for _, chunks := range [][]string{
		{"ab\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?62;22ccd"},
		{"a", "b\x1b]11;rgb:ff", "ff/ffff/ffff\x1b\\", "\x1b[?6", "2;22c", "cd"},
	} {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		got := make(chan string, 1)
		go pickAnswers(inR, outW, hangGuard, func(spec string) { got <- spec })
		go func() {
			for _, c := range chunks {
				io.WriteString(inW, c)
			}
			inW.Close()
		}()
		typed, _ := io.ReadAll(outR)
		if string(typed) != "abcd" {
			t.Errorf("%q: the program read %q, want abcd", chunks, typed)
		}
		if spec := <-got; spec != "rgb:ffff/ffff/ffff" {
			t.Errorf("%q: background %q", chunks, spec)
		}
	}
}
