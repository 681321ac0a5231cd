package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// How one target's recent probes are weighed (evidence.go: classify,
// watch, readPage), through Judge: the edges mutation testing
// (.ci/mutation judge:evidence.go) found no test holding.

// apiSeq is a fresh operational page, claude.ai answering, and the API's
// reachability probes, oldest first, one every 10 s up to now: U answers,
// S answers slowly, F 529 overloaded, E 500 server error, N times out
// after connecting.
func apiSeq(seq string, recover int) Input {
	st, reads := page("operational")
	in := Input{Now: now, StaleAfter: staleAfter, Status: st, Recover: recover, Local: local("none", "ok"),
		Recent: map[probe.Target][]probe.Result{probe.TargetStatus: reads}}
	for i, c := range seq {
		var r probe.Result
		switch c {
		case 'U':
			r = res(probe.TargetAPI, probe.ClassOK, 401, "", "API answers (401 without key, as expected)")
		case 'S':
			r = res(probe.TargetAPI, probe.ClassSlow, 401, "", "API answers slowly (401 without key, as expected)")
		case 'F':
			r = res(probe.TargetAPI, probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded")
		case 'E':
			r = res(probe.TargetAPI, probe.ClassServer, 500, "api_error", "500 api_error: Internal server error")
		case 'N':
			r = res(probe.TargetAPI, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
		default:
			panic("apiSeq " + string(c))
		}
		r.Time = now.Add(-time.Duration(len(seq)-i) * 10 * time.Second)
		web := claudeResult("ok")
		web.Time = r.Time
		in.Recent[probe.TargetAPI] = append(in.Recent[probe.TargetAPI], r)
		in.Recent[probe.TargetClaudeAI] = append(in.Recent[probe.TargetClaudeAI], web)
	}
	return in
}

func apiVerdict(v probe.Verdict) probe.ServiceVerdict {
	for _, sv := range v.Services {
		if sv.Service.Key == "api" {
			return sv
		}
	}
	return probe.ServiceVerdict{}
}

// TestWatchWeighsTheWindow: recovery takes --recover-threshold successes in
// a row (default 2), slow means slow in at least half the answers, and
// "Unstable" needs turns that are still going on.
func TestWatchWeighsTheWindow(t *testing.T) {
	for _, tt := range []struct {
		name    string
		seq     string
		recover int
		kind    probe.VerdictKind
		says    string
	}{
		// Not yet a recovery, and not "failing from here" beside a fresh
		// success either (cold5 D24).
		{"one success after failures is not yet a recovery", "UUFFFU", 0, probe.VerdictUnacknowledged, "not yet acknowledged: Claude API answering again after 529 overloaded (recovering: the newest probe succeeded; all clear after 2 in a row) while the status page shows it operational."},
		{"two successes in a row are (the default)", "UUFFFUU", 0, probe.VerdictOperational, "All clear"},
		{"--recover-threshold 1: one success is", "UUFFFU", 1, probe.VerdictOperational, "All clear"},
		{"--recover-threshold 3: two are not", "UUFFFUU", 3, probe.VerdictUnacknowledged, "not yet acknowledged"},
		{"--recover-threshold 3: three are", "UUFFFUUU", 3, probe.VerdictOperational, "All clear"},
		{"slow in exactly half the answers is slow", "USUSUSUSUSUS", 0, probe.VerdictDegraded, "Claude API slow from here"},
		{"one slow answer in twelve is not", "UUUUUUUUUUUS", 0, probe.VerdictOperational, "All clear"},
		{"turns that stopped, failing steadily now, are a failure, not unstable", "UFUFUFFFFFFF", 0, probe.VerdictUnacknowledged, "not yet acknowledged: Claude API failing from here (529 overloaded)"},
		{"two failures among the turns are enough to be unstable", "UUUUUUFUFUUU", 0, probe.VerdictDegraded, "Unstable: 2 of 12 Claude API probes in the last 2 min failed (529 overloaded)"},
		{"two answers among the failures are enough to be unstable", "FFFFUFUFUFFU", 0, probe.VerdictDegraded, "Unstable: 8 of 12 Claude API probes in the last 2 min failed (529 overloaded)"},
		// Failing two times in three, in the newest half too: failing,
		// with answers now and then — not Degraded (cold walk of Dec 7).
		{"mostly failing is failing", "FFFFFFUFUFFF", 0, probe.VerdictUnacknowledged, "Claude API failing from here most of the time (10 of 12 probes in the last 2 min failed: 529 overloaded) while the status page shows it operational"},
		// Each failing class once: the most severe names the failures,
		// with its status, even when its one result is the window's oldest;
		// the others are said beside it, so the count is not read as all
		// of one kind.
		{"the status of the class named is its own, the oldest result too", "FUEUUUUUNUUU", 0, probe.VerdictDegraded, "Unstable: 3 of 12 Claude API probes in the last 2 min failed (529 overloaded; also 500 server error and network)."},
		// Cold5 D5: timeouts that ended, then 529s taking turns with
		// answers: the failures in progress are named first, the old ones
		// as before them.
		{"the failures in progress are named", "NNNNNUFUFUFU", 0, probe.VerdictDegraded, "Unstable: 8 of 12 Claude API probes in the last 2 min failed (529 overloaded; before, network)."},
		// Older than the window: the thirteenth result back does not count.
		{"the window is the last twelve", "FFFFFFFFFFFFFUUUUUUUUUUUU", 0, probe.VerdictOperational, "All clear"},
	} {
		v := Judge(apiSeq(tt.seq, tt.recover))
		if v.Kind != tt.kind || !strings.Contains(v.Headline, tt.says) {
			t.Errorf("%s (%s, recover %d): %s %q\nwant %s saying %q", tt.name, tt.seq, tt.recover, v.Kind.Key(), v.Headline, tt.kind.Key(), tt.says)
		}
	}
}

// TestWatchNamesTheWorseClassOnATie: as many 500s as 529s are said as the
// 529s, the more severe, whatever order a map hands the classes out in.
func TestWatchNamesTheWorseClassOnATie(t *testing.T) {
	for range 40 {
		v := Judge(apiSeq("UUFUEUFUEUFE", 0))
		if !strings.Contains(v.Headline, "Unstable: 6 of 12 Claude API probes in the last 2 min failed (529 overloaded; also 500 server error).") {
			t.Fatalf("headline %q, want the 529s named", v.Headline)
		}
	}
}

// TestClassifyWhoseFault: a timeout is the server's when the exchange got
// past connecting (and the TLS handshake, on https), the path's otherwise;
// an HTML or non-JSON 200 from the API is someone else's page on the path,
// whichever of the two API probes got it.
func TestClassifyWhoseFault(t *testing.T) {
	phases := func(connect, tls time.Duration) probe.Phases {
		return probe.Phases{DNS: time.Millisecond, Connect: connect, TLS: tls, Total: 2 * time.Second}
	}
	timeout := func(p probe.Phases) probe.Result {
		r := res(probe.TargetAPI, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
		r.Phases = p
		return r
	}
	okReach := res(probe.TargetAPI, probe.ClassOK, 401, "", "API answers (401 without key, as expected)")
	portal := res(probe.TargetAPI, probe.ClassUnexpected, 200, "html", "200 OK with a browser challenge page, not API JSON")
	keyNotJSON := res(probe.TargetAPIKey, probe.ClassUnexpected, 200, "not_json", "200 OK with a body that is not JSON, not API JSON")
	for _, tt := range []struct {
		name     string
		apiURL   string
		reach    probe.Result
		key      *probe.Result
		kind     probe.VerdictKind
		says     string
		notSaid  string
		keyTyped bool
	}{
		{"plain http, timed out before connecting", "http://127.0.0.1:8787", timeout(phases(0, 0)), nil, probe.VerdictUnreachable, "Claude API unreachable through the gateway at --api-url / ANTHROPIC_BASE_URL (http://127.0.0.1:8787): timed out after 2s, before connecting", "after connecting", false},
		// Neither is Anthropic's host, nor a firewall before it, blamed:
		// the gateway the user set never took the connection (issue 19).
		{"plain http, timed out before connecting, not Anthropic", "http://127.0.0.1:8787", timeout(phases(0, 0)), nil, probe.VerdictUnreachable, "the gateway did not take the connection", "Anthropic or a firewall", false},
		{"https gateway, timed out in the TLS handshake", "https://llm.gateway.example", timeout(phases(time.Millisecond, 0)), nil, probe.VerdictUnreachable, "timed out after 2s, in the TLS handshake", "before connecting", false},
		// The server at a URL the user set took the connection: the
		// gateway's failure, said with "after connecting" (issue 19).
		{"plain http, timed out after connecting", "http://127.0.0.1:8787", timeout(phases(time.Millisecond, 0)), nil, probe.VerdictUnreachable, "timed out after 2s, after connecting", "unreachable from here", false},
		{"https, connected, timed out in the TLS handshake", "https://api.anthropic.com", timeout(phases(time.Millisecond, 0)), nil, probe.VerdictUnreachable, "Claude API unreachable from here", "after connecting", false},
		{"https, timed out after the handshake", "https://api.anthropic.com", timeout(phases(time.Millisecond, 3*time.Millisecond)), nil, probe.VerdictUnacknowledged, "after connecting", "unreachable", false},
		{"an HTML page to the reachability probe, no key set", "https://api.anthropic.com", portal, nil, probe.VerdictLocalNetwork, "not Anthropic", "not yet acknowledged", false},
		{"a non-JSON 200 to the key probe alone", "https://api.anthropic.com", okReach, &keyNotJSON, probe.VerdictLocalNetwork, "not Anthropic", "not yet acknowledged", true},
	} {
		st, reads := page("operational")
		l := local("none", "ok")
		if tt.keyTyped {
			l = local("good", "ok")
		}
		l.APIURL = tt.apiURL
		in := Input{Now: now, StaleAfter: staleAfter, Status: st, Local: l, Recent: map[probe.Target][]probe.Result{probe.TargetStatus: reads}}
		for _, at := range []time.Time{now.Add(-40 * time.Second), now.Add(-10 * time.Second)} {
			r, w := tt.reach, claudeResult("ok")
			r.Time, w.Time = at, at
			in.Recent[probe.TargetAPI] = append(in.Recent[probe.TargetAPI], r)
			in.Recent[probe.TargetClaudeAI] = append(in.Recent[probe.TargetClaudeAI], w)
			if tt.key != nil {
				k := *tt.key
				k.Time = at
				in.Recent[probe.TargetAPIKey] = append(in.Recent[probe.TargetAPIKey], k)
			}
		}
		v := Judge(in)
		if v.Kind != tt.kind || !strings.Contains(v.Headline, tt.says) || strings.Contains(v.Headline, tt.notSaid) {
			t.Errorf("%s: %s %q\nwant %s saying %q, not %q", tt.name, v.Kind.Key(), v.Headline, tt.kind.Key(), tt.says, tt.notSaid)
		}
	}
}

// TestWatchWithoutJudgedResults: a target whose results are all unknown
// (Claude Code not installed) still shows its newest result, and a target
// with no results at all is no verdict and no crash.
func TestWatchWithoutJudgedResults(t *testing.T) {
	in := apiSeq("UU", 0)
	in.Recent[probe.TargetCode] = []probe.Result{
		{Target: probe.TargetCode, Time: now.Add(-40 * time.Second), Class: probe.ClassUnknown, Detail: "not installed"},
		{Target: probe.TargetCode, Time: now.Add(-10 * time.Second), Class: probe.ClassUnknown, Detail: "not installed (newest)"},
	}
	in.Recent[probe.TargetAPIKey] = nil
	v := Judge(in)
	for _, sv := range v.Services {
		if sv.Service.Key == "code" && (sv.Latest == nil || sv.Latest.Detail != "not installed (newest)") {
			t.Errorf("Claude Code's latest: %+v, want the newest unknown result", sv.Latest)
		}
	}
	if v.Kind != probe.VerdictOperational {
		t.Errorf("verdict %s %q", v.Kind.Key(), v.Headline)
	}
	if sv := apiVerdict(v); sv.Latest == nil || sv.Latest.Target != probe.TargetAPI {
		t.Errorf("the API's latest: %+v", sv.Latest)
	}
}

// TestReadPageAges: when the page counts as read, stale or unreadable, and
// since when, at the edges of the stale limit and of the failed reads.
func TestReadPageAges(t *testing.T) {
	snap := func(age time.Duration) *probe.Status {
		st, _ := page("operational")
		c := *st
		c.Fetched = now.Add(-age)
		return &c
	}
	good := func(at time.Time) probe.Result {
		r := res(probe.TargetStatus, probe.ClassOK, 200, "", "All Systems Operational")
		r.Time, r.Detail = at, "none"
		return r
	}
	failed := func(at time.Time, c probe.Class, typ, msg string) probe.Result {
		r := res(probe.TargetStatus, c, 0, typ, msg)
		r.Time = at
		return r
	}
	timeout := func(at time.Time) probe.Result {
		return failed(at, probe.ClassNetwork, probe.NetTimeout, "timed out after 2s")
	}
	t1, t2, t3 := now.Add(-3*time.Minute), now.Add(-2*time.Minute), now.Add(-time.Minute)
	for _, tt := range []struct {
		name       string
		st         *probe.Status
		reads      []probe.Result
		staleAfter time.Duration
		state      probe.OfficialState
		drives     bool
		since      time.Time
		why        string
	}{
		{"read exactly the stale limit ago: still a current fact", snap(staleAfter), []probe.Result{good(now.Add(-staleAfter))}, staleAfter, probe.OfficialFresh, true, time.Time{}, ""},
		{"read just past the stale limit: stale", snap(staleAfter + time.Second), []probe.Result{good(now.Add(-staleAfter - time.Second))}, staleAfter, probe.OfficialStale, false, time.Time{}, ""},
		{"no stale limit: an hour-old read still counts", snap(time.Hour), []probe.Result{good(now.Add(-time.Hour))}, 0, probe.OfficialFresh, true, time.Time{}, ""},
		{"two failed reads after a good one: unreadable since the first", snap(10 * time.Minute), []probe.Result{good(now.Add(-10 * time.Minute)), timeout(t2), timeout(t3)}, staleAfter, probe.OfficialUnreadable, false, t2, "timed out"},
		{"never read, every read failed: since the very first", nil, []probe.Result{timeout(t1), timeout(t2), timeout(t3)}, staleAfter, probe.OfficialUnreadable, false, t1, "timed out"},
		{"a network failure with no type of its own is said so", nil, []probe.Result{failed(t2, probe.ClassNetwork, "", "dial tcp: something odd"), failed(t3, probe.ClassNetwork, "", "dial tcp: something odd")}, staleAfter, probe.OfficialUnreadable, false, t2, "network error"},
	} {
		in := apiSeq("UU", 0)
		in.Status, in.Recent[probe.TargetStatus], in.StaleAfter = tt.st, tt.reads, tt.staleAfter
		o := Judge(in).Official
		if o.State != tt.state || o.Drives != tt.drives || !o.Since.Equal(tt.since) || o.Why != tt.why {
			t.Errorf("%s: state %v drives %v since %v why %q\nwant %v %v %v %q", tt.name, o.State, o.Drives, o.Since, o.Why, tt.state, tt.drives, tt.since, tt.why)
		}
	}
}
