package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// series is target t's results one a minute ending at probetest.Now, one
// per letter of pattern: o answers (200), x is a 529, u is unknown.
func series(t probe.Target, pattern string) []probe.Result {
	var rs []probe.Result
	for i, c := range pattern {
		r := probe.Result{Target: t, Time: probetest.Now.Add(time.Duration(i-len(pattern)+1) * time.Minute), Class: probe.ClassOK, HTTPStatus: 200}
		switch c {
		case 'x':
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded"
		case 'u':
			r.Class, r.HTTPStatus = probe.ClassUnknown, 0
		case 'n':
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 3s"
		case 'c':
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassBilling, 400, "invalid_request_error", "400 invalid_request_error: Your credit balance is too low to access the Anthropic API."
		}
		rs = append(rs, r)
	}
	return rs
}

// TestNewestProbesBeatOlderFailures: a pasted 529 is judged by the newest
// answers of its targets; the same failures before them are history, said
// with their times, never "overloaded now" (cold5 D8).
func TestNewestProbesBeatOlderFailures(t *testing.T) {
	over, _ := catalogue.ByID(catalogue.EntryOverloaded)
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		name                   string
		api, key               string
		loc                    *time.Location
		confirmed, contradicts bool
		want, not              []string
	}{
		{name: "529s ten minutes ago, 200s now", api: "xxxxxxxxoo", key: "xxxxxxxxoo", contradicts: true,
			want: []string{"answer normally from here (each of the last 4 probes)",
				"Earlier, 529 overloaded_error from 13:21:00 to 13:28:00 UTC (16 probes); answering normally since 13:29:00 UTC."},
			not: []string{"Anthropic is overloaded"}},
		{name: "one target had them", api: "oooooooooo", key: "ooxxxuxooo", contradicts: true,
			want: []string{"Earlier, 529 overloaded_error from 13:23:00 to 13:27:00 UTC (4 API probes with your key); answering normally since 13:28:00 UTC."}},
		{name: "one past 529, in the reader's zone", api: "ooooxooo", key: "oooooooo", loc: paris, contradicts: true,
			want: []string{"Earlier, 529 overloaded_error at 15:27:00 CEST (1 API probe); answering normally since 15:28:00 CEST."}},
		{name: "an older run before a recovery is not this run", api: "xxooxxoo", key: "oooooooo", contradicts: true,
			want: []string{"Earlier, 529 overloaded_error from 15:27:00 to 15:28:00 CEST (2 API probes)"}, loc: paris},
		{name: "failing now", api: "ooooxxxx", key: "ooooxxxx", confirmed: true,
			want: []string{"Anthropic is overloaded: 8 of the last 16 probes got 529 overloaded_error."}, not: []string{"Earlier"}},
		{name: "failing again after a recovery", api: "xxxxooox", key: "oooooooo", confirmed: true,
			want: []string{"Anthropic is overloaded"}, not: []string{"answering normally since"}},
		{name: "never failed", api: "oooo", key: "oooo", contradicts: true, not: []string{"Earlier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recent := probetest.Healthy()
			recent[probe.TargetAPI] = series(probe.TargetAPI, tt.api)
			recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, tt.key)
			now := probetest.Now
			if tt.loc != nil {
				now = now.In(tt.loc)
			}
			ev := Evidence{Now: now, Recent: recent, Status: probetest.Official(nil)}
			l := LiveFor(&over, ev.Input())
			got := strings.Join(l.Lines, "\n")
			if l.Confirmed != tt.confirmed || l.Contradicted != tt.contradicts {
				t.Errorf("confirmed %v contradicted %v, want %v %v\n%s", l.Confirmed, l.Contradicted, tt.confirmed, tt.contradicts, got)
			}
			out := Format(Diagnose("API Error: 529 Overloaded. This is a server-side issue, usually temporary"), ev)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("says %q:\n%s", n, out)
				}
			}
		})
	}
}
