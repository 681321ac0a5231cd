package probe

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBaseURLNotFoundIsTheConfiguration (cold5 D34): a 404 at a path every
// Anthropic API serves, under a base URL the user set, is the URL's — the
// verdict "Your configuration", never an outage. A base URL ending in /v1
// asks /v1/v1/…; any other 404 there is likely the URL. A model's own 404
// ("model: …") stays the model's.
func TestBaseURLNotFoundIsTheConfiguration(t *testing.T) {
	const (
		apiNotFound   = `{"type":"error","error":{"type":"not_found_error","message":"Not Found"},"request_id":"req_4"}`
		modelNotFound = `{"type":"error","error":{"type":"not_found_error","message":"model: claude-nope-9"}}`
		htmlNotFound  = `<html><body><h1>404 Not Found</h1></body></html>`
	)
	var mu sync.Mutex
	var paths []string
	body := apiNotFound
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		b := body
		mu.Unlock()
		if strings.HasPrefix(b, "{") {
			w.Header().Set("request-id", "req_4")
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(b))
	})
	ctx := context.Background()
	for _, c := range []struct {
		name, suffix, body, probe string
		errType, says, path       string
	}{
		{"v1 reach", "/v1", apiNotFound, "reach", ErrBaseURLV1, "the API URL ends in /v1, so we asked /v1/v1/models and got 404 Not Found — drop the /v1 from --api-url / ANTHROPIC_BASE_URL", "/v1/v1/models"},
		{"v1/ key", "/v1/", apiNotFound, "key", ErrBaseURLV1, "drop the /v1", "/v1/v1/models"},
		{"V1 key", "/V1", apiNotFound, "key", ErrBaseURLV1, "drop the /v1", "/V1/v1/models"},
		{"v1 canary", "/v1", apiNotFound, "canary", ErrBaseURLV1, "so we asked /v1/v1/messages and got 404 Not Found", "/v1/v1/messages"},
		{"v1 canary, a model's 404", "/v1", modelNotFound, "canary", ErrBaseURLV1, "drop the /v1", "/v1/v1/messages"},
		{"gateway reach", "/gw", apiNotFound, "reach", ErrBaseURL404, "answers 404 Not Found at /v1/models, a path every Anthropic API serves: check --api-url / ANTHROPIC_BASE_URL", "/gw/v1/models"},
		// A web server's own 404 page: still the URL, not "someone in between".
		{"web page reach", "", htmlNotFound, "reach", ErrBaseURL404, "answers 404 Not Found at /v1/models", "/v1/models"},
		{"gateway canary", "/gw", apiNotFound, "canary", ErrBaseURL404, "at /v1/messages", "/gw/v1/messages"},
		{"a model's 404", "", modelNotFound, "canary", "not_found_error", `model "claude-nope-9" does not exist`, "/v1/messages"},
	} {
		t.Run(c.name, func(t *testing.T) {
			mu.Lock()
			body, paths = c.body, nil
			mu.Unlock()
			base := srv.URL + c.suffix
			var res Result
			switch c.probe {
			case "reach":
				res = NewAPIProber(base, testProber()).ProbeReach(ctx)
			case "key":
				p := NewAPIProber(base, testProber())
				p.Credential = Credential{APIKey: "sk-ant-api03-test"}
				res = p.ProbeKey(ctx)
			case "canary":
				p := NewCanaryProber(base, "claude-nope-9", Credential{APIKey: "sk-ant-api03-test"}, testProber())
				p.Timeout = 5 * time.Second
				res = p.Probe(ctx)
			}
			if res.Class != ClassUnexpected || res.ErrorType != c.errType || !strings.Contains(res.Message, c.says) {
				t.Errorf("got %v %q %q\nwant unexpected %q saying %q", res.Class, res.ErrorType, res.Message, c.errType, c.says)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(paths) != 1 || paths[0] != c.path {
				t.Errorf("asked %q, want %q", paths, c.path)
			}
		})
	}
}

func TestUserBaseURL(t *testing.T) {
	for _, c := range []struct {
		url        string
		user, isV1 bool
	}{
		{"https://api.anthropic.com", false, false},
		{"https://api.anthropic.com/", false, false},
		{"HTTPS://API.ANTHROPIC.COM", false, false},
		{"https://api.anthropic.com/v1", true, true},
		{"https://gw.example/anthropic/v1/", true, true},
		{"http://127.0.0.1:4000", true, false},
		{"https://v1", true, false},
		{"https://gw.example/v10", true, false},
	} {
		if got := UserBaseURL(c.url); got != c.user {
			t.Errorf("UserBaseURL(%q) = %v", c.url, got)
		}
		if got := BaseURLEndsInV1(c.url); got != c.isV1 {
			t.Errorf("BaseURLEndsInV1(%q) = %v", c.url, got)
		}
	}
}
