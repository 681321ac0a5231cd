package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestDetectorSessionsAreAThirdSource: Claude Code's sessions open
// incidents of their own by the same thresholds as our probes, on the
// side their calls point at, and never fold into our probes' incidents.
func TestDetectorSessionsAreAThirdSource(t *testing.T) {
	tests := []struct {
		name    string
		steps   []string
		open    []string // subjects open at the end
		kind    probe.IncidentKind
		title   string
		targets []probe.Target
	}{
		{name: "three 529 calls open one on Anthropic's side",
			steps: seq([]string{"code_sessions:ok"}, times("code_sessions:529", 3)),
			open:  []string{"sessions:provider"}, kind: probe.KindProvider, title: "Claude Code, your sessions: overloaded (529)"},
		{name: "two are not enough",
			steps: seq([]string{"code_sessions:ok"}, times("code_sessions:529", 2))},
		{name: "two calls that answer close it",
			steps: seq(times("code_sessions:529", 3), times("code_sessions:ok", 2))},
		{name: "network failures count for neither side",
			steps: seq(times("code_sessions:timeout", 5), times("code_sessions:refused", 5))},
		{name: "a network failure does not interrupt the streak or recover it",
			steps: seq(times("code_sessions:529", 2), []string{"code_sessions:refused"}, []string{"code_sessions:529"}),
			open:  []string{"sessions:provider"}, kind: probe.KindProvider},
		{name: "429s are your side",
			steps: times("code_sessions:429", 3),
			open:  []string{"sessions:yours"}, kind: probe.KindYourSide, title: "Your side, your Claude Code sessions: rate limited (429)"},
		{name: "401s are your side",
			steps: times("code_sessions:401", 3),
			open:  []string{"sessions:yours"}, kind: probe.KindYourSide},
		{name: "sessions and our probes failing at once are two incidents, two sources",
			steps: seq(times("api:529", 3), times("code_sessions:529", 3)),
			open:  []string{"provider:api", "sessions:provider"}, kind: probe.KindProvider, targets: []probe.Target{probe.TargetSessions}},
		{name: "our probes' successes do not close the sessions'",
			steps: seq(times("code_sessions:529", 3), times("api:ok", 4)),
			open:  []string{"sessions:provider"}, kind: probe.KindProvider},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(time.Duration(len(tc.steps)) * 30 * time.Second) }})
			open, _ := feed(d, tc.steps)
			if len(open) != len(tc.open) {
				t.Fatalf("open %v, want %v", keys(open), tc.open)
			}
			for _, subj := range tc.open {
				l, ok := open[subj]
				if !ok {
					t.Fatalf("open %v, want %v", keys(open), tc.open)
				}
				if !strings.HasPrefix(subj, "sessions:") {
					continue
				}
				if l.Kind != tc.kind {
					t.Errorf("%s: kind %s, want %s", subj, l.Kind, tc.kind)
				}
				if tc.title != "" && l.Title() != tc.title {
					t.Errorf("title %q, want %q", l.Title(), tc.title)
				}
				if !FromSessions(l) {
					t.Errorf("%s is not the sessions'", subj)
				}
				for _, tg := range l.Targets {
					if tg != probe.TargetSessions {
						t.Errorf("%s holds %s", subj, tg)
					}
				}
				if e := (TimelineEntry{Local: []probe.LocalIncident{l}}); e.Source() != "sessions" || !e.Sessions() {
					t.Errorf("source %q", e.Source())
				}
			}
		})
	}
}

func keys(m map[string]probe.LocalIncident) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDetectorSessionsCloseWhenQuiet: the sessions call only while the
// user works; SessionsFresh after their last call nothing says the
// incident goes on, and it closes at its last failure.
func TestDetectorSessionsCloseWhenQuiet(t *testing.T) {
	clock := t0.Add(2 * time.Minute)
	d := NewDetector(DetectorConfig{Now: func() time.Time { return clock }})
	open, _ := feed(d, times("code_sessions:529", 3))
	if len(open) != 1 {
		t.Fatalf("open %v", keys(open))
	}
	last := open["sessions:provider"].LastFailure
	clock = last.Add(SessionsFresh - time.Second)
	if out := d.Observe(probe.Event{Result: stepResult("api:ok", 10)}); len(out) != 0 || len(d.Open()) != 1 {
		t.Fatalf("closed before %s of quiet: %+v", SessionsFresh, out)
	}
	clock = last.Add(SessionsFresh)
	out := d.Observe(probe.Event{Result: stepResult("api:ok", 11)})
	if len(out) != 1 || out[0].Active() || len(d.Open()) != 0 {
		t.Fatalf("not closed after %s of quiet: %+v", SessionsFresh, out)
	}
	if !out[0].End().Equal(last) || !QuietClosed(out[0]) {
		t.Errorf("ends %s, want its last failure %s (quiet %v)", out[0].End(), last, QuietClosed(out[0]))
	}
	// Restored after a restart, it closes the same way.
	d2 := NewDetector(DetectorConfig{Now: func() time.Time { return clock }})
	l := out[0]
	l.Closed, l.Recovered = time.Time{}, time.Time{}
	d2.Restore([]probe.LocalIncident{l})
	if out := d2.Observe(probe.Event{}); len(out) != 1 || out[0].Active() {
		t.Fatalf("restored incident not closed when quiet: %+v", out)
	}
}

// TestSessionsIncidentLinks: a sessions' incident on Anthropic's side
// links to the official incident on the Claude API or on Claude Code;
// one of your side never does.
func TestSessionsIncidentLinks(t *testing.T) {
	for _, comp := range []string{"k8w3r06qmzrp", "yyzkbfz2thpt"} {
		in := probe.Incident{ID: "inc1", Name: "Elevated errors", Status: "investigating", StartedAt: t0, Components: []string{comp}}
		l := probe.LocalIncident{Subject: "sessions:provider", Kind: probe.KindProvider, Service: "claude_code", Targets: []probe.Target{probe.TargetSessions},
			FirstFailure: t0.Add(time.Minute), LastFailure: t0.Add(3 * time.Minute)}
		if _, ok := Correlate(l, []probe.Incident{in}); !ok {
			t.Errorf("not linked to an incident on %s", comp)
		}
		if !Unacknowledged(l, &probe.Status{}) {
			t.Error("no official incident: should be unacknowledged")
		}
		if lines := LeadLag(l, in, nil, t0.Add(time.Hour)); !strings.Contains(strings.Join(lines, " "), "your Claude Code sessions") {
			t.Errorf("lead/lag speaks of our probes: %q", lines)
		}
		l.Kind, l.Subject, l.Service = probe.KindYourSide, "sessions:yours", ""
		if _, ok := Correlate(l, []probe.Incident{in}); ok {
			t.Error("your side linked to Anthropic's incident")
		}
	}
}

// TestDetectorCountsTheOtherFailures (cold4 C9): three 529 calls open the
// sessions' provider incident; a fourth call hits the usage limit (your
// side). The provider incident counts it as probed and as failed another
// way, so its counts add up: all four failed, one another way — never
// "3 of 4 calls failed", as if one had answered.
func TestDetectorCountsTheOtherFailures(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(3 * time.Minute) }})
	open, _ := feed(d, seq(times("code_sessions:529", 3), []string{"code_sessions:429"}, []string{"api:ok"}))
	l, ok := open["sessions:provider"]
	if !ok {
		t.Fatalf("open %v, want sessions:provider", keys(open))
	}
	if l.Failures != 3 || l.Probes != 4 || l.Others != 1 {
		t.Errorf("failures %d, probes %d, others %d; want 3, 4, 1", l.Failures, l.Probes, l.Others)
	}
}
