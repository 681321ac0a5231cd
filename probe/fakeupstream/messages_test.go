package fakeupstream

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func postMessage(t *testing.T, c *http.Client, url, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/v1/messages", strings.NewReader(body))
	req.Header.Set("x-api-key", "sk-ant-api03-test")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestMessagesStream: the SSE events come in the API's order, with the
// usage the fake bills; model= on the control endpoint sets a model's
// state; an unknown model is a 404 not_found_error.
func TestMessagesStream(t *testing.T) {
	h := NewHandler(ModeOperational)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()
	resp, body := postMessage(t, srv.Client(), srv.URL, `{"model":"claude-haiku-4-5","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"ping"}]}`)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var order []string
	for _, line := range strings.Split(body, "\n") {
		if ev, ok := strings.CutPrefix(line, "event: "); ok {
			order = append(order, ev)
		}
	}
	want := "message_start content_block_start ping content_block_delta content_block_stop message_delta message_stop"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("events %s, want %s", got, want)
	}
	in, out := h.Tokens("claude-haiku-4-5")
	if in < 8 || out != 1 || !strings.Contains(body, `"output_tokens":1`) {
		t.Errorf("billed %d+%d; body %s", in, out, body)
	}

	r, err := srv.Client().Post(srv.URL+"/_fake/mode?model=claude-opus-4-5:529&model=claude-sonnet-4-5:stream_error", "", nil)
	if err != nil || r.StatusCode != 200 {
		t.Fatal(err, r.StatusCode)
	}
	r.Body.Close()
	if resp, body := postMessage(t, srv.Client(), srv.URL, `{"model":"claude-opus-4-5","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"ping"}]}`); resp.StatusCode != 529 || !strings.Contains(body, "overloaded_error") {
		t.Errorf("opus: %d %s", resp.StatusCode, body)
	}
	if _, body := postMessage(t, srv.Client(), srv.URL, `{"model":"claude-sonnet-4-5","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"ping"}]}`); !strings.Contains(body, "event: error") {
		t.Errorf("sonnet: %s", body)
	}
	if resp, body := postMessage(t, srv.Client(), srv.URL, `{"model":"claude-nope","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"ping"}]}`); resp.StatusCode != 404 || !strings.Contains(body, `"model: claude-nope"`) {
		t.Errorf("unknown model: %d %s", resp.StatusCode, body)
	}
	if resp, _ := postMessage(t, srv.Client(), srv.URL, `{"model":"claude-haiku-4-5","stream":true,"messages":[{"role":"user","content":"ping"}]}`); resp.StatusCode != 400 {
		t.Errorf("no max_tokens: %d", resp.StatusCode)
	}
	if r, _ := srv.Client().Post(srv.URL+"/_fake/mode?model=claude-opus-4-5:sideways", "", nil); r.StatusCode != 400 {
		t.Errorf("a bad model state was accepted: %d", r.StatusCode)
	} else {
		r.Body.Close()
	}
	if h.ModelState("claude-opus-4-5") != Model529 {
		t.Error("a bad request changed a model's state")
	}
}
