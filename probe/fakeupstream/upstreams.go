package fakeupstream

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (h *Handler) routes() {
	h.mux.HandleFunc("GET /api/v2/summary.json", h.statusJSON(func(p pageState) any {
		m := map[string]any{"page": p.page, "status": p.status, "components": p.components,
			"incidents": nonNil(p.unresolved), "scheduled_maintenances": nonNil(append(append([]spIncident{}, p.active...), p.upcoming...))}
		if p.noStatus {
			delete(m, "status")
		}
		return m
	}))
	h.mux.HandleFunc("GET /api/v2/status.json", h.statusJSON(func(p pageState) any {
		if p.noStatus {
			return map[string]any{"page": p.page}
		}
		return map[string]any{"page": p.page, "status": p.status}
	}))
	h.mux.HandleFunc("GET /api/v2/components.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "components": p.components}
	}))
	h.mux.HandleFunc("GET /api/v2/incidents.json", h.feed(func(p pageState) any {
		return map[string]any{"page": p.page, "incidents": nonNil(p.history)}
	}))
	h.mux.HandleFunc("GET /api/v2/incidents/unresolved.json", h.feed(func(p pageState) any {
		return map[string]any{"page": p.page, "incidents": nonNil(p.unresolved)}
	}))
	h.mux.HandleFunc("GET /api/v2/scheduled-maintenances/upcoming.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "scheduled_maintenances": nonNil(p.upcoming)}
	}))
	h.mux.HandleFunc("GET /api/v2/scheduled-maintenances/active.json", h.statusJSON(func(p pageState) any {
		return map[string]any{"page": p.page, "scheduled_maintenances": nonNil(p.active)}
	}))
	h.mux.HandleFunc("GET /v1/models", h.models)
	h.mux.HandleFunc("POST /v1/messages", h.messages)
	h.mux.HandleFunc("GET /api/oauth/usage", h.oauthUsage)
	h.mux.HandleFunc("/v1/", h.apiNotFound)
	h.mux.HandleFunc("GET /{$}", h.claudeAI)
	h.mux.HandleFunc("/_fake/mode", h.control)
}

func nonNil(s []spIncident) []spIncident {
	if s == nil {
		return []spIncident{}
	}
	return s
}

// page renders the status page for the current state.
func (h *Handler) page() pageState {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.scenarioLocked().Status
	switch st {
	case StatusForeignGitHub:
		return githubPage(h.epoch)
	case StatusForeignHashiCorp:
		return hashicorpPage(h.epoch)
	}
	return buildPage(st, h.epoch, h.outageEnded, h.outageKind)
}

// feed serves an incidents list, or the 404 of a page without one.
func (h *Handler) feed(shape func(pageState) any) http.HandlerFunc {
	serve := h.statusJSON(shape)
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Scenario().Status == StatusNoIncidentsFeed {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>The page you were looking for doesn't exist.</h1></body></html>")
			return
		}
		serve(w, r)
	}
}

// statusJSON serves one Statuspage endpoint with an ETag.
func (h *Handler) statusJSON(shape func(pageState) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := json.Marshal(shape(h.page()))
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

// --- answers that are not the upstream's own ---------------------------------

// reset aborts the connection with a TCP RST before any answer.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: the stream is reset
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST, not FIN
	}
	conn.Close()
}

// challenge writes a Cloudflare-style interstitial, the body real clients
// get from a WAF instead of JSON or the app.
func challenge(w http.ResponseWriter, code int, zone string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Server", "cloudflare")
	w.Header().Set("Cf-Mitigated", "challenge")
	w.Header().Set("Cf-Ray", "8f1c2d3e4a5b6c7d-FRA")
	w.Header().Set("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate")
	w.WriteHeader(code)
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>`+
		`<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">`+
		`<meta name="viewport" content="width=device-width,initial-scale=1"></head><body><div class="main-wrapper" role="main">`+
		`<div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>`+
		`</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "%s",cType: 'managed'};}());</script></body></html>`, zone)
}

// cloudFront503 is the error page CloudFront serves when its origin fails.
func cloudFront503(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Server", "CloudFront")
	w.Header().Set("X-Cache", "Error from cloudfront")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">`+
		`<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1"><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD>`+
		`<BODY><H1>503 ERROR</H1><H2>The request could not be satisfied.</H2><HR noshade size="1px">`+
		`The server is temporarily unable to service your request.</BODY></HTML>`)
}

// garbage is a 200 that claims to be JSON and is not.
func garbage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, `{"page":{"id":"tymt9n04zgry","name":"Claude","url":"https://status.claude.com"},"components":[{"id":"rwppv331jlwc","name":"claude.ai","stat`)
}

// hugeSize is how much huge writes: far past any prober's limit.
const hugeSize = 64 << 20

// huge streams 64 MiB of JSON-looking bytes without holding them, until
// the client stops reading.
func huge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
	chunk := []byte(strings.Repeat(" ", 64<<10))
	copy(chunk, `{"page":{"id":"tymt9n04zgry"},"padding":"`)
	for n := 0; n < hugeSize; n += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// proxyAuthRequired is squid's answer to a client without proxy credentials.
func proxyAuthRequired(w http.ResponseWriter) {
	w.Header().Set("Server", "squid/5.7")
	w.Header().Set("Proxy-Authenticate", `Basic realm="Corporate proxy"`)
	w.Header().Set("X-Squid-Error", "ERR_CACHE_ACCESS_DENIED 0")
	w.Header().Set("Content-Type", "text/html;charset=utf-8")
	w.WriteHeader(http.StatusProxyAuthRequired)
	io.WriteString(w, `<!DOCTYPE html><html><head><title>ERROR: Cache Access Denied</title></head><body>`+
		`<div id="titles"><h1>ERROR</h1><h2>Cache Access Denied.</h2></div><hr>`+
		`<p>Sorry, you are not currently allowed to request this URL from this cache until you have authenticated yourself.</p></body></html>`)
}

// gatewayBadGateway is nginx's own 502 page: a gateway in front of the API
// (ANTHROPIC_BASE_URL) that could not reach its upstream.
func gatewayBadGateway(w http.ResponseWriter) {
	w.Header().Set("Server", "nginx/1.24.0")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n")
}

// LiteLLM's own words: the 401 to a request without its key, and Anthropic's
// 529 as it relays it (its error JSON, the upstream's body inside the
// message, no request-id).
const (
	liteLLMNoKey  = `{"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error","param":"None","code":"401"}}`
	liteLLMBadKey = `{"error":{"message":"Authentication Error, Invalid proxy server token passed. Received API Key = sk-...xxxx, Key Hash (Token) =0f3a. Unable to find token in cache or ` + "`LiteLLM_VerificationTokenTable`" + `","type":"auth_error","param":"None","code":"401"}}`
	liteLLM529    = `{"error":{"message":"litellm.InternalServerError: AnthropicException - {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}. Received Model Group=claude-sonnet-4","type":null,"param":null,"code":"529"}}`
)

// gatewayAnswered answers as a gateway at ANTHROPIC_BASE_URL does in the
// gateway states, and says whether it did: LiteLLM asks a request without
// a key for its own and relays the keyed one (the API's 200, or its 529 in
// LiteLLM's words); Envoy answers its own 500 whatever is asked.
func gatewayAnswered(w http.ResponseWriter, r *http.Request, state APIState) bool {
	switch state {
	case APIGatewayEnvoy:
		envoy500(w)
		return true
	case APIGatewayOK, APIGateway529, APIGatewayKey:
	default:
		return false
	}
	w.Header().Set("Server", "uvicorn")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Header.Get("x-api-key") == "" && r.Header.Get("Authorization") == "":
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, liteLLMNoKey)
	case state == APIGateway529:
		w.WriteHeader(529)
		io.WriteString(w, liteLLM529)
	case state == APIGatewayKey:
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, liteLLMBadKey)
	default:
		return false // relayed: the API's own answer
	}
	return true
}

// envoy500 is a gateway's Envoy answering for itself when its upstream
// connection fails: its own text, Server: envoy, no Anthropic headers.
func envoy500(w http.ResponseWriter) {
	w.Header().Set("Server", "envoy")
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, "upstream connect error or disconnect/reset before headers. reset reason: connection failure")
}

// cloudflare502 is Cloudflare's error page from Anthropic's edge when the
// origin fails: Anthropic's side, though the body is not the API's JSON.
func cloudflare502(w http.ResponseWriter) {
	w.Header().Set("Server", "cloudflare")
	w.Header().Set("Cf-Ray", "8f1c2d3e4a5b6c7e-FRA")
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusBadGateway)
	io.WriteString(w, `<!DOCTYPE html><html><head><title>api.anthropic.com | 502: Bad gateway</title></head>`+
		`<body><div id="cf-error-details"><h1>Bad gateway</h1><span>Error code 502</span>`+
		`<p>The web server reported a bad gateway error.</p><p>Cloudflare Ray ID: <strong>8f1c2d3e4a5b6c7e</strong></p></div></body></html>`)
}

// envoy503 is the text Envoy answers when no upstream host takes the
// request, passed through Anthropic's edge.
func envoy503(w http.ResponseWriter) {
	w.Header().Set("Server", "cloudflare")
	w.Header().Set("Cf-Ray", "8f1c2d3e4a5b6c7f-FRA")
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, "upstream connect error or disconnect/reset before headers. reset reason: connection termination")
}

// --- claude.ai -----------------------------------------------------------------

// claudeAI serves claude.ai's front page.
func (h *Handler) claudeAI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// claude.ai answers through Cloudflare, whatever it answers.
	w.Header().Set("Server", "cloudflare")
	w.Header().Set("Cf-Ray", "8f1c2d3e4a5b6c80-FRA")
	switch h.Scenario().Claude {
	case ClaudeChallenge:
		challenge(w, http.StatusForbidden, "claude.ai")
		return
	case Claude503:
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Claude</title></head><body><h1>Claude is temporarily unavailable</h1><p>Please try again in a few minutes.</p></body></html>")
		return
	case Claude500:
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Claude</title></head><body><h1>Internal Server Error</h1></body></html>")
		return
	case ClaudeBlock:
		w.Header().Del("Cf-Ray")
		w.Header().Set("Server", "Zscaler/6.2")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Website blocked</title></head><body><h1>Website blocked</h1>"+
			"<p>Access to claude.ai is not allowed by your organization's Internet Use Policy (category: Generative AI).</p></body></html>")
		return
	case Claude429:
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Claude</title></head><body><h1>Too many requests</h1></body></html>")
		return
	}
	fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Claude</title></head>`+
		`<body><div id="root">Talk with Claude, an AI assistant from Anthropic</div></body></html>`)
}

// --- the API ---------------------------------------------------------------------

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
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // the API writes "Plans & Billing", not \u0026
	enc.Encode(map[string]any{
		"type":       "error",
		"error":      map[string]string{"type": typ, "message": msg},
		"request_id": id,
	})
}

func (h *Handler) apiNotFound(w http.ResponseWriter, r *http.Request) {
	h.apiError(w, http.StatusNotFound, "not_found_error", "Not Found")
}

// apiNow is the API's state at this moment: APIFlap resolved to its side.
func (h *Handler) apiNow() (APIState, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.scenarioLocked().API
	if s == APIFlap {
		s = APIOK
		if (h.now().Sub(h.epoch)/h.flap)%2 == 1 {
			s = API529
		}
	}
	return s, slices.Clone(h.accepted)
}

// serverFault answers with the API's own error for the states in which it
// fails before reading the request (529, 500, 504), and says whether it did.
func (h *Handler) serverFault(w http.ResponseWriter, state APIState) bool {
	switch state {
	case API529:
		h.apiError(w, 529, "overloaded_error", "Overloaded")
	case API500:
		h.apiError(w, http.StatusInternalServerError, "api_error", "Internal server error")
	case API504:
		h.apiError(w, http.StatusGatewayTimeout, "timeout_error", "Request timed out")
	default:
		return false
	}
	return true
}

// models serves GET /v1/models.
func (h *Handler) models(w http.ResponseWriter, r *http.Request) {
	state, accepted := h.apiNow()
	if h.serverFault(w, state) {
		return
	}
	if state == APIModels404 {
		// A gateway (LiteLLM-like) that passes /v1/messages on but
		// serves no model list: its own 404, not the API's JSON.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"detail":"Not Found"}`+"\n")
		return
	}

	if gatewayAnswered(w, r, state) {
		return
	}
	if h.rejected(w, r, state, accepted) {
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

// rejected answers the errors the API gives a request before it reaches a
// model — a missing or refused credential, the keyed error states, a
// missing anthropic-version — and says whether it did.
func (h *Handler) rejected(w http.ResponseWriter, r *http.Request, state APIState, accepted []string) bool {
	key := r.Header.Get("x-api-key")
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	bearer = strings.TrimSpace(bearer)
	switch {
	case key == "" && (!hasBearer || bearer == ""):
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "x-api-key header is required")
		return true
	case key != "" && strings.HasPrefix(key, "sk-ant-oat01-"):
		// An OAuth token is no API key: x-api-key rejects it like any other.
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return true
	case key == "" && strings.HasPrefix(bearer, "sk-ant-oat01-") &&
		!strings.Contains(r.Header.Get("anthropic-beta"), "oauth-2025-04-20"):
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "OAuth authentication is currently not supported.")
		return true
	case len(accepted) > 0 && key != "" && !slices.Contains(accepted, key):
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return true
	case len(accepted) > 0 && key == "" && !slices.Contains(accepted, bearer):
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "Invalid authentication credentials")
		return true
	}
	switch state {
	case API401:
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return true
	case API403:
		h.apiError(w, http.StatusForbidden, "permission_error", "Your API key does not have permission to use the specified resource.")
		return true
	case APICredit:
		h.apiError(w, http.StatusBadRequest, "invalid_request_error",
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.")
		return true
	case APIDisabled:
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "This organization has been disabled.")
		return true
	case API429:
		h.rateLimitHeaders(w, 0)
		w.Header().Set("retry-after", "30")
		h.apiError(w, http.StatusTooManyRequests, "rate_limit_error",
			"This request would exceed your account's rate limit. Please try again later.")
		return true
	}
	if r.Header.Get("anthropic-version") == "" {
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
		return true
	}

	return false
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
