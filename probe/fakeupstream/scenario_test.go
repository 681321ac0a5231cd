package fakeupstream

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// try is get without failing on a transport error.
func try(s *Server, base, path string, hdr ...string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		return nil, nil, err
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// A short wait for the headers tells a hang quickly; the body gets a
	// generous limit, since reading 2 MiB on a loaded machine under -race
	// can take longer than a hang needs to show.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, ResponseHeaderTimeout: 300 * time.Millisecond}, Timeout: 20 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 2<<20))
	return resp, b, err
}

func TestStatusStatesThatServeNoPage(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	for _, tc := range []struct {
		st    StatusState
		check func(resp *http.Response, b []byte, err error) string
	}{
		{StatusHang, func(_ *http.Response, _ []byte, err error) string {
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), "timeout") {
				return "want a client timeout"
			}
			return ""
		}},
		{StatusReset, func(_ *http.Response, _ []byte, err error) string {
			if !errors.Is(err, syscall.ECONNRESET) && (err == nil || !strings.Contains(err.Error(), "EOF")) {
				return "want a reset connection"
			}
			return ""
		}},
		{Status503, func(r *http.Response, b []byte, err error) string {
			if err != nil || r.StatusCode != 503 || !strings.Contains(string(b), "could not be satisfied") {
				return "want CloudFront's 503 page"
			}
			return ""
		}},
		{StatusChallenge, func(r *http.Response, b []byte, err error) string {
			if err != nil || r.StatusCode != 200 || !strings.Contains(string(b), "Just a moment...") {
				return "want a 200 challenge"
			}
			return ""
		}},
		{StatusGarbage, func(r *http.Response, b []byte, err error) string {
			if err != nil || r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				return "want a 200 claiming JSON"
			}
			var v summary
			if decodeErr := jsonUnmarshal(b, &v); decodeErr == nil {
				return "garbage decoded"
			}
			return ""
		}},
		{StatusHuge, func(r *http.Response, b []byte, err error) string {
			if err != nil || r.StatusCode != 200 || r.ContentLength != hugeSize || len(b) < 2<<20 {
				return "want a 64 MiB body (read 2 MiB of it)"
			}
			return ""
		}},
	} {
		s.SetMode(ModeOperational)
		s.SetScenario(Scenario{Status: tc.st})
		resp, b, err := try(s, s.StatusURL, "/api/v2/summary.json")
		if msg := tc.check(resp, b, err); msg != "" {
			t.Errorf("%s: %s (err %v)", tc.st, msg, err)
		}
		// The others keep answering on the same origin.
		if r, _, err := try(s, s.APIURL, "/v1/models"); err != nil || r.StatusCode != 401 {
			t.Errorf("%s: the API stopped answering: %v", tc.st, err)
		}
	}
}

func TestStatusStatesThatServeOddPages(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()

	s.SetScenario(Scenario{Status: StatusForeignGitHub})
	_, b := get(t, s, "/api/v2/summary.json")
	v := decode[summary](t, b)
	if v.Page.ID != GitHubPageID || v.Page.Name != "GitHub" || len(v.Incidents) != 1 {
		t.Errorf("github page: %+v", v.Page)
	}
	for _, c := range v.Components {
		if c.ID == ComponentAPI || c.ID == ComponentClaudeAI {
			t.Errorf("github page lists Claude's component %s", c.ID)
		}
	}
	s.SetScenario(Scenario{Status: StatusForeignHashiCorp})
	_, b = get(t, s, "/api/v2/summary.json")
	if v := decode[summary](t, b); v.Page.ID != HashiCorpPageID || v.Status.Indicator != "minor" {
		t.Errorf("hashicorp page: %+v %+v", v.Page, v.Status)
	}

	s.SetScenario(Scenario{Status: StatusNoIndicator})
	_, b = get(t, s, "/api/v2/summary.json")
	if strings.Contains(string(b), `"status":{`) || !strings.Contains(string(b), ComponentAPI) {
		t.Errorf("summary without status: %.200s", b)
	}

	s.SetScenario(Scenario{Status: StatusNoIncidentsFeed})
	if resp, _ := get(t, s, "/api/v2/incidents.json"); resp.StatusCode != 404 {
		t.Errorf("incidents.json: %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, s, "/api/v2/summary.json"); resp.StatusCode != 200 {
		t.Errorf("summary.json: %d, want 200", resp.StatusCode)
	}

	s.SetScenario(Scenario{Status: StatusOldMaintenance})
	_, b = get(t, s, "/api/v2/scheduled-maintenances/upcoming.json")
	var up struct {
		Maintenances []incident `json:"scheduled_maintenances"`
	}
	if err := jsonUnmarshal(b, &up); err != nil || len(up.Maintenances) != 1 || !strings.HasPrefix(*up.Maintenances[0].ScheduledFor, "2015-") || up.Maintenances[0].Status != "scheduled" {
		t.Errorf("old maintenance: %s", b)
	}

	for _, st := range []StatusState{StatusDegraded, StatusPartial} {
		s.SetScenario(Scenario{Status: st})
		_, b = get(t, s, "/api/v2/summary.json")
		v := decode[summary](t, b)
		want := map[StatusState]string{StatusDegraded: "degraded_performance", StatusPartial: "partial_outage"}[st]
		if componentStatus(v)[ComponentAPI] != want || len(v.Incidents) != 1 || v.Status.Indicator != "minor" {
			t.Errorf("%s: %+v", st, v)
		}
	}
	// Leaving the partial outage resolves its incident.
	s.SetScenario(Scenario{Status: StatusOperational})
	_, b = get(t, s, "/api/v2/incidents.json")
	if !strings.Contains(string(b), PartialIncidentID) || !strings.Contains(string(b), `"status":"resolved"`) {
		t.Errorf("resolved partial incident missing: %.300s", b)
	}
}

func TestAPIStates(t *testing.T) {
	key := []string{"x-api-key", "sk-ant-api03-test", "anthropic-version", "2023-06-01"}
	s := New(ModeOperational)
	defer s.Close()
	for _, tc := range []struct {
		st          APIState
		keyed, bare int    // status with and without a credential
		body        string // in the keyed answer
	}{
		{APIOK, 200, 401, `"data"`},
		{API529, 529, 529, "overloaded_error"},
		{API500, 500, 500, "api_error"},
		{API502, 502, 502, "Cloudflare Ray ID"},
		{API503, 503, 503, "upstream connect error"},
		{API504, 504, 504, "timeout_error"},
		{API401, 401, 401, "invalid x-api-key"},
		{API403, 403, 401, "permission_error"},
		{API429, 429, 401, "rate_limit_error"},
		{APICredit, 400, 401, "Plans & Billing"},
		{APIDisabled, 400, 401, "This organization has been disabled."},
		{APIProxy407, 407, 407, "Cache Access Denied"},
		{APIGatewayHTML, 502, 502, "nginx"},
		{APIModels404, 404, 404, `"detail"`},
		{APIGatewayOK, 200, 401, `"data"`},
		{APIGateway529, 529, 401, "AnthropicException"},
		{APIGatewayEnvoy, 500, 500, "reset reason: connection failure"},
		{APIGatewayKey, 401, 401, "Invalid proxy server token passed."},
	} {
		s.SetScenario(Scenario{API: tc.st})
		r, b, err := try(s, s.APIURL, "/v1/models", key...)
		if err != nil || r.StatusCode != tc.keyed || !strings.Contains(string(b), tc.body) {
			t.Errorf("%s keyed: %v %v %.120s", tc.st, err, r, b)
		}
		if r, b, err := try(s, s.APIURL, "/v1/models"); err != nil || r.StatusCode != tc.bare {
			t.Errorf("%s without key: %v %v", tc.st, err, r)
		} else if (tc.st == APIGatewayOK || tc.st == APIGateway529 || tc.st == APIGatewayKey) && (!strings.Contains(string(b), "No api key passed in.") || r.Header.Get("request-id") != "") {
			t.Errorf("%s without key: not the gateway's own 401: %v %.120s", tc.st, r.Header, b)
		}
		if (tc.st == APIGatewayHTML || tc.st == APIGatewayEnvoy) && (r.Header.Get("request-id") != "" || r.Header.Get("cf-ray") != "") {
			t.Errorf("a gateway's page carries Anthropic's headers: %v", r.Header)
		}
	}
	for _, st := range []APIState{APITimeout, APIReset} {
		s.SetScenario(Scenario{API: st})
		if _, _, err := try(s, s.APIURL, "/v1/models", key...); err == nil {
			t.Errorf("%s: answered", st)
		}
		if r, _, err := try(s, s.StatusURL, "/api/v2/summary.json"); err != nil || r.StatusCode != 200 {
			t.Errorf("%s: the status page stopped answering: %v", st, err)
		}
	}
}

func TestCredentials(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	v := []string{"anthropic-version", "2023-06-01"}
	with := func(h ...string) int {
		r, _, err := try(s, s.APIURL, "/v1/models", append(h, v...)...)
		if err != nil {
			t.Fatal(err)
		}
		return r.StatusCode
	}
	if c := with("x-api-key", "sk-ant-oat01-abc"); c != 401 {
		t.Errorf("OAuth token as x-api-key: %d, want 401", c)
	}
	if c := with("Authorization", "Bearer sk-ant-oat01-abc", "anthropic-beta", "oauth-2025-04-20"); c != 200 {
		t.Errorf("OAuth token with the beta header: %d, want 200", c)
	}
	s.SetAccepted("sk-ant-api03-good")
	if c := with("x-api-key", "sk-ant-api03-good"); c != 200 {
		t.Errorf("accepted key: %d", c)
	}
	if c := with("x-api-key", "sk-ant-api03-other"); c != 401 {
		t.Errorf("other key: %d", c)
	}
	if c := with("Authorization", "Bearer tok-bad"); c != 401 {
		t.Errorf("other token: %d", c)
	}
	s.SetAccepted()
	if c := with("x-api-key", "sk-ant-api03-other"); c != 200 {
		t.Errorf("any key once the list is cleared: %d", c)
	}
}

func TestFlapAlternatesOnTheClock(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	s.SetFlap(2 * time.Second)
	s.SetScenario(Scenario{API: APIFlap})
	var got []int
	for i := 0; i < 6; i++ {
		r, _, err := try(s, s.APIURL, "/v1/models")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.StatusCode)
		now = now.Add(time.Second)
	}
	want := []int{401, 401, 529, 529, 401, 401}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("flap: %v, want %v", got, want)
		}
	}
}

func TestClaudeStates(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	for _, tc := range []struct {
		st   ClaudeState
		code int
		body string
	}{
		{ClaudeOK, 200, "Talk with Claude"},
		{Claude500, 500, "Internal Server Error"},
		{Claude503, 503, "temporarily unavailable"},
		{ClaudeChallenge, 403, "Just a moment..."},
		{ClaudeBlock, 403, "Website blocked"},
		{Claude429, 429, "Too many requests"},
	} {
		s.SetScenario(Scenario{Claude: tc.st})
		r, b, err := try(s, s.ClaudeURL, "/")
		if err != nil || r.StatusCode != tc.code || !strings.Contains(string(b), tc.body) {
			t.Errorf("%s: %v %v %.100s", tc.st, err, r, b)
		}
	}
	for _, st := range []ClaudeState{ClaudeTimeout, ClaudeReset, ClaudeRefused} {
		s.SetScenario(Scenario{Claude: st})
		if _, _, err := try(s, s.ClaudeURL, "/"); err == nil {
			t.Errorf("%s: answered", st)
		}
	}
}

func TestRefusedNeedsItsOwnListener(t *testing.T) {
	s := NewSplit(ModeOperational)
	defer s.Close()
	if s.APIURL == s.StatusURL || s.ClaudeURL == s.StatusURL {
		t.Fatalf("not split: %s %s %s", s.StatusURL, s.APIURL, s.ClaudeURL)
	}
	s.SetScenario(Scenario{API: APIRefused, Claude: ClaudeRefused})
	for _, base := range []string{s.APIURL, s.ClaudeURL} {
		_, _, err := try(s, base, "/v1/models")
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%s: %v, want connection refused", base, err)
		}
	}
	if r, _, err := try(s, s.StatusURL, "/api/v2/summary.json"); err != nil || r.StatusCode != 200 {
		t.Errorf("status page while the others refuse: %v", err)
	}
	// Back on the same port.
	s.SetMode(ModeOperational)
	if r, _, err := try(s, s.APIURL, "/v1/models"); err != nil || r.StatusCode != 401 {
		t.Errorf("API after refusing: %v %v", r, err)
	}

	// On one shared listener, refused is a reset: the others still answer.
	one := New(ModeOperational)
	defer one.Close()
	one.SetScenario(Scenario{API: APIRefused})
	if _, _, err := try(one, one.URL, "/v1/models"); err == nil {
		t.Error("shared listener: the refusing API answered")
	}
	if r, _, err := try(one, one.URL, "/"); err != nil || r.StatusCode != 200 {
		t.Errorf("shared listener: claude.ai stopped answering: %v", err)
	}
}

func TestControlSetsStatesAndRejectsBadOnes(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	post := func(q string) int {
		r, err := s.Client().Post(s.URL+"/_fake/mode?"+q, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if c := post("status=challenge&api=reset&claude=block&flap=1s&accept=k1"); c != 200 {
		t.Fatalf("post: %d", c)
	}
	if sc := s.Scenario(); sc != (Scenario{StatusChallenge, APIReset, ClaudeBlock}) {
		t.Errorf("scenario %+v", sc)
	}
	for _, q := range []string{"status=bogus", "api=418", "claude=down", "flap=0s", "name=major_outage&api=nope"} {
		if c := post(q); c != 400 {
			t.Errorf("%s: %d, want 400", q, c)
		}
	}
	if sc := s.Scenario(); sc.API != APIReset {
		t.Errorf("a rejected request changed the scenario: %+v", sc)
	}
	post("name=operational")
	if sc := s.Scenario(); sc != scenarioOf(ModeOperational) {
		t.Errorf("a mode clears the overrides: %+v", sc)
	}
}

func TestParseStates(t *testing.T) {
	for _, st := range StatusStates() {
		if got, err := ParseStatusState(string(st)); err != nil || got != st {
			t.Errorf("%s: %v", st, err)
		}
	}
	for _, st := range APIStates() {
		if got, err := ParseAPIState(string(st)); err != nil || got != st {
			t.Errorf("%s: %v", st, err)
		}
	}
	for _, st := range ClaudeStates() {
		if got, err := ParseClaudeState(string(st)); err != nil || got != st {
			t.Errorf("%s: %v", st, err)
		}
	}
	if _, err := ParseAPIState("teapot"); err == nil || !strings.Contains(err.Error(), "proxy_407") {
		t.Errorf("error should list the states: %v", err)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
