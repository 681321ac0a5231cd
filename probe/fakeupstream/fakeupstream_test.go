package fakeupstream

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The shapes a client decodes, written from the reference, not from the
// fake's own types: if the fake drifts from the wire format these fail.
type summary struct {
	Page struct {
		ID, Name, URL string
		TimeZone      string `json:"time_zone"`
		UpdatedAt     string `json:"updated_at"`
	}
	Status     struct{ Indicator, Description string }
	Components []struct {
		ID, Name, Status string
		Position         int
		Group            bool
		GroupID          *string `json:"group_id"`
	}
	Incidents             []incident
	ScheduledMaintenances []incident `json:"scheduled_maintenances"`
}

type incident struct {
	ID, Name, Status, Impact, Shortlink string
	StartedAt                           string  `json:"started_at"`
	ResolvedAt                          *string `json:"resolved_at"`
	ScheduledFor                        *string `json:"scheduled_for"`
	ScheduledUntil                      *string `json:"scheduled_until"`
	IncidentUpdates                     []struct {
		ID, Status, Body   string
		DisplayAt          string `json:"display_at"`
		AffectedComponents []struct {
			Code, Name string
			NewStatus  string `json:"new_status"`
		} `json:"affected_components"`
	} `json:"incident_updates"`
}

type modelList struct {
	Data []struct {
		ID, Type    string
		DisplayName string `json:"display_name"`
	}
	HasMore bool   `json:"has_more"`
	FirstID string `json:"first_id"`
}

type apiErr struct {
	Type  string `json:"type"`
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	RequestID string `json:"request_id"`
}

func get(t *testing.T, s *Server, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, b)
	}
	return v
}

func componentStatus(s summary) map[string]string {
	m := map[string]string{}
	for _, c := range s.Components {
		m[c.ID] = c.Status
	}
	return m
}

func TestSummaryOperationalSpeaksStatuspageV2(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	resp, b := get(t, s, "/api/v2/summary.json")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var raw map[string]json.RawMessage
	json.Unmarshal(b, &raw)
	for _, k := range []string{"page", "status", "components", "incidents", "scheduled_maintenances"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	sum := decode[summary](t, b)
	if sum.Page.ID != "tymt9n04zgry" || sum.Page.Name != "Claude" || sum.Page.URL != "https://status.claude.com" || sum.Page.TimeZone != "Etc/UTC" {
		t.Errorf("page = %+v", sum.Page)
	}
	if _, err := time.Parse(time.RFC3339Nano, sum.Page.UpdatedAt); err != nil {
		t.Errorf("updated_at: %v", err)
	}
	if sum.Status.Indicator != "none" || sum.Status.Description != "All Systems Operational" {
		t.Errorf("status = %+v", sum.Status)
	}
	want := []struct{ id, name string }{
		{"rwppv331jlwc", "claude.ai"},
		{"0qbwn08sd68x", "Claude Console (platform.claude.com)"},
		{"k8w3r06qmzrp", "Claude API (api.anthropic.com)"},
		{"yyzkbfz2thpt", "Claude Code"},
		{"bpp5gb3hpjcl", "Claude Cowork"},
		{"0scnb50nvy53", "Claude for Government"},
	}
	if len(sum.Components) != len(want) {
		t.Fatalf("%d components, want %d", len(sum.Components), len(want))
	}
	for i, w := range want {
		c := sum.Components[i]
		if c.ID != w.id || c.Name != w.name || c.Position != i+1 || c.Status != "operational" || c.Group || c.GroupID != nil {
			t.Errorf("component %d = %+v, want %s %q", i, c, w.id, w.name)
		}
	}
	if sum.Incidents == nil || len(sum.Incidents) != 0 || len(sum.ScheduledMaintenances) != 0 {
		t.Errorf("incidents %v maintenances %v, want empty arrays", sum.Incidents, sum.ScheduledMaintenances)
	}
	if !strings.Contains(string(b), `"incidents":[]`) {
		t.Error(`empty incidents must be [] as on the real page, not null`)
	}
}

func TestStatusJSONHasOnlyPageAndStatus(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	_, b := get(t, s, "/api/v2/status.json")
	raw := decode[map[string]json.RawMessage](t, b)
	if len(raw) != 2 || raw["page"] == nil || raw["status"] == nil {
		t.Errorf("status.json keys: %s", b)
	}
}

func TestMajorOutage(t *testing.T) {
	s := New(ModeMajorOutage)
	defer s.Close()
	_, b := get(t, s, "/api/v2/summary.json")
	sum := decode[summary](t, b)
	cs := componentStatus(sum)
	if cs[ComponentAPI] != "major_outage" || cs[ComponentClaudeAI] != "partial_outage" || cs[ComponentClaudeCode] != "partial_outage" || cs[ComponentConsole] != "operational" {
		t.Errorf("components = %v", cs)
	}
	if sum.Status.Indicator != "major" {
		t.Errorf("indicator = %q", sum.Status.Indicator)
	}
	if len(sum.Incidents) != 1 {
		t.Fatalf("%d incidents", len(sum.Incidents))
	}
	inc := sum.Incidents[0]
	if inc.ID != "461yvfrzpwtt" || inc.Name != "Elevated errors for multiple models" || inc.Status != "identified" || inc.ResolvedAt != nil {
		t.Errorf("incident = %+v", inc)
	}
	if len(inc.IncidentUpdates) != 2 {
		t.Fatalf("%d updates", len(inc.IncidentUpdates))
	}
	newest, oldest := inc.IncidentUpdates[0], inc.IncidentUpdates[1]
	if newest.Body != "We are continuing to work on a fix for this issue." || oldest.Status != "investigating" {
		t.Errorf("updates not newest first: %+v", inc.IncidentUpdates)
	}
	tn, _ := time.Parse(time.RFC3339Nano, newest.DisplayAt)
	to, _ := time.Parse(time.RFC3339Nano, oldest.DisplayAt)
	if !tn.After(to) {
		t.Errorf("newest update at %v not after oldest at %v", tn, to)
	}
	var codes []string
	for _, a := range newest.AffectedComponents {
		codes = append(codes, a.Code)
	}
	if strings.Join(codes, ",") != "rwppv331jlwc,k8w3r06qmzrp,yyzkbfz2thpt" {
		t.Errorf("affected codes = %v", codes)
	}

	resp, b := get(t, s, "/v1/models", "x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01")
	e := decode[apiErr](t, b)
	if resp.StatusCode != 529 || e.Type != "error" || e.Error.Type != "overloaded_error" || e.Error.Message != "Overloaded" {
		t.Errorf("API in outage: %d %s", resp.StatusCode, b)
	}
	if resp, _ := get(t, s, "/"); resp.StatusCode != 503 {
		t.Errorf("claude.ai in outage: %d", resp.StatusCode)
	}
}

func TestLeavingTheOutageResolvesItsIncident(t *testing.T) {
	s := New(ModeMajorOutage)
	defer s.Close()
	s.SetMode(ModeOperational)
	_, b := get(t, s, "/api/v2/incidents.json")
	body := decode[struct{ Incidents []incident }](t, b)
	if len(body.Incidents) < 3 {
		t.Fatalf("%d incidents, want the resolved outage and the history", len(body.Incidents))
	}
	inc := body.Incidents[0]
	if inc.ID != OutageIncidentID || inc.Status != "resolved" || inc.ResolvedAt == nil || inc.IncidentUpdates[0].Status != "resolved" {
		t.Errorf("first incident = %+v", inc)
	}
	for _, inc := range body.Incidents {
		if inc.Status != "resolved" || inc.ResolvedAt == nil {
			t.Errorf("incident %s: status %q resolved_at %v", inc.ID, inc.Status, inc.ResolvedAt)
		}
		if _, err := time.Parse(time.RFC3339Nano, *inc.ResolvedAt); err != nil {
			t.Error(err)
		}
	}
	_, b = get(t, s, "/api/v2/summary.json")
	if sum := decode[summary](t, b); len(sum.Incidents) != 0 {
		t.Error("resolved incident still in summary.json")
	}
}

func TestIncidentsJSONAlwaysHasResolvedHistory(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	_, b := get(t, s, "/api/v2/incidents.json")
	body := decode[struct{ Incidents []incident }](t, b)
	ids := map[string]bool{}
	for _, inc := range body.Incidents {
		ids[inc.ID] = true
	}
	if !ids["q7txxvbsftgq"] || !ids["vmys9qn874h4"] || ids[OutageIncidentID] {
		t.Errorf("incident ids = %v", ids)
	}
	if !strings.Contains(string(b), `"affected_components":null`) {
		t.Error("no update with affected_components null: clients must meet one")
	}
}

func TestMaintenance(t *testing.T) {
	s := New(ModeMaintenance)
	defer s.Close()
	_, b := get(t, s, "/api/v2/summary.json")
	sum := decode[summary](t, b)
	if componentStatus(sum)[ComponentAPI] != "under_maintenance" || sum.Status.Indicator != "maintenance" {
		t.Errorf("summary: %v %+v", componentStatus(sum), sum.Status)
	}
	if len(sum.ScheduledMaintenances) != 2 {
		t.Errorf("%d maintenances in summary, want active and upcoming", len(sum.ScheduledMaintenances))
	}
	_, b = get(t, s, "/api/v2/scheduled-maintenances/active.json")
	act := decode[struct {
		Maint []incident `json:"scheduled_maintenances"`
	}](t, b)
	if len(act.Maint) != 1 || act.Maint[0].Status != "in_progress" || act.Maint[0].Impact != "maintenance" ||
		act.Maint[0].ScheduledFor == nil || act.Maint[0].ScheduledUntil == nil {
		t.Errorf("active = %s", b)
	}
	_, b = get(t, s, "/api/v2/scheduled-maintenances/upcoming.json")
	up := decode[struct {
		Maint []incident `json:"scheduled_maintenances"`
	}](t, b)
	if len(up.Maint) != 1 || up.Maint[0].Status != "scheduled" {
		t.Errorf("upcoming = %s", b)
	}
}

func TestETagAnswers304UntilTheModeChanges(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	resp, _ := get(t, s, "/api/v2/summary.json")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	resp, b := get(t, s, "/api/v2/summary.json", "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified || len(b) != 0 || resp.Header.Get("ETag") != etag {
		t.Errorf("conditional GET: %d, %d bytes, etag %q", resp.StatusCode, len(b), resp.Header.Get("ETag"))
	}
	resp, _ = get(t, s, "/api/v2/summary.json", "If-None-Match", `"other", W/`+etag)
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("weak etag in a list: %d", resp.StatusCode)
	}
	s.SetMode(ModeMajorOutage)
	resp, _ = get(t, s, "/api/v2/summary.json", "If-None-Match", etag)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Errorf("after mode change: %d, etag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

func TestModelsWithoutCredentialIs401WithAnthropicBody(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	resp, b := get(t, s, "/v1/models")
	if resp.StatusCode != 401 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	e := decode[apiErr](t, b)
	if e.Type != "error" || e.Error.Type != "authentication_error" || e.Error.Message != "x-api-key header is required" {
		t.Errorf("body = %s", b)
	}
	rid := resp.Header.Get("request-id")
	if !strings.HasPrefix(rid, "req_") || rid != e.RequestID {
		t.Errorf("request-id header %q, body %q", rid, e.RequestID)
	}
	_, b2 := get(t, s, "/v1/models")
	if decode[apiErr](t, b2).RequestID == e.RequestID {
		t.Error("request ids repeat")
	}
}

func TestModelsWithCredential(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	for _, hdr := range [][]string{
		{"x-api-key", "sk-ant-api03-test", "anthropic-version", "2023-06-01"},
		{"Authorization", "Bearer some-gateway-token", "anthropic-version", "2023-06-01"},
		{"Authorization", "Bearer sk-ant-oat01-test", "anthropic-beta", "oauth-2025-04-20", "anthropic-version", "2023-06-01"},
	} {
		resp, b := get(t, s, "/v1/models", hdr...)
		if resp.StatusCode != 200 {
			t.Errorf("%v: %d %s", hdr[:2], resp.StatusCode, b)
			continue
		}
		list := decode[modelList](t, b)
		if len(list.Data) == 0 || list.Data[0].Type != "model" || list.FirstID != list.Data[0].ID {
			t.Errorf("models = %s", b)
		}
		for _, h := range []string{"request-id", "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining",
			"anthropic-ratelimit-requests-reset", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-input-tokens-limit"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("missing header %s", h)
			}
		}
		if _, err := time.Parse(time.RFC3339, resp.Header.Get("anthropic-ratelimit-requests-reset")); err != nil {
			t.Error(err)
		}
	}
}

func TestAPIErrorModes(t *testing.T) {
	key := []string{"x-api-key", "sk-ant-api03-test", "anthropic-version", "2023-06-01"}
	tests := []struct {
		mode    Mode
		hdr     []string
		code    int
		typ     string
		message string
	}{
		{ModeInvalidKey, key, 401, "authentication_error", "invalid x-api-key"},
		{ModeInvalidKey, nil, 401, "authentication_error", "x-api-key header is required"},
		{ModeCredit, key, 400, "invalid_request_error", "Your credit balance is too low"},
		{ModeRateLimited, key, 429, "rate_limit_error", "rate limit"},
		{ModeServerError, key, 500, "api_error", "Internal server error"},
		{ModeUnacknowledged, key, 529, "overloaded_error", "Overloaded"},
		{ModeUnacknowledged, nil, 529, "overloaded_error", "Overloaded"},
		{ModeOperational, []string{"x-api-key", "k"}, 400, "invalid_request_error", "anthropic-version"},
		{ModeOperational, []string{"Authorization", "Bearer sk-ant-oat01-x", "anthropic-version", "2023-06-01"}, 401, "authentication_error", "OAuth authentication is currently not supported."},
	}
	s := New(ModeOperational)
	defer s.Close()
	for _, tt := range tests {
		s.SetMode(tt.mode)
		resp, b := get(t, s, "/v1/models", tt.hdr...)
		e := decode[apiErr](t, b)
		if resp.StatusCode != tt.code || e.Type != "error" || e.Error.Type != tt.typ || !strings.Contains(e.Error.Message, tt.message) {
			t.Errorf("%s: %d %s", tt.mode, resp.StatusCode, b)
		}
		if resp.Header.Get("request-id") == "" {
			t.Errorf("%s: no request-id", tt.mode)
		}
		if tt.mode == ModeRateLimited && (resp.Header.Get("retry-after") == "" || resp.Header.Get("anthropic-ratelimit-requests-remaining") != "0") {
			t.Errorf("rate_limited headers: %v", resp.Header)
		}
	}
	s.SetMode(ModeOperational)
	if resp, b := get(t, s, "/v1/messages"); resp.StatusCode != 404 || decode[apiErr](t, b).Error.Type != "not_found_error" {
		t.Errorf("unknown API path: %d %s", resp.StatusCode, b)
	}
}

func TestChallenge(t *testing.T) {
	s := New(ModeChallenge)
	defer s.Close()
	resp, b := get(t, s, "/api/v2/summary.json")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "<title>Just a moment...</title>") {
		t.Errorf("status page: %d %q %.80s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var v summary
	if json.Unmarshal(b, &v) == nil {
		t.Error("challenge page decoded as JSON")
	}
	if resp, b := get(t, s, "/"); resp.StatusCode != 403 || !strings.Contains(string(b), "Just a moment...") {
		t.Errorf("claude.ai: %d", resp.StatusCode)
	}
	if resp, _ := get(t, s, "/v1/models"); resp.StatusCode != 401 {
		t.Errorf("API in challenge mode: %d, want the normal 401", resp.StatusCode)
	}
}

func TestClaudeAIFrontPage(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	resp, b := get(t, s, "/")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "<title>Claude</title>") {
		t.Errorf("claude.ai: %d %s", resp.StatusCode, b)
	}
	if resp, _ := get(t, s, "/nope"); resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
}

func TestSlowDelaysThenServesAndHonoursTheRequestContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := NewHandler(ModeSlow)
		defer h.Close()
		begin := time.Now()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v2/status.json", nil))
		if d := time.Since(begin); d != DefaultDelay || rec.Code != 200 {
			t.Errorf("slow: %d after %v, want 200 after %v", rec.Code, d, DefaultDelay)
		}

		h.SetDelay(time.Minute)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		begin = time.Now()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(ctx, "GET", "/", nil))
		if d := time.Since(begin); d != 5*time.Second {
			t.Errorf("slow request returned after %v, want at its 5s deadline", d)
		}
	})
}

func TestHangBlocksUntilTheContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := NewHandler(ModeHang)
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		begin := time.Now()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(ctx, "GET", "/v1/models", nil))
		if d := time.Since(begin); d != time.Hour {
			t.Errorf("hang returned after %v", d)
		}

		done := make(chan struct{})
		go func() {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
			close(done)
		}()
		synctest.Wait()
		h.Close()
		<-done // Close releases it
	})
}

// hangGuard bounds a wait that only a bug makes long (a Close that waits
// for a request held forever): the test fails instead of running into go
// test's 10-minute limit. It is not a speed limit.
const hangGuard = 30 * time.Second

// waitUntil polls cond until it holds, failing after hangGuard.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(hangGuard); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", hangGuard, what)
		}
	}
}

// TestServerCloseDoesNotWaitForHungRequests: a request held by ModeHang
// is still held when Close starts; Close returns anyway, and the request
// is released.
func TestServerCloseDoesNotWaitForHungRequests(t *testing.T) {
	s := New(ModeHang)
	errc := make(chan error, 1)
	go func() {
		resp, err := s.Client().Get(s.URL + "/v1/models")
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitUntil(t, "the request to arrive", func() bool { return s.Requests("/v1/models") > 0 })
	select {
	case err := <-errc:
		t.Fatalf("ModeHang answered before Close (err %v): nothing was held", err)
	case <-time.After(50 * time.Millisecond):
	}
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(hangGuard):
		t.Fatalf("Close still waits for the held request after %v", hangGuard)
	}
	select {
	case <-errc:
	case <-time.After(hangGuard):
		t.Fatalf("the held request was not released %v after Close", hangGuard)
	}
}

func TestRequestCounts(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	get(t, s, "/api/v2/summary.json")
	get(t, s, "/api/v2/summary.json")
	get(t, s, "/v1/models")
	get(t, s, "/_fake/mode")
	if s.Requests("/api/v2/summary.json") != 2 || s.Requests("/v1/models") != 1 || s.Requests("/") != 0 {
		t.Errorf("counts = %v", s.RequestCounts())
	}
	if _, ok := s.RequestCounts()["/_fake/mode"]; ok {
		t.Error("control requests counted")
	}
}

func TestControlEndpoint(t *testing.T) {
	s := New(ModeOperational)
	defer s.Close()
	post := func(q string) *http.Response {
		resp, err := s.Client().Post(s.URL+"/_fake/mode?"+q, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("name=major_outage&delay=250ms"); resp.StatusCode != 200 {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
	if s.Mode() != ModeMajorOutage {
		t.Errorf("mode = %s", s.Mode())
	}
	_, b := get(t, s, "/_fake/mode")
	st := decode[map[string]string](t, b)
	if st["mode"] != "major_outage" || st["delay"] != "250ms" {
		t.Errorf("GET /_fake/mode = %s", b)
	}
	if resp := post("name=bogus"); resp.StatusCode != 400 {
		t.Errorf("bad mode: %d", resp.StatusCode)
	}
	if resp := post("delay=-1s"); resp.StatusCode != 400 {
		t.Errorf("bad delay: %d", resp.StatusCode)
	}
	// Control still answers while the fake hangs everything else.
	post("name=hang")
	if _, b := get(t, s, "/_fake/mode"); decode[map[string]string](t, b)["mode"] != "hang" {
		t.Error("control blocked in hang mode")
	}
}

func TestParseMode(t *testing.T) {
	for _, m := range Modes() {
		if got, err := ParseMode(string(m)); err != nil || got != m {
			t.Errorf("ParseMode(%q) = %q, %v", m, got, err)
		}
	}
	if _, err := ParseMode("down"); err == nil || !strings.Contains(err.Error(), "operational") {
		t.Errorf("ParseMode(down) error = %v", err)
	}
}

func TestBodiesAreStableWithinAMode(t *testing.T) {
	h := NewHandler(ModeMajorOutage)
	at := time.Date(2026, 9, 3, 14, 6, 4, 0, time.UTC)
	h.SetClock(func() time.Time { return at })
	serve := func() string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v2/summary.json", nil))
		return rec.Body.String()
	}
	first := serve()
	at = at.Add(time.Hour)
	if serve() != first {
		t.Error("summary changed without a mode change")
	}
	if !strings.Contains(first, `"started_at":"2026-09-03T13:26:04.000Z"`) {
		t.Errorf("timestamps not relative to the mode's start: %.300s", first)
	}
}

func TestListenLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0"} {
		ln, err := ListenLoopback(addr)
		if err != nil {
			if addr == "[::1]:0" {
				continue // no IPv6 here
			}
			t.Errorf("%s: %v", addr, err)
			continue
		}
		ln.Close()
	}
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "10.1.2.3:0", "example.com:0", "127.0.0.1"} {
		if ln, err := ListenLoopback(addr); err == nil {
			ln.Close()
			t.Errorf("%s accepted", addr)
		}
	}
}
