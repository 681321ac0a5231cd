package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestBare403SaysNeitherSide (cold9 E2): a 403 that says no more than its
// status is refused by someone the text does not name — Anthropic (the
// key's access, where the request came from) or a proxy, firewall or
// gateway on the way — so it is forbidden_unsaid, either side, low
// confidence; never permission_denied at HIGH. A 403 with words or a body
// that say whose is what they say.
func TestBare403SaysNeitherSide(t *testing.T) {
	for _, tc := range []struct {
		text string
		want catalogue.EntryID
		conf catalogue.Confidence
	}{
		{"403 Forbidden", catalogue.EntryForbidden, catalogue.ConfidenceLow},
		{"Error: 403", catalogue.EntryForbidden, catalogue.ConfidenceLow},
		{"HTTP 403", catalogue.EntryForbidden, catalogue.ConfidenceLow},
		{"Request failed with status code 403", catalogue.EntryForbidden, catalogue.ConfidenceLow},
		// https://github.com/wwwzhouhui/Claude2-PyAPI/issues/9 (urllib's words)
		{"HTTP Error 403: Forbidden", catalogue.EntryForbidden, catalogue.ConfidenceLow},
		// https://github.com/jtsang4/claude-to-chatgpt/issues/5 (a region block, seen as a bare page)
		{`<!doctype html><meta charset="utf-8"><meta name=viewport content="width=device-width, initial-scale=1"><title>403</title>403 Forbidden`, catalogue.EntryForbidden, catalogue.ConfidenceLow},
		// Anthropic's own body says whose.
		{`API Error: 403 {"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."},"request_id":"req_011CaHHT41FETT5MSd38E7fq"}`, catalogue.EntryPermission, catalogue.ConfidenceHigh},
		{`403 Forbidden {"type":"error","error":{"type":"permission_error","message":"x"}}`, catalogue.EntryPermission, catalogue.ConfidenceMedium},
		{`API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}`, catalogue.EntryNotAllowed, catalogue.ConfidenceHigh},
		// A proxy's words say it is the proxy's.
		{"OSError('Tunnel connection failed: 403 Forbidden')", catalogue.EntryProxy, catalogue.ConfidenceMedium},
	} {
		d := Diagnose(tc.text)
		if !d.Known() || d.Entry.ID != tc.want || d.Confidence != tc.conf {
			id := catalogue.EntryID("-")
			if d.Known() {
				id = d.Entry.ID
			}
			t.Errorf("%.60q: %s %s (on %q), want %s %s", tc.text, id, d.Confidence, d.Matched, tc.want, tc.conf)
			continue
		}
		if tc.want == catalogue.EntryForbidden && (d.Entry.Side != catalogue.SideEitherSide || d.Status != 403) {
			t.Errorf("%q: side %s, status %d, want either, 403", tc.text, d.Entry.Side, d.Status)
		}
	}

	// The key probe let in: not "came from another credential" as a fact,
	// but another credential or another path, likely.
	e, _ := catalogue.ByID(catalogue.EntryForbidden)
	d := Diagnose("403 Forbidden")
	l := LiveFor(&e, judge.Input{Recent: probetest.Healthy(), Status: probetest.Official(nil), Now: probetest.Now})
	say := Disagreement(d, l)
	if !l.Contradicted || strings.Contains(say, "came from another credential:") || !strings.Contains(say, "likely came with another credential, or over another path") {
		t.Errorf("healthy key: contradicted %v, disagreement %q", l.Contradicted, say)
	}
	// The key probe refused with 403 itself: that is the same failure from
	// here, and its answer says whose.
	recent := probetest.Healthy()
	recent[probe.TargetAPIKey] = []probe.Result{{Target: probe.TargetAPIKey, Time: probetest.Now.Add(-time.Minute), Class: probe.ClassAuth,
		HTTPStatus: 403, ErrorType: "permission_error", Message: "403 permission_error: Your API key does not have permission to use the specified resource."}}
	l = LiveFor(&e, judge.Input{Recent: recent, Status: probetest.Official(nil), Now: probetest.Now})
	if got := strings.Join(l.Lines, "\n"); !l.Confirmed || l.Contradicted || !strings.Contains(got, "got 403 permission_error") {
		t.Errorf("key probe 403: confirmed %v contradicted %v\n%s", l.Confirmed, l.Contradicted, got)
	}
}
