package judge

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/store"
)

// stretched is the key probe's last 12 results after a churn: six taking
// turns 401 and ok, each 401 waited out for a Retry-After of 45 s, then
// the key answering every 5 s bar one 401 — the newest half of the count
// still mixed. oldest first.
func stretched() []probe.Result {
	_, good := apiResults("ok", true)
	_, bad := apiResults("401", true)
	bad.RateLimit.RetryAfter = 45 * time.Second
	var rs []probe.Result
	at := now.Add(-6 * time.Minute)
	for i := range 6 {
		r := good
		if i%2 == 0 {
			r = bad
		}
		r.Time = at
		rs = append(rs, r)
		at = at.Add(50 * time.Second)
	}
	for i, w := range []string{"ok", "401", "ok", "ok", "ok", "ok"} {
		_, r := apiResults(w, true)
		r.Time = now.Add(-time.Duration(30-5*i) * time.Second)
		rs = append(rs, r)
	}
	return rs
}

// TestWindowIsRecent: a window counts what is recent (verdicts5 W2). The
// key probe waits out a Retry-After, so its last 12 results reached six
// minutes back; the banner and /metrics said "Unstable: 5 of the last 12
// Claude API probes failed (401 …)" while check, which reads the database
// within the horizon, said all clear — at the same moment, on the same
// results. With the horizon the failures minutes old age out, and the
// dashboard's judge and check's (the database read within the horizon)
// say one thing.
func TestWindowIsRecent(t *testing.T) {
	horizon := Horizon(5*time.Second, 5*time.Second) // 60 s
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	in.Recent[probe.TargetAPIKey] = stretched()
	in.Horizon = horizon

	dash := Judge(in)
	if strings.Contains(dash.Headline, "Unstable") || dash.Kind != probe.VerdictOperational {
		t.Errorf("dashboard: %s %q\nwant operational: the 401s older than %v are over", dash.Kind.Key(), dash.Headline, horizon)
	}

	// check reads the same results from the database, within the horizon.
	path := filepath.Join(t.TempDir(), "h.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var all []probe.Result
	targets := []probe.Target{probe.TargetStatus}
	for tg, rs := range in.Recent {
		all = append(all, rs...)
		if tg != probe.TargetStatus {
			targets = append(targets, tg)
		}
	}
	if err := st.PutResults(all); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutStatus(*in.Status); err != nil {
		t.Fatal(err)
	}
	rec, err := ReadRecorded(st, targets, now, horizon)
	if err != nil {
		t.Fatal(err)
	}
	chk := Judge(Input{Status: rec.Status, Recent: rec.Recent, Now: now, StaleAfter: in.StaleAfter, Local: in.Local})
	if chk.Kind != dash.Kind || chk.Headline != dash.Headline {
		t.Errorf("at one moment on one history:\ndashboard %s %q\ncheck     %s %q", dash.Kind.Key(), dash.Headline, chk.Kind.Key(), chk.Headline)
	}
}

// TestUnstableNamesItsWindow: "Unstable" says over how long its count ran —
// twelve probes every 30 s are six minutes, every 5 s a minute — in the
// banner and in the service's facts.
func TestUnstableNamesItsWindow(t *testing.T) {
	for _, tt := range []struct {
		every time.Duration
		want  string
	}{
		{5 * time.Second, "Unstable: 12 of 24 Claude API probes with and without your key in the last minute failed"},
		{30 * time.Second, "Unstable: 12 of 24 Claude API probes with and without your key in the last 6 min failed"},
	} {
		in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
		in.Horizon = Horizon(tt.every, tt.every)
		pattern := []string{"529", "ok", "529", "ok", "ok", "529"}
		var reach, key []probe.Result
		for i := range 12 {
			r, k := apiResults(pattern[i%len(pattern)], true)
			r.Time = now.Add(-time.Duration(12-i) * tt.every)
			k.Time = r.Time
			reach, key = append(reach, r), append(key, k)
		}
		in.Recent[probe.TargetAPI], in.Recent[probe.TargetAPIKey] = reach, key
		v := Judge(in)
		if v.Kind != probe.VerdictDegraded || !strings.HasPrefix(v.Headline, tt.want) {
			t.Errorf("every %v: %s %q\nwant degraded %q…", tt.every, v.Kind.Key(), v.Headline, tt.want)
		}
		api := svc(t, v, "api")
		if len(api.Facts) == 0 || !strings.Contains(strings.Join(api.Facts, "\n"), strings.TrimPrefix(tt.want, "Unstable: ")) {
			t.Errorf("every %v: API facts %q, want the window named as in the banner", tt.every, api.Facts)
		}
	}
}

// TestInWindow: none older than the horizon, the newest always (it is what
// the target says while its next probe waits), no limit at 0, and the
// canaries keep theirs.
func TestInWindow(t *testing.T) {
	mk := func(tg probe.Target, agos ...time.Duration) []probe.Result {
		var rs []probe.Result
		for _, a := range agos {
			rs = append(rs, probe.Result{Target: tg, Time: now.Add(-a), Class: probe.ClassOK})
		}
		return rs
	}
	m := time.Minute
	for _, tt := range []struct {
		name    string
		rs      []probe.Result
		horizon time.Duration
		want    int
	}{
		{"within", mk(probe.TargetAPI, 50*time.Second, 30*time.Second, 10*time.Second), m, 3},
		{"on the horizon counts", mk(probe.TargetAPI, m, 10*time.Second), m, 2},
		{"older drop", mk(probe.TargetAPI, 5*m, 2*m, 10*time.Second), m, 1},
		{"the newest however old", mk(probe.TargetAPIKey, 5*m, 3*m), m, 1},
		{"no limit", mk(probe.TargetAPI, 5*m, 2*m, 10*time.Second), 0, 3},
		{"canaries keep theirs", mk(probe.ModelTarget("claude-sonnet-4-5"), 30*m, 15*m), m, 2},
		{"none", nil, m, 0},
	} {
		var tg probe.Target
		if len(tt.rs) > 0 {
			tg = tt.rs[0].Target
		}
		if got := InWindow(tg, tt.rs, now, tt.horizon); len(got) != tt.want {
			t.Errorf("%s: %d results, want %d", tt.name, len(got), tt.want)
		}
	}
}

// TestDetectorWindowIsRecent: the detector's "unstable" is the banner's
// rule over the banner's window. The key probe flapping every 5 s opens an
// unstable incident; when it then answers, probed 30 s apart (waiting out
// a Retry-After), the flapping ages out of the last minute and the
// incident closes when the banner lets go — not while twelve results still
// reach back into it.
func TestDetectorWindowIsRecent(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return now }, Horizon: Horizon(5*time.Second, 5*time.Second)})
	at := now.Add(-5 * time.Minute)
	opened := false
	for i := range 12 {
		_, r := apiResults([]string{"529", "ok", "529", "ok", "ok", "529"}[i%6], true)
		r.Time, at = at, at.Add(5*time.Second)
		d.Observe(probe.Event{Result: r})
		for _, l := range d.Open() {
			opened = opened || l.Unstable
		}
	}
	if !opened {
		t.Fatal("flapping every 5 s opened no unstable incident")
	}
	for range 3 {
		_, r := apiResults("ok", true)
		at = at.Add(30 * time.Second)
		r.Time = at
		d.Observe(probe.Event{Result: r})
	}
	if open := d.Open(); len(open) != 0 {
		t.Errorf("still open after the key answered for 90 s: %s", open[0].Title())
	}
}

// TestUnstableNamesWhichProbes: when one of the API's two probes goes up and
// down while the other answers, the count says whose it is — "7 of 12 Claude
// API probes" counted the keyless probe's while the probes with the key had
// failed 5 (cold walk of Dec 7) — and both add up when both flap.
func TestUnstableNamesWhichProbes(t *testing.T) {
	pattern := []string{"529", "ok", "529", "ok", "ok", "529"}
	for _, tt := range []struct {
		name               string
		keylessOK, keyedOK bool
		want               string
	}{
		{"the keyless probe flaps", false, true, "Unstable: 6 of 12 Claude API probes without a key in the last minute failed (529 overloaded)."},
		{"the probe with the key flaps", true, false, "Unstable: 6 of 12 Claude API probes with your key in the last minute failed (529 overloaded)."},
		{"both flap", false, false, "Unstable: 12 of 24 Claude API probes with and without your key in the last minute failed (529 overloaded)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
			var reach, key []probe.Result
			for i := range 12 {
				r, k := apiResults(pattern[i%len(pattern)], true)
				okR, okK := apiResults("ok", true)
				if tt.keylessOK {
					r = okR
				}
				if tt.keyedOK {
					k = okK
				}
				r.Time = now.Add(-time.Duration(12-i) * 5 * time.Second)
				k.Time = r.Time
				reach, key = append(reach, r), append(key, k)
			}
			in.Recent[probe.TargetAPI], in.Recent[probe.TargetAPIKey] = reach, key
			v := Judge(in)
			if v.Kind != probe.VerdictDegraded || v.Headline != tt.want {
				t.Errorf("%s %q\nwant degraded %q", v.Kind.Key(), v.Headline, tt.want)
			}
			if facts := strings.Join(svc(t, v, "api").Facts, "\n"); !strings.Contains(facts, strings.TrimSuffix(strings.TrimPrefix(tt.want, "Unstable: "), ".")) {
				t.Errorf("API facts %q, want the count named as in the banner", facts)
			}
		})
	}
}

// TestUnstableSaysEveryKindCounted (tmux, Dec 7): after a maintenance's
// 503s the API flapped with 529s, and "16 of 24 … failed (529 overloaded)"
// counted the 503s as 529s. The count names the other kinds, as before or
// beside the kind named.
func TestUnstableSaysEveryKindCounted(t *testing.T) {
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	pattern := []string{"500", "500", "ok", "500", "ok", "529", "ok", "529", "ok", "529", "ok", "529"}
	var reach, key []probe.Result
	for i, p := range pattern {
		r, k := apiResults(p, true)
		r.Time = now.Add(-time.Duration(12-i) * 5 * time.Second)
		k.Time = r.Time
		reach, key = append(reach, r), append(key, k)
	}
	in.Recent[probe.TargetAPI], in.Recent[probe.TargetAPIKey] = reach, key
	v := Judge(in)
	want := "Unstable: 14 of 24 Claude API probes with and without your key in the last minute failed (529 overloaded; before, 500 server error)."
	if v.Headline != want {
		t.Errorf("headline %q\nwant     %q", v.Headline, want)
	}
	key[len(key)-1], _ = apiResults("500", true) // the key's newest failure is a 500: not all before
	key[len(key)-1].Target, key[len(key)-1].Time = probe.TargetAPIKey, now.Add(-5*time.Second)
	in.Recent[probe.TargetAPIKey] = key
	if v := Judge(in); !strings.Contains(v.Headline, "(529 overloaded; also 500 server error)") {
		t.Errorf("with a 500 among the newest: %q", v.Headline)
	}
}
