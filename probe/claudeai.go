package probe

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"
)

// ClaudeAIProber checks that the claude.ai front page answers. Any answer
// that is not a 5xx counts: claude.ai often greets a non-browser with a
// Cloudflare challenge, which proves the site is up, not that it is down.
type ClaudeAIProber struct {
	HTTP      *HTTPProber
	BaseURL   string // e.g. https://claude.ai
	Timeout   time.Duration
	SlowAfter time.Duration // latency budget; 0 means DefaultSlowAfter, < 0 never slow
}

// NewClaudeAIProber probes {baseURL}/ with hp.
func NewClaudeAIProber(baseURL string, hp *HTTPProber) *ClaudeAIProber {
	return &ClaudeAIProber{HTTP: hp, BaseURL: baseURL}
}

// Probe fetches the front page once.
func (p *ClaudeAIProber) Probe(ctx context.Context) Result {
	res := Result{Target: TargetClaudeAI, Time: time.Now()}
	ctx, cancel, timeout := probeContext(ctx, p.Timeout)
	defer cancel()
	u := strings.TrimRight(p.BaseURL, "/") + "/"
	r := p.HTTP.Get(ctx, u, http.Header{"Accept": {"text/html,application/xhtml+xml,*/*;q=0.8"}})
	res.HTTPStatus = r.Status
	res.Phases = r.Phases
	res.RequestID = Line(r.Header.Get("cf-ray"), 100)
	// A body that breaks off counts as a network failure even after a
	// status line: the page did not arrive.
	if r.Err != nil {
		transportResult(ctx, &res, r.Err, hostOf(u), timeout)
		return res
	}
	switch {
	case isCloudflareChallenge(r):
		res.Detail = "challenge"
		res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter, "reachable (Cloudflare challenge page)")
	case r.Status == http.StatusTooManyRequests:
		res.Class, res.ErrorType = ClassRateLimited, "rate_limited"
		res.RateLimit = ParseRateLimit(r.Header)
		res.Message = "claude.ai answered " + StatusText(r.Status)
	case r.Status >= 500:
		res.Class, res.ErrorType = ClassServer, StatusErrorType(r.Status)
		res.Message = "claude.ai answered " + StatusText(r.Status) + htmlNote(r.Body)
	default:
		res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter, "reachable ("+StatusText(r.Status)+")")
	}
	if res.Detail != "challenge" && !fromAnthropic(r, nil) && (r.Status >= 400 || notClaudePage(r.Body)) {
		// Not claude.ai's own answer, nor its CDN's: a filter, proxy or
		// portal on the way. It says nothing about claude.ai.
		if res.Class.Up() {
			res.Class = ClassUnexpected
		}
		res.ErrorType = ErrNotAnthropic
		// Who answered first, then what: "claude.ai answered …, not
		// claude.ai" contradicted itself.
		res.Message = "a filter, proxy or portal on the way" + server(r.Header) + " answered " + StatusText(r.Status) + " instead of claude.ai"
		if t := htmlTitle(r.Body); t != "" {
			res.Message += ", with a page titled \"" + t + "\""
		}
	}
	res.Message = Line(res.Message, 200)
	return res
}

// notClaudePage reports whether a page that answered 200 in claude.ai's
// place names itself as something else: its title neither Claude's nor
// Anthropic's ("Hotel WiFi - Please log in", a captive portal's). Only with
// Cloudflare's marks missing as well is it taken for someone else's: a page
// without a title says nothing either way.
func notClaudePage(body []byte) bool {
	t := strings.ToLower(htmlTitle(body))
	return t != "" && !strings.Contains(t, "claude") && !strings.Contains(t, "anthropic")
}

// htmlTitle is an HTML page's <title>, sanitised, "" when none.
func htmlTitle(body []byte) string {
	lower := bytes.ToLower(body)
	i := bytes.Index(lower, []byte("<title>"))
	if i < 0 {
		return ""
	}
	rest := body[i+len("<title>"):]
	j := bytes.Index(bytes.ToLower(rest), []byte("</title>"))
	if j < 0 {
		return ""
	}
	return Line(string(rest[:j]), 80)
}

// isCloudflareChallenge recognises Cloudflare's managed challenge: the
// cf-mitigated header, or the "Just a moment..." interstitial, on a 403 or
// 503 (a 503 challenge is Cloudflare asking for a browser, not an outage).
func isCloudflareChallenge(r HTTPResponse) bool {
	if r.Status != http.StatusForbidden && r.Status != http.StatusServiceUnavailable && r.Status != http.StatusOK {
		return false
	}
	if strings.EqualFold(r.Header.Get("cf-mitigated"), "challenge") {
		return true
	}
	return bytes.Contains(r.Body, []byte("Just a moment...")) ||
		bytes.Contains(r.Body, []byte("_cf_chl_opt"))
}
