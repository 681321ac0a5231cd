package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCodeUsageRejectionOutlivesSilence: once the usage call's 401 said
// Claude Code's login is rejected, an answer that says nothing of the
// login (429, 5xx) keeps that rejection, at its own time, while the same
// token is sent; an answer that authenticated it, or a new token, ends it.
// Found in the tmux hand test: 401 then 429 turned the login check from
// "rejected: run /login" to "✔ valid for 23 h" and the verdict to All clear.
func TestCodeUsageRejectionOutlivesSilence(t *testing.T) {
	var mu sync.Mutex
	status := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		s := status
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s)
		switch s {
		case 200:
			fmt.Fprint(w, `{"five_hour":{"utilization":61,"resets_at":"2026-03-04T14:00:00Z"}}`)
		case 401:
			fmt.Fprint(w, `{"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired."}}`)
		case 403:
			fmt.Fprint(w, `{"type":"error","error":{"type":"permission_error","message":"OAuth token does not meet scope requirement user:profile"}}`)
		default:
			fmt.Fprint(w, `{"type":"error","error":{"type":"api_error","message":"busy"}}`)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	login := func(tok string) {
		body := fmt.Sprintf(`{"claudeAiOauth":{"accessToken":%q,"expiresAt":%d}}`, tok, time.Now().Add(24*time.Hour).UnixMilli())
		if err := os.WriteFile(filepath.Join(dir, ".credentials.json"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	clock := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	p := &CodeUsageProber{APIURL: srv.URL, ConfigDir: dir, GOOS: "linux", Timeout: 2 * time.Second,
		Now: func() time.Time { return clock }, memory: new(loginMemory)}
	steps := []struct {
		token      string // "" keeps the last
		status     int
		rejected   bool
		rejectedAt int // minute of the rejection shown
	}{
		{"sk-ant-oat01-first", 401, true, 0},
		{"", 429, true, 0},
		{"", 503, true, 0},
		{"", 529, true, 0},
		{"", 200, false, 0},
		{"", 429, false, 0},
		{"", 401, true, 6},
		{"sk-ant-oat01-second", 429, false, 0}, // a new /login
		{"", 401, true, 8},
		{"", 403, false, 0}, // authenticated, lacks a scope
		{"", 500, false, 0},
	}
	for i, s := range steps {
		clock = time.Date(2026, 3, 4, 12, i, 0, 0, time.UTC)
		if s.token != "" {
			login(s.token)
		}
		mu.Lock()
		status = s.status
		mu.Unlock()
		u := p.Probe(context.Background())
		if u.Rejected != s.rejected {
			t.Fatalf("step %d (%d): rejected %v, want %v: %+v", i, s.status, u.Rejected, s.rejected, u)
		}
		if s.rejected && u.Time.Minute() != s.rejectedAt {
			t.Errorf("step %d (%d): rejection dated %s, want 12:%02d", i, s.status, u.Time.Format("15:04"), s.rejectedAt)
		}
		if strings.Contains(fmt.Sprintf("%+v", u), "oat01") {
			t.Errorf("step %d: the token reached the answer", i)
		}
	}
}
