package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestOtherTroubleWeighsTheNewest: failures that are not the entry's are
// said by the newest run of its targets (issue 19). Once the targets
// answer again they are over, with when they last failed and how many of
// the window did, never "see the verdict" beside an all-clear verdict;
// only trouble the newest answers show points to the verdict.
func TestOtherTroubleWeighsTheNewest(t *testing.T) {
	server, _ := catalogue.ByID(catalogue.EntryServerError)
	tests := []struct {
		name      string
		api, key  string
		page      map[string]string // status page overrides
		stale     bool
		want, not []string
	}{
		{name: "recovered", api: "ooooxxxxxooo", key: "ooooxxxxxooo",
			want: []string{"The probes failed earlier (10 of the last 29, the last at 13:27:00 UTC, 3 min ago, 529 overloaded_error) and answer now: that trouble is likely over."},
			not:  []string{"see the verdict", "trouble now"}},
		{name: "recovered, one target had it", api: "oooooooooooo", key: "oooooooxxooo",
			want: []string{"The API probes with your key failed earlier (2 of the last 12, the last at 13:27:00 UTC, 3 min ago, 529 overloaded_error) and answer now: that trouble is likely over."},
			not:  []string{"see the verdict"}},
		{name: "recovered, the status page reports an outage", api: "ooooxxxxxooo", key: "ooooxxxxxooo", page: map[string]string{"k8w3r06qmzrp": "major_outage"},
			want: []string{"and answer now; the live verdict weighs more than these probes: see it."},
			not:  []string{"that trouble is likely over"}},
		{name: "still failing", api: "ooooxxxxxxxx", key: "ooooxxxxxxxx",
			want: []string{"The live probes show other trouble now (the newest API probe got 529 overloaded_error at 13:30:00 UTC, under a minute ago; 13 of the last 29 probes healthy for this): see the verdict."},
			not:  []string{"failed earlier", "is over"}},
		{name: "flapping, newest failing", api: "oxoxoxoxoxox", key: "oxoxoxoxoxox",
			want: []string{"The live probes show other trouble now (the newest API probe got 529 overloaded_error at 13:30:00 UTC", ": see the verdict."},
			not:  []string{"failed earlier", "is over"}},
		{name: "one failure newest, verdict not moved yet", api: "ooooooooooox", key: "oooooooooooo",
			want: []string{"The live probes show other trouble now (the newest API probe got 529 overloaded_error at 13:30:00 UTC, under a minute ago; 28 of the last 29 probes healthy for this): likely too new for the live verdict to count."},
			not:  []string{"see the verdict", "is over"}},
		{name: "recovered, but long ago", api: "ooooxxxxxooo", key: "ooooxxxxxooo", stale: true,
			want: []string{"and answered normally when last probed, at 13:30:00 UTC, 1 h 30 min ago: no current fact; see the verdict."},
			not:  []string{"that trouble is likely over", "answer now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recent := probetest.Healthy()
			recent[probe.TargetAPI] = series(probe.TargetAPI, tt.api)
			recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, tt.key)
			ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(tt.page)}
			in := ev.Input()
			if tt.stale {
				in.Now = in.Now.Add(90 * time.Minute)
				in.StaleAfter = 10 * time.Minute
			}
			l := LiveFor(&server, in)
			got := strings.Join(l.Lines, "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("says %q:\n%s", n, got)
				}
			}
			// Whatever the probes show, an all-clear verdict is never the
			// one pointed to.
			if l.Verdict.Kind == probe.VerdictOperational && !l.Verdict.Stale && strings.Contains(got, "see the") {
				t.Errorf("points to an all-clear verdict:\n%s", got)
			}
		})
	}
}

// TestPastedOverloadBesideRefusals (cold walk of Dec 7): a pasted 529 while
// the key probes got a credit refusal every time said "The API probes with
// your key failed earlier (… timeout) and answer now": they answer, refused
// — said so, never as answering normally.
func TestPastedOverloadBesideRefusals(t *testing.T) {
	over, _ := catalogue.ByID(catalogue.EntryOverloaded)
	recent := probetest.Healthy()
	recent[probe.TargetAPI] = series(probe.TargetAPI, "oooooooooooo")
	recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, "oonnnnnncccc")
	ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(nil)}
	got := strings.Join(LiveFor(&over, ev.Input()).Lines, "\n")
	if !strings.Contains(got, "and answer now, though not normally: the newest got 400 invalid_request_error") || strings.Contains(got, "that trouble is likely over") {
		t.Errorf("beside credit refusals:\n%s", got)
	}
}
