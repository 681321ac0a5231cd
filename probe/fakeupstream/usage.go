package fakeupstream

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// UsageState is what GET /api/oauth/usage answers: the undocumented
// endpoint Claude Code's /usage reads with its OAuth login (reference
// §2.8). It is independent of the API's state, except that the API's own
// outages (529, 500, 504, timeout, reset …) reach it too: it is the same
// host.
type UsageState string

// The usage endpoint's states.
const (
	UsageOK      UsageState = "ok"      // 200: five_hour 61 %, seven_day 22 %, resets in 1h12m and 4 days
	Usage401     UsageState = "401"     // 401 authentication_error: the login is rejected
	UsageScope   UsageState = "scope"   // 403: the token lacks the user:profile scope
	Usage429     UsageState = "429"     // 429 rate_limit_error
	UsageShape   UsageState = "shape"   // 200 with JSON of another shape
	UsageNotJSON UsageState = "notjson" // 200 with an HTML page
	UsagePartial UsageState = "partial" // 200: five_hour 61 % with no reset time, seven_day null
	UsageHuge    UsageState = "huge"    // 200: the usual windows padded past 1 MiB
)

// UsageStates lists every usage endpoint state.
func UsageStates() []UsageState {
	return []UsageState{UsageOK, Usage401, UsageScope, Usage429, UsageShape, UsageNotJSON, UsagePartial, UsageHuge}
}

// ParseUsageState accepts a usage endpoint state's name.
func ParseUsageState(s string) (UsageState, error) { return parseState(s, UsageStates(), "usage") }

// SetUsage sets what /api/oauth/usage answers.
func (h *Handler) SetUsage(s UsageState) {
	h.mu.Lock()
	h.usage = s
	h.mu.Unlock()
}

// Usage is the usage endpoint's state.
func (h *Handler) Usage() UsageState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.usageLocked()
}

func (h *Handler) usageLocked() UsageState {
	if h.usage == "" {
		return UsageOK
	}
	return h.usage
}

// UsageResetsIn is how far ahead the fake's 5-hour window resets.
const UsageResetsIn = time.Hour + 12*time.Minute

// oauthUsage serves GET /api/oauth/usage.
func (h *Handler) oauthUsage(w http.ResponseWriter, r *http.Request) {
	state, accepted := h.apiNow()
	if h.serverFault(w, state) {
		return
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	bearer = strings.TrimSpace(bearer)
	switch {
	case !ok || bearer == "":
		// What the real endpoint answered a call without a login.
		h.apiError(w, http.StatusTooManyRequests, "rate_limit_error", "Rate limited. Please try again later.")
		return
	case !strings.HasPrefix(bearer, "sk-ant-oat01-"),
		len(accepted) > 0 && !slices.Contains(accepted, bearer):
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "Invalid authentication credentials")
		return
	case !strings.Contains(r.Header.Get("anthropic-beta"), "oauth-2025-04-20"):
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "OAuth authentication is currently not supported.")
		return
	}
	switch h.Usage() {
	case Usage401:
		h.apiError(w, http.StatusUnauthorized, "authentication_error", "OAuth token has expired. Please obtain a new token or refresh your existing token.")
		return
	case UsageScope:
		h.apiError(w, http.StatusForbidden, "permission_error", "OAuth token does not meet scope requirement user:profile")
		return
	case Usage429:
		w.Header().Set("retry-after", "60")
		h.apiError(w, http.StatusTooManyRequests, "rate_limit_error", "Rate limited. Please try again later.")
		return
	case UsageShape:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"session":{"used":0.61,"ends":"soon"},"weekly":"22%"}`))
		return
	case UsageNotJSON:
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!DOCTYPE html><html><body>Not here</body></html>"))
		return
	case UsagePartial:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"five_hour":{"utilization":61.0,"resets_at":null},"seven_day":null,"seven_day_opus":{"utilization":null,"resets_at":null}}`))
		return
	case UsageHuge:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"five_hour":{"utilization":61.0,"resets_at":"2026-03-04T14:00:00Z"},"padding":"` + strings.Repeat("x", 1<<20) + `"}`))
		return
	}
	h.mu.Lock()
	now := h.now().UTC()
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", h.requestID())
	json.NewEncoder(w).Encode(map[string]any{
		"five_hour":      map[string]any{"utilization": 61.0, "resets_at": now.Add(UsageResetsIn).Format("2006-01-02T15:04:05.000000-07:00")},
		"seven_day":      map[string]any{"utilization": 22.0, "resets_at": now.Add(4*24*time.Hour + 3*time.Hour).Format("2006-01-02T15:04:05.000000-07:00")},
		"seven_day_opus": nil,
		"extra_usage":    map[string]any{"is_enabled": false, "monthly_limit": nil, "used_credits": nil, "utilization": nil},
	})
}
