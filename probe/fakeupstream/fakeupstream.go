// Package fakeupstream is a local stand-in for Anthropic's three upstreams —
// the status page (Atlassian Statuspage v2), the Claude API and claude.ai —
// speaking their real wire formats (shared/reference/anthropic-formats.md),
// for tests, end-to-end runs and manual sessions in a terminal.
//
// One Handler serves all three; by default on one origin, so --status-url,
// --api-url and --claude-url all point at the same base URL. NewSplit (and
// the command's -api-addr and -claude-addr) put each upstream on its own
// port, which "refused" needs: nothing listens there while it lasts.
//
//	GET  /api/v2/summary.json, status.json, incidents.json,
//	     scheduled-maintenances/upcoming.json, scheduled-maintenances/active.json
//	GET  /v1/models                 Claude API (x-api-key or Authorization: Bearer)
//	GET  /api/oauth/usage           the plan's utilisation for a Claude Code login (Bearer sk-ant-oat01-…, usage=)
//	GET  /                          claude.ai front page
//	GET  /_fake/mode                {"mode": "...", "status": "...", "api": "...", "claude": "...", …}
//	POST /v1/messages               streaming Messages API (SSE), per-model states (model=ID:STATE), tokens counted
//	POST /_fake/mode?name=M&status=S&api=A&claude=C&usage=U&delay=D&flap=F&accept=K&model=ID:STATE
//	                                switch at run time (every parameter optional; model= repeatable)
//
// A Mode is a named Scenario — what each upstream does:
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
// Setting a mode clears the per-upstream overrides; status=, api= and
// claude= (SetScenario) then override one upstream at a time with any of
// the states in scenario.go: the status page hanging, reset, 503, an HTML
// challenge, garbage JSON, a 64 MiB body, another company's page, a summary
// without its status object, no incidents feed, a maintenance left over from
// 2015; the API at 529, 5xx, 504, timing out, reset, refused, 401, 403, 429,
// out of credit, disabled, a proxy's 407 or a gateway's HTML in its place, or
// flapping between ok and 529; claude.ai at 5xx, behind a challenge or a
// corporate block page, timing out, reset or refused.
//
// Credentials: by default any credential is accepted, except an OAuth token
// (sk-ant-oat01-…) sent as x-api-key (the real API answers "invalid
// x-api-key") or as a Bearer token without the OAuth beta header.
// SetAccepted (accept=, -accept-key) limits the accepted ones to a list, so a
// good key and a bad token can be told apart.
//
// Leaving an outage page (major, partial, degraded) for another readable
// page resolves its incident: incidents.json then lists it with resolved_at,
// next to older resolved incidents every page serves. Status-page JSON
// carries an ETag and answers If-None-Match with 304.
package fakeupstream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
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
	if slices.Contains(Modes(), Mode(s)) {
		return Mode(s), nil
	}
	return "", fmt.Errorf("unknown mode %q (want one of %s)", s, joinStates(Modes()))
}

// DefaultDelay is how long ModeSlow delays each response unless SetDelay says
// otherwise.
const DefaultDelay = 4 * time.Second

// DefaultFlap is how long APIFlap stays on each side unless SetFlap says
// otherwise.
const DefaultFlap = 2 * time.Second

// Handler serves the three fake upstreams. It is safe for concurrent use.
type Handler struct {
	mux  *http.ServeMux
	stop chan struct{} // closed by Close: releases hanging and sleeping requests
	once sync.Once

	mu          sync.Mutex
	mode        Mode
	over        Scenario // per-upstream overrides of the mode's scenario; "" keeps the mode's
	delay       time.Duration
	flap        time.Duration
	accepted    []string   // credentials the API accepts; empty: any
	usage       UsageState // what /api/oauth/usage answers; "": ok
	now         func() time.Time
	epoch       time.Time   // when the scenario was last changed
	outageEnded time.Time   // when an outage page was last left, zero if never
	outageKind  StatusState // the outage page last shown
	requests    map[string]int
	reqSeq      uint64
	endpoints   []*endpoint // listeners to close while their upstreams refuse
	canary      canaryState // POST /v1/messages: per-model states and token counts (messages.go)
}

// NewHandler returns a handler playing mode.
func NewHandler(mode Mode) *Handler {
	h := &Handler{
		mux:      http.NewServeMux(),
		stop:     make(chan struct{}),
		mode:     mode,
		delay:    DefaultDelay,
		flap:     DefaultFlap,
		now:      time.Now,
		requests: make(map[string]int),
	}
	h.epoch = h.now()
	if st := scenarioOf(mode).Status; st.outage() {
		h.outageKind = st
	}
	h.routes()
	return h
}

// Scenario is what each upstream does now: the mode's, with the overrides.
func (h *Handler) Scenario() Scenario {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.scenarioLocked()
}

func (h *Handler) scenarioLocked() Scenario {
	s := scenarioOf(h.mode)
	if h.over.Status != "" {
		s.Status = h.over.Status
	}
	if h.over.API != "" {
		s.API = h.over.API
	}
	if h.over.Claude != "" {
		s.Claude = h.over.Claude
	}
	return s
}

// SetMode switches the scenario for every request that arrives from now on
// and clears the per-upstream overrides.
func (h *Handler) SetMode(m Mode) {
	h.change(func() {
		h.mode = m
		h.over = Scenario{}
	})
}

// SetScenario overrides the mode's scenario for the upstreams whose state
// is not empty in s.
func (h *Handler) SetScenario(s Scenario) {
	h.change(func() {
		if s.Status != "" {
			h.over.Status = s.Status
		}
		if s.API != "" {
			h.over.API = s.API
		}
		if s.Claude != "" {
			h.over.Claude = s.Claude
		}
	})
}

// change applies f under the lock; when the scenario changed it restarts
// the clock of the page's timestamps, resolves or reopens the outage
// incident, and opens or closes the listeners of refusing upstreams.
func (h *Handler) change(f func()) {
	h.mu.Lock()
	before := h.scenarioLocked()
	f()
	after := h.scenarioLocked()
	var eps []*endpoint
	if before != after {
		now := h.now()
		h.epoch = now
		switch {
		case after.Status.outage():
			h.outageEnded, h.outageKind = time.Time{}, after.Status
		case before.Status.outage() && after.Status.readable() && !after.Status.outage():
			h.outageEnded = now
		}
		eps = h.endpoints
	}
	h.mu.Unlock()
	for _, e := range eps {
		e.refuse(e.refusing(after))
	}
}

// Mode returns the current mode.
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

// SetFlap sets how long APIFlap stays ok and then overloaded.
func (h *Handler) SetFlap(d time.Duration) {
	if d <= 0 {
		d = DefaultFlap
	}
	h.mu.Lock()
	h.flap = d
	h.mu.Unlock()
}

// SetAccepted limits the credentials the API accepts to keys (API keys sent
// as x-api-key, tokens sent as Bearer); none means any.
func (h *Handler) SetAccepted(keys ...string) {
	h.mu.Lock()
	h.accepted = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == "" })
	h.mu.Unlock()
}

// SetClock replaces the clock the status page's timestamps derive from, and
// restarts the current scenario at its "now" (for reproducible bodies in
// tests).
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

// Close releases every request held by a hanging state or ModeSlow, so
// that a server in front of the handler can shut down. The handler keeps
// serving.
func (h *Handler) Close() { h.once.Do(func() { close(h.stop) }) }

// upstream names which of the three a request is for, by its path.
func upstreamOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/v2/"):
		return "status"
	case strings.HasPrefix(path, "/v1/"), strings.HasPrefix(path, "/api/oauth/"):
		return "api"
	}
	return "claude"
}

// ServeHTTP counts the request, applies ModeSlow's delay and the failure
// states every path of an upstream shares (hang, reset, refused, another
// server answering), then serves.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		h.mux.ServeHTTP(w, r)
		return
	}
	h.mu.Lock()
	h.requests[r.URL.Path]++
	mode, delay, sc := h.mode, h.delay, h.scenarioLocked()
	h.mu.Unlock()

	if mode == ModeSlow && !h.sleep(r, delay) {
		return
	}
	switch upstreamOf(r.URL.Path) {
	case "status":
		switch sc.Status {
		case StatusHang:
			h.hang(r)
		case StatusReset:
			reset(w)
		case Status503:
			cloudFront503(w)
		case StatusChallenge:
			challenge(w, http.StatusOK, "status.claude.com")
		case StatusGarbage:
			garbage(w)
		case StatusHuge:
			huge(w, r)
		default:
			h.mux.ServeHTTP(w, r)
		}
	case "api":
		switch sc.API {
		case APITimeout:
			h.hang(r)
		case APIReset, APIRefused:
			reset(w) // refused: this listener is shared with an upstream that answers
		case APIProxy407:
			proxyAuthRequired(w)
		case APIGatewayHTML:
			gatewayBadGateway(w)
		case API502:
			cloudflare502(w)
		case API503:
			envoy503(w)
		default:
			h.mux.ServeHTTP(w, r)
		}
	default:
		switch sc.Claude {
		case ClaudeTimeout:
			h.hang(r)
		case ClaudeReset, ClaudeRefused:
			reset(w)
		default:
			h.mux.ServeHTTP(w, r)
		}
	}
}

// hang blocks until the request's context ends or the handler closes.
func (h *Handler) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-h.stop:
	}
}

// sleep waits d, reporting false when the request or the handler ended
// first.
func (h *Handler) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-h.stop:
		return false
	case <-t.C:
		return true
	}
}

// control serves /_fake/mode.
func (h *Handler) control(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		if err := h.applyQuery(r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.mu.Lock()
	sc := h.scenarioLocked()
	state := map[string]string{"mode": string(h.mode), "delay": h.delay.String(), "flap": h.flap.String(),
		"status": string(sc.Status), "api": string(sc.API), "claude": string(sc.Claude), "accepted": strconv.Itoa(len(h.accepted)),
		"usage": string(h.usageLocked()), "models": h.modelStatesLocked()}
	h.mu.Unlock()
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(state)
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

// applyQuery validates every parameter first, so a bad one changes nothing.
func (h *Handler) applyQuery(r *http.Request) error {
	q := r.URL.Query()
	var (
		mode       Mode
		sc         Scenario
		delay, fl  time.Duration
		err        error
		hasDelay   bool
		hasFlap    bool
		hasAccept  bool
		acceptKeys []string
		usage      UsageState
	)
	if name := q.Get("name"); name != "" {
		if mode, err = ParseMode(name); err != nil {
			return err
		}
	}
	if v := q.Get("status"); v != "" {
		if sc.Status, err = ParseStatusState(v); err != nil {
			return err
		}
	}
	if v := q.Get("api"); v != "" {
		if sc.API, err = ParseAPIState(v); err != nil {
			return err
		}
	}
	if v := q.Get("claude"); v != "" {
		if sc.Claude, err = ParseClaudeState(v); err != nil {
			return err
		}
	}
	if v := q.Get("usage"); v != "" {
		if usage, err = ParseUsageState(v); err != nil {
			return err
		}
	}
	if ds := q.Get("delay"); ds != "" {
		if delay, err = time.ParseDuration(ds); err != nil || delay < 0 {
			return fmt.Errorf("bad delay %q", ds)
		}
		hasDelay = true
	}
	if fs := q.Get("flap"); fs != "" {
		if fl, err = time.ParseDuration(fs); err != nil || fl <= 0 {
			return fmt.Errorf("bad flap %q", fs)
		}
		hasFlap = true
	}
	if ks, ok := q["accept"]; ok {
		hasAccept, acceptKeys = true, ks
	}
	models, err := parseModelStates(q["model"])
	if err != nil {
		return err
	}
	if mode != "" {
		h.SetMode(mode)
	}
	h.SetScenario(sc)
	if usage != "" {
		h.SetUsage(usage)
	}
	if hasDelay {
		h.SetDelay(delay)
	}
	if hasFlap {
		h.SetFlap(fl)
	}
	if hasAccept {
		h.SetAccepted(acceptKeys...)
	}
	for m, st := range models {
		h.SetModel(m, st)
	}
	return nil
}
