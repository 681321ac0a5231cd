// Package fakeupstream is a local stand-in for Anthropic's three upstreams —
// the status page (Atlassian Statuspage v2), the Claude API and claude.ai —
// speaking their real wire formats (shared/reference/anthropic-formats.md),
// for tests, end-to-end runs and manual sessions in a terminal.
//
// One Handler serves all three on one origin, so --status-url, --api-url and
// --claude-url all point at the same base URL:
//
//	GET  /api/v2/summary.json, status.json, incidents.json,
//	     scheduled-maintenances/upcoming.json, scheduled-maintenances/active.json
//	GET  /v1/models                 Claude API (x-api-key or Authorization: Bearer)
//	GET  /                          claude.ai front page
//	GET  /_fake/mode                {"mode": "...", "delay": "4s"}
//	POST /_fake/mode?name=M[&delay=D]  switch mode at run time
//
// What each Mode serves:
//
//	mode            status page                      /v1/models with a key          without a key   claude.ai
//	operational     all operational                  200 models + rate-limit hdrs   401 required    200
//	major_outage    partial/major outage, incident   529 overloaded_error           529             503
//	unacknowledged  all operational                  529 overloaded_error           529             200
//	invalid_key     all operational                  401 invalid x-api-key          401 required    200
//	credit          all operational                  400 credit balance too low     401 required    200
//	rate_limited    all operational                  429 + retry-after              401 required    200
//	challenge       200 HTML "Just a moment..."      200                            401 required    403 challenge
//	server_error    all operational                  500 api_error                  500             200
//	slow            as operational, every response delayed (SetDelay, default 4s)
//	hang            every request blocks until its context ends
//	maintenance     API under_maintenance, active + upcoming maintenance; API and claude.ai as operational
//
// Leaving major_outage resolves its incident: incidents.json then lists it
// with resolved_at, next to older resolved incidents every mode serves.
// Status-page JSON carries an ETag and answers If-None-Match with 304.
package fakeupstream

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mode is the scenario the fake plays.
type Mode string

// The modes; see the package comment for what each serves.
const (
	ModeOperational    Mode = "operational"
	ModeMajorOutage    Mode = "major_outage"
	ModeUnacknowledged Mode = "unacknowledged"
	ModeInvalidKey     Mode = "invalid_key"
	ModeCredit         Mode = "credit"
	ModeRateLimited    Mode = "rate_limited"
	ModeChallenge      Mode = "challenge"
	ModeServerError    Mode = "server_error"
	ModeSlow           Mode = "slow"
	ModeHang           Mode = "hang"
	ModeMaintenance    Mode = "maintenance"
)

// Modes lists every mode.
func Modes() []Mode {
	return []Mode{ModeOperational, ModeMajorOutage, ModeUnacknowledged, ModeInvalidKey, ModeCredit,
		ModeRateLimited, ModeChallenge, ModeServerError, ModeSlow, ModeHang, ModeMaintenance}
}

// ParseMode accepts a mode's name.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes() {
		if string(m) == s {
			return m, nil
		}
	}
	names := make([]string, 0, len(Modes()))
	for _, m := range Modes() {
		names = append(names, string(m))
	}
	return "", fmt.Errorf("unknown mode %q (want one of %s)", s, strings.Join(names, ", "))
}

// DefaultDelay is how long ModeSlow delays each response unless SetDelay says
// otherwise.
const DefaultDelay = 4 * time.Second

// Handler serves the three fake upstreams. It is safe for concurrent use.
type Handler struct {
	mux  *http.ServeMux
	stop chan struct{} // closed by Close: releases hanging and sleeping requests
	once sync.Once

	mu          sync.Mutex
	mode        Mode
	delay       time.Duration
	now         func() time.Time
	epoch       time.Time // when the mode was set
	outageEnded time.Time // when major_outage was last left
	requests    map[string]int
	reqSeq      uint64
}

// NewHandler returns a handler playing mode.
func NewHandler(mode Mode) *Handler {
	h := &Handler{
		mux:      http.NewServeMux(),
		stop:     make(chan struct{}),
		mode:     mode,
		delay:    DefaultDelay,
		now:      time.Now,
		requests: make(map[string]int),
	}
	h.epoch = h.now()
	h.mux.HandleFunc("GET /api/v2/summary.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "status": p.status, "components": p.components,
			"incidents": nonNil(p.unresolved), "scheduled_maintenances": nonNil(append(append([]spIncident{}, p.active...), p.upcoming...))}
	}))
	h.mux.HandleFunc("GET /api/v2/status.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "status": p.status}
	}))
	h.mux.HandleFunc("GET /api/v2/components.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "components": p.components}
	}))
	h.mux.HandleFunc("GET /api/v2/incidents.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "incidents": nonNil(p.history)}
	}))
	h.mux.HandleFunc("GET /api/v2/incidents/unresolved.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "incidents": nonNil(p.unresolved)}
	}))
	h.mux.HandleFunc("GET /api/v2/scheduled-maintenances/upcoming.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "scheduled_maintenances": nonNil(p.upcoming)}
	}))
	h.mux.HandleFunc("GET /api/v2/scheduled-maintenances/active.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "scheduled_maintenances": nonNil(p.active)}
	}))
	h.mux.HandleFunc("GET /v1/models", h.models)
	h.mux.HandleFunc("/v1/", h.apiNotFound)
	h.mux.HandleFunc("GET /{$}", h.claudeAI)
	h.mux.HandleFunc("/_fake/mode", h.control)
	return h
}

func nonNil(s []spIncident) []spIncident {
	if s == nil {
		return []spIncident{}
	}
	return s
}

// SetMode switches the scenario for every request that arrives from now on.
// Leaving ModeMajorOutage resolves its incident.
func (h *Handler) SetMode(m Mode) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m == h.mode {
		return
	}
	now := h.now()
	switch {
	case h.mode == ModeMajorOutage:
		h.outageEnded = now
	case m == ModeMajorOutage:
		h.outageEnded = time.Time{}
	}
	h.mode = m
	h.epoch = now
}

// Mode returns the current scenario.
func (h *Handler) Mode() Mode {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.mode
}

// SetDelay sets how long ModeSlow delays each response.
func (h *Handler) SetDelay(d time.Duration) {
	h.mu.Lock()
	h.delay = d
	h.mu.Unlock()
}

// SetClock replaces the clock the status page's timestamps derive from, and
// restarts the current mode at its "now" (for reproducible bodies in tests).
func (h *Handler) SetClock(now func() time.Time) {
	h.mu.Lock()
	h.now = now
	h.epoch = now()
	h.mu.Unlock()
}

// Requests returns how many requests arrived for the path (control requests
// under /_fake/ are not counted).
func (h *Handler) Requests(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests[path]
}

// RequestCounts returns a copy of the per-path request counts.
func (h *Handler) RequestCounts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := make(map[string]int, len(h.requests))
	for k, v := range h.requests {
		m[k] = v
	}
	return m
}

// Close releases every request held by ModeHang or ModeSlow, so that a
// server in front of the handler can shut down. The handler keeps serving.
func (h *Handler) Close() { h.once.Do(func() { close(h.stop) }) }

// ServeHTTP counts the request, applies the slow and hang modes, then serves.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		h.mux.ServeHTTP(w, r)
		return
	}
	h.mu.Lock()
	h.requests[r.URL.Path]++
	mode, delay := h.mode, h.delay
	h.mu.Unlock()

	switch mode {
	case ModeHang:
		select {
		case <-r.Context().Done():
		case <-h.stop:
		}
		return
	case ModeSlow:
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return
		case <-h.stop:
			return
		case <-t.C:
		}
	}
	h.mux.ServeHTTP(w, r)
}

// page renders the status page for the current mode.
func (h *Handler) page() (Mode, pageState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.mode, buildPage(h.mode, h.epoch, h.outageEnded)
}

// statusJSON serves one Statuspage endpoint with an ETag, or the HTML
// challenge in ModeChallenge.
func (h *Handler) statusJSON(shape func(pageState) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mode, p := h.page()
		if mode == ModeChallenge {
			challenge(w, http.StatusOK, "status.claude.com")
			return
		}
		body, err := json.Marshal(shape(p))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "max-age=0, private, must-revalidate")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}
}

// etagMatch implements If-None-Match's weak comparison over a list.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// challenge writes a Cloudflare-style interstitial, the body real clients
// get from a WAF instead of JSON or the app.
func challenge(w http.ResponseWriter, code int, zone string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Server", "cloudflare")
	w.Header().Set("Cf-Mitigated", "challenge")
	w.Header().Set("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate")
	w.WriteHeader(code)
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>`+
		`<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">`+
		`<meta name="viewport" content="width=device-width,initial-scale=1"></head><body><div class="main-wrapper" role="main">`+
		`<div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>`+
		`</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "%s",cType: 'managed'};}());</script></body></html>`, zone)
}

// claudeAI serves claude.ai's front page.
func (h *Handler) claudeAI(w http.ResponseWriter, r *http.Request) {
	switch h.Mode() {
	case ModeChallenge:
		challenge(w, http.StatusForbidden, "claude.ai")
		return
	case ModeMajorOutage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Claude</title></head><body><h1>Claude is temporarily unavailable</h1><p>Please try again in a few minutes.</p></body></html>")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Claude</title></head>`+
		`<body><div id="root">Talk with Claude, an AI assistant from Anthropic</div></body></html>`)
}

// requestID returns a fresh id shaped like Anthropic's (req_011C + 20).
func (h *Handler) requestID() string {
	h.mu.Lock()
	h.reqSeq++
	n := h.reqSeq
	h.mu.Unlock()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := []byte("req_011CFake0000000000000000")
	for i := len(b) - 1; n > 0 && i >= len("req_011CFake"); i-- {
		b[i] = alphabet[n%62]
		n /= 62
	}
	return string(b)
}

// apiError writes Anthropic's error envelope with a request-id header.
func (h *Handler) apiError(w http.ResponseWriter, code int, typ, msg string) {
	id := h.requestID()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", id)
	w.Header().Set("x-should-retry", strconv.FormatBool(code == 429 || code >= 500))
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{
		"type":       "error",
		"error":      map[string]string{"type": typ, "message": msg},
		"request_id": id,
	})
}

func (h *Handler) apiNotFound(w http.ResponseWriter, r *http.Request) {
	h.apiError(w, http.StatusNotFound, "not_found_error", "Not Found")
}

// models serves GET /v1/models.
func (h *Handler) models(w http.ResponseWriter, r *http.Request) {
	mode := h.Mode()
	switch mode {
	case ModeMajorOutage, ModeUnacknowledged:
		h.apiError(w, 529, "overloaded_error", "Overloaded")
		return
	case ModeServerError:
		h.apiError(w, http.StatusInternalServerError, "api_error", "Internal server error")
		return
	}

	key := r.Header.Get("x-api-key")
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	bearer = strings.TrimSpace(bearer)
	if key == "" && (!hasBearer || bearer == "") {
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "x-api-key header is required")
		return
	}
	if key == "" && strings.HasPrefix(bearer, "sk-ant-oat01-") &&
		!strings.Contains(r.Header.Get("anthropic-beta"), "oauth-2025-04-20") {
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "OAuth authentication is currently not supported.")
		return
	}
	switch mode {
	case ModeInvalidKey:
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return
	case ModeCredit:
		h.apiError(w, http.StatusBadRequest, "invalid_request_error",
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.")
		return
	case ModeRateLimited:
		h.rateLimitHeaders(w, 0)
		w.Header().Set("retry-after", "30")
		h.apiError(w, http.StatusTooManyRequests, "rate_limit_error",
			"This request would exceed your account's rate limit. Please try again later.")
		return
	}
	if r.Header.Get("anthropic-version") == "" {
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
		return
	}

	h.rateLimitHeaders(w, 999)
	w.Header().Set("request-id", h.requestID())
	w.Header().Set("anthropic-organization-id", "00000000-0000-4000-8000-00000000fa4e")
	w.Header().Set("Content-Type", "application/json")
	models := []map[string]string{
		{"type": "model", "id": "claude-opus-4-1-20250805", "display_name": "Claude Opus 4.1", "created_at": "2025-08-05T00:00:00Z"},
		{"type": "model", "id": "claude-sonnet-4-20250514", "display_name": "Claude Sonnet 4", "created_at": "2025-05-22T00:00:00Z"},
		{"type": "model", "id": "claude-3-5-haiku-20241022", "display_name": "Claude Haiku 3.5", "created_at": "2024-10-22T00:00:00Z"},
	}
	json.NewEncoder(w).Encode(map[string]any{
		"data": models, "has_more": false,
		"first_id": models[0]["id"], "last_id": models[len(models)-1]["id"],
	})
}

// rateLimitHeaders sets the anthropic-ratelimit-* family.
func (h *Handler) rateLimitHeaders(w http.ResponseWriter, remaining int) {
	h.mu.Lock()
	reset := h.now().UTC().Add(time.Minute).Truncate(time.Second).Format(time.RFC3339)
	h.mu.Unlock()
	set := func(kind string, limit, rem int) {
		w.Header().Set("anthropic-ratelimit-"+kind+"-limit", strconv.Itoa(limit))
		w.Header().Set("anthropic-ratelimit-"+kind+"-remaining", strconv.Itoa(rem))
		w.Header().Set("anthropic-ratelimit-"+kind+"-reset", reset)
	}
	set("requests", 1000, remaining)
	tokRem := 0
	if remaining > 0 {
		tokRem = 96000
	}
	set("tokens", 96000, tokRem)
	set("input-tokens", 80000, min(tokRem, 80000))
	set("output-tokens", 16000, min(tokRem, 16000))
}

// control serves /_fake/mode.
func (h *Handler) control(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		if name := r.URL.Query().Get("name"); name != "" {
			m, err := ParseMode(name)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			h.SetMode(m)
		}
		if ds := r.URL.Query().Get("delay"); ds != "" {
			d, err := time.ParseDuration(ds)
			if err != nil || d < 0 {
				http.Error(w, fmt.Sprintf("bad delay %q", ds), http.StatusBadRequest)
				return
			}
			h.SetDelay(d)
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.mu.Lock()
	state := map[string]string{"mode": string(h.mode), "delay": h.delay.String()}
	h.mu.Unlock()
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(state)
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

// Server is a Handler on an httptest server, for tests.
type Server struct {
	*Handler
	// URL is the base URL of all three upstreams (no trailing slash).
	URL string
	srv *httptest.Server
}

// New starts a fake upstream on a loopback port, playing mode.
func New(mode Mode) *Server {
	h := NewHandler(mode)
	srv := httptest.NewServer(h)
	return &Server{Handler: h, URL: srv.URL, srv: srv}
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close releases held requests and shuts the server down.
func (s *Server) Close() {
	s.Handler.Close()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// ListenLoopback listens on addr, refusing any address that is not a
// loopback one: the fake has no business being reachable from the network.
// An empty host (":8787") is refused too, since it means every interface.
func ListenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	if host != "localhost" {
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("address %q is not loopback: use 127.0.0.1, [::1] or localhost", addr)
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	// "localhost" may resolve to something else on an odd resolver: check
	// what we actually bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("address %q bound %s, which is not loopback", addr, tcp.IP)
	}
	return ln, nil
}
