package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestChangeMarkKeepsTheHedge: the banner's "changed 14:02 from …" names
// the verdict as the banner showed it. A verdict the judge could only
// infer was titled "Likely your network"; after recovery the mark said
// "from Your network", dropping the hedge (cold7 E8).
func TestChangeMarkKeepsTheHedge(t *testing.T) {
	clock := testNow
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), healthySnapshot(testNow.Add(-20*time.Second), ringSize), tea.WindowSizeMsg{Width: 120, Height: 35})
	m = ranThisRun(m)
	hang := func(tg probe.Target, at time.Time) probe.Result {
		// Connected and TLS done, then nothing came: every host alike.
		return probe.Result{Target: tg, Time: at, Class: probe.ClassNetwork, ErrorType: probe.NetTimeout, Message: "timed out after 3s",
			Phases: probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, TLS: 3 * time.Millisecond, Total: 3 * time.Second}}
	}
	clock = testNow.Add(2 * time.Minute)
	for i := range 3 {
		at := clock.Add(time.Duration(i-3) * time.Second)
		for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
			m = send(m, eventMsg{Result: hang(tg, at)})
		}
	}
	if title := m.board.verdict.Title(); !strings.HasPrefix(title, "Likely ") {
		t.Fatalf("every host hanging is titled %q, want a hedged verdict (the premise of this test)", title)
	}
	clock = clock.Add(30 * time.Second)
	for i := range 3 {
		at := clock.Add(time.Duration(i-3) * time.Second)
		snap := healthySnapshot(at, 1)
		for _, rs := range snap.recent {
			m = send(m, eventMsg{Result: rs[0], Status: snap.status})
		}
	}
	v := m.View()
	if !strings.Contains(v, "from Likely your network") {
		t.Errorf("the change mark dropped the hedge (want \"from Likely your network\"):\n%s", v)
	}
}

// TestChangeMarkNamesWhatTheBannerShowed (verdicts5 W3): "changed 14:02
// from X" appears only when the verdict the banner draws changes, and X
// is the one it drew just before. The change was measured on this run's
// own results judged alone (so a restart is no change), which weigh a
// first failure at once: after a restart, one 529 that the banner held as
// "One failure, not yet a verdict" was marked "changed … from Not yet acknowledged by
// Anthropic" a round later, beside an "Operational" it had shown
// throughout, and an outage in this run was marked at its first 529,
// before the banner moved. Every event is checked, in runs with and
// without the last run's results in the rings.
func TestChangeMarkNamesWhatTheBannerShowed(t *testing.T) {
	result := func(tg probe.Target, s string, at time.Time) probe.Result {
		switch s {
		case "529":
			r := overloaded(1)
			r.Target, r.Time = tg, at
			return r
		case "500":
			return probe.Result{Target: tg, Time: at, Class: probe.ClassServer, HTTPStatus: 500, Message: "500 Internal Server Error", Phases: probe.Phases{Total: 100 * time.Millisecond}}
		case "hang":
			return probe.Result{Target: tg, Time: at, Class: probe.ClassNetwork, ErrorType: probe.NetTimeout, Message: "timed out after 3s",
				Phases: probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, TLS: 3 * time.Millisecond, Total: 3 * time.Second}}
		}
		return probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: okCode(tg), Phases: probe.Phases{Total: 90 * time.Millisecond}}
	}
	// A round: the page ("op", "major" or "fail") and each host's answer
	// ("ok" unless named).
	type round struct {
		page  string
		hosts map[probe.Target]string
	}
	ok := round{page: "op"}
	api := func(s string) round {
		return round{page: "op", hosts: map[probe.Target]string{probe.TargetAPI: s, probe.TargetAPIKey: s}}
	}
	all := func(page, s string) round {
		return round{page: page, hosts: map[probe.Target]string{probe.TargetAPI: s, probe.TargetAPIKey: s, probe.TargetClaudeAI: s}}
	}
	web := func(s string) round {
		return round{page: "op", hosts: map[probe.Target]string{probe.TargetClaudeAI: s}}
	}
	major := round{page: "major"}
	const (
		op    = "Operational"
		unack = "Not yet acknowledged by Anthropic"
	)
	for _, tc := range []struct {
		name    string
		restart bool // the rings hold the last run's healthy results, not this run's
		rounds  []round
		marks   []string // the "from" of each change marked, in order
	}{
		{"the API fails and recovers", false, []round{ok, api("529"), api("529"), api("529"), ok, ok, ok}, []string{op, unack}},
		{"one 529", false, []round{ok, api("529"), ok, ok}, nil},
		{"restart, one 529 in the first round", true, []round{api("529"), ok, ok, ok, ok}, nil},
		{"restart, one 529 in the second round", true, []round{ok, api("529"), ok, ok, ok}, nil},
		{"restart, then the API fails and recovers", true, []round{api("529"), api("529"), api("529"), ok, ok, ok}, []string{op, unack}},
		{"claude.ai fails and recovers", false, []round{ok, web("500"), web("500"), web("500"), ok, ok, ok}, []string{op, unack}},
		{"every host hangs, the page too", false, []round{ok, all("fail", "hang"), all("fail", "hang"), all("fail", "hang"), ok, ok, ok}, []string{op, unack}},
		{"the page says major once", false, []round{ok, major, ok, ok}, []string{op, "Conflicting signals"}},
		{"an acknowledged outage", false, []round{ok, all("major", "529"), all("major", "529"), all("major", "529"), api("529"), ok, ok, ok}, []string{op, "Anthropic outage", unack}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := testNow
			opts := testOptions()
			opts.Now = func() time.Time { return clock }
			m := send(New(opts), healthySnapshot(testNow.Add(-20*time.Second), ringSize), tea.WindowSizeMsg{Width: 120, Height: 35})
			if !tc.restart {
				m = ranThisRun(m)
			}
			var marks, log []string
			drawn, markedAt, markedFrom := m.board.verdict.Title(), m.board.changedAt, m.board.changedFrom
			// held is the last title drawn for a whole round (five
			// results) or more; for is how many results drawn has been.
			held, drawnFor := drawn, 5
			for ri, rd := range tc.rounds {
				for ei, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
					clock = testNow.Add(time.Duration(ri+1)*30*time.Second + time.Duration(ei)*time.Second)
					ev := eventMsg{Result: result(tg, rd.hosts[tg], clock)}
					if tg == probe.TargetStatus {
						if rd.page == "fail" {
							ev.Result = result(tg, "500", clock)
						} else {
							st := operationalStatus(clock)
							if rd.page == "major" {
								st = outageStatus(clock)
							}
							ev.Status = &st
						}
					}
					m = send(m, ev)
					title := m.board.verdict.Title()
					log = append(log, fmt.Sprintf("round %d, %s %s: %q", ri, tg, ev.Result.Class, title))
					if title != drawn && drawnFor >= 5 {
						held = drawn
					}
					if at, from := m.board.changedAt, m.board.changedFrom; !at.Equal(markedAt) || from != markedFrom {
						markedAt, markedFrom = at, from
						if !at.IsZero() {
							marks = append(marks, from)
							log[len(log)-1] += " changed from " + from
							// A change names what the banner drew just
							// before — or, when that was drawn for less
							// than a round, the one it held before that.
							want := drawn
							if drawnFor < 5 {
								want = held
							}
							if title == from || from != want {
								t.Errorf("%s changed from %q, want %q (drawn just before %q for %d results), now %q:\n%s", tg, from, want, drawn, drawnFor, title, strings.Join(log, "\n"))
							}
						}
					}
					if title == drawn {
						drawnFor++
					} else {
						drawnFor = 1
					}
					drawn = title
				}
			}
			if !slices.Equal(marks, tc.marks) {
				t.Errorf("marked changes from %q, want %q:\n%s", marks, tc.marks, strings.Join(log, "\n"))
			}
		})
	}
}

// TestChangeMarkSkipsAVerdictOfAMoment: a verdict drawn between two
// results of one round ("Degraded" after the keyless probe's second 529,
// before the keyed one's) is no state to name. The change it begins is
// named from what the banner held before it, at its time; one that goes
// straight back leaves no mark; one drawn for a round or more, or for
// longer than a moment, is a state like any.
func TestChangeMarkSkipsAVerdictOfAMoment(t *testing.T) {
	const (
		op  = probe.VerdictOperational
		deg = probe.VerdictDegraded
		un  = probe.VerdictUnacknowledged
	)
	type step struct {
		after   time.Duration // since the last step
		results int           // round targets' results before it
		k       probe.VerdictKind
	}
	name := map[probe.VerdictKind]string{op: "Operational", deg: "Degraded", un: "Not yet acknowledged by Anthropic"}
	for _, tc := range []struct {
		name     string
		steps    []step
		from     string // the mark's from at the end, "" for none
		markStep int    // the step whose time the mark has
	}{
		{"a moment of Degraded on the way", []step{{time.Second, 1, deg}, {time.Second, 1, un}}, "Operational", 0},
		{"a moment of Degraded, then back", []step{{time.Second, 1, deg}, {time.Second, 1, op}}, "", 0},
		{"Degraded for a round", []step{{time.Second, 1, deg}, {time.Second, 5, un}}, "Degraded", 1},
		{"Degraded from a round's last result to the next round's first", []step{{time.Second, 1, deg}, {30 * time.Second, 1, un}}, "Degraded", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := testNow
			b := newBoard([]probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode}, now, time.Minute, "test")
			b.shownOwn = true
			b.mark(op, name[op])
			b.rounds += 10 // Operational held for rounds
			now = now.Add(time.Minute)
			var times []time.Time
			for _, s := range tc.steps {
				now = now.Add(s.after)
				b.now, b.rounds = now, b.rounds+s.results
				b.shownOwn = true
				b.verdict.Kind = s.k // judge sets it before it marks
				b.mark(s.k, name[s.k])
				times = append(times, now)
			}
			at, from, ok := b.change()
			switch {
			case tc.from == "" && ok:
				t.Errorf("marked a change from %q at %v", from, at)
			case tc.from != "" && (!ok || from != tc.from || !at.Equal(times[tc.markStep])):
				t.Errorf("mark %v from %q at %v, want from %q at %v", ok, from, at, tc.from, times[tc.markStep])
			}
		})
	}
}

// TestChangeMarkIsOfTheBannersVerdict (cold walk of Dec 7): Your credential
// after Unreachable through your gateway, then Unknown (never marked: no
// news about Claude) showed "? Unknown · changed 12:59 from Unreachable
// through your gateway" — a change that was not the banner's. The mark
// goes while the banner draws another verdict than the one it moved to.
func TestChangeMarkIsOfTheBannersVerdict(t *testing.T) {
	b := newBoard([]probe.Target{probe.TargetStatus, probe.TargetAPI}, testNow, time.Minute, "test")
	b.shownOwn = true
	b.verdict.Kind = probe.VerdictUnreachable
	b.mark(probe.VerdictUnreachable, "Unreachable through your gateway")
	b.rounds += 10
	b.now = testNow.Add(time.Minute)
	b.shownOwn = true
	b.verdict.Kind = probe.VerdictLocalCredential
	b.mark(probe.VerdictLocalCredential, "Your credential")
	if _, from, ok := b.change(); !ok || from != "Unreachable through your gateway" {
		t.Fatalf("mark %v from %q", ok, from)
	}
	b.now = b.now.Add(20 * time.Second)
	b.verdict.Kind = probe.VerdictUnknown // judge returns before marking it
	if at, from, ok := b.change(); ok {
		t.Errorf("beside Unknown, the mark of another change: %v from %q", at, from)
	}
}
