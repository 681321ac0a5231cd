package probe_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/probetest"
)

const canaryKey = "sk-ant-api03-CANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANARYCANAAA"

func fakeAPI(t *testing.T) (*fakeupstream.Handler, string) {
	t.Helper()
	h := fakeupstream.NewHandler(fakeupstream.ModeOperational)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); srv.Close() })
	return h, srv.URL
}

func canary(url, model string, b *probe.Budget) *probe.CanaryProber {
	p := probe.NewCanaryProber(url, model, probe.Credential{APIKey: canaryKey}, probe.NewHTTPProber(probe.HTTPOptions{Proxy: probetest.NoProxy}))
	p.Timeout = 2 * time.Second
	p.SlowAfter = 300 * time.Millisecond
	p.Budget = b
	return p
}

// TestCanaryModes: every per-model state of the fake is judged as the
// other probes judge the same failure.
func TestCanaryModes(t *testing.T) {
	cases := []struct {
		state      fakeupstream.ModelState
		model      string
		class      probe.Class
		errType    string
		tokens     bool // usage counted
		firstToken bool
		msg        string
	}{
		{fakeupstream.ModelOK, "claude-haiku-4-5", probe.ClassOK, "", true, true, "answered: ttft"},
		{fakeupstream.Model529, "claude-opus-4-5", probe.ClassOverloaded, "overloaded_error", false, false, "529 overloaded_error: Overloaded"},
		{fakeupstream.Model500, "claude-opus-4-5", probe.ClassServer, "api_error", false, false, "500 api_error"},
		{fakeupstream.Model429, "claude-opus-4-5", probe.ClassRateLimited, "rate_limit_error", false, false, "retry after 20s"},
		{fakeupstream.ModelStreamError, "claude-opus-4-5", probe.ClassOverloaded, "overloaded_error", true, false, "event: error overloaded_error mid-stream"},
		{fakeupstream.ModelSlow, "claude-opus-4-5", probe.ClassSlow, "", true, true, "slow:"},
		{fakeupstream.ModelStall, "claude-opus-4-5", probe.ClassServer, "stream_stalled", true, false, "stalled after message_start"},
		{fakeupstream.ModelCut, "claude-opus-4-5", probe.ClassServer, "stream_incomplete", true, true, "before message_stop"},
		{fakeupstream.ModelNotFound, "claude-opus-4-5", probe.ClassUnexpected, "not_found_error", false, false, `model "claude-opus-4-5" does not exist`},
		{"", "claude-nonexistent-9", probe.ClassUnexpected, "not_found_error", false, false, "check --canary"},
	}
	for _, c := range cases {
		t.Run(string(c.state)+c.model, func(t *testing.T) {
			h, url := fakeAPI(t)
			h.SetDelay(500 * time.Millisecond)
			if c.state != "" {
				h.SetModel(c.model, c.state)
			}
			p := canary(url, c.model, nil)
			if c.state == fakeupstream.ModelStall {
				p.Timeout = 300 * time.Millisecond
			}
			r := p.Probe(context.Background())
			if r.Target != probe.ModelTarget(c.model) || r.Class != c.class || r.ErrorType != c.errType {
				t.Fatalf("got %s %s %q (%s), want %s %q", r.Target, r.Class, r.ErrorType, r.Message, c.class, c.errType)
			}
			if !strings.Contains(r.Message, c.msg) {
				t.Errorf("message %q lacks %q", r.Message, c.msg)
			}
			in, out := h.Tokens(c.model)
			// A stream cut short counts message_start's output token too:
			// the count errs on the side of the budget.
			if c.tokens != (r.Tokens > 0) || r.Tokens < in+out || r.Tokens > in+out+1 {
				t.Errorf("tokens %d, fake billed %d+%d; want counted=%v", r.Tokens, in, out, c.tokens)
			}
			if c.firstToken != (r.Phases.FirstToken > 0) {
				t.Errorf("first token %v, want set=%v", r.Phases.FirstToken, c.firstToken)
			}
			if r.Phases.FirstToken > 0 && r.Latency() != r.Phases.FirstToken {
				t.Errorf("latency %v is not the TTFT %v", r.Latency(), r.Phases.FirstToken)
			}
			if c.state == fakeupstream.ModelSlow && r.Phases.FirstToken < 500*time.Millisecond {
				t.Errorf("slow first token measured %v, the fake waited 500ms", r.Phases.FirstToken)
			}
			if r.Class.Failing() && r.RequestID == "" && r.HTTPStatus != 200 {
				t.Errorf("no request id on %s", r.Message)
			}
			if strings.Contains(fmt.Sprintf("%+v", r), canaryKey) {
				t.Error("the key leaked into the result")
			}
		})
	}
}

// TestCanaryWholeAPIDown: the API's own state reaches the canary too (a
// 529 of the whole API, a refused key).
func TestCanaryWholeAPIDown(t *testing.T) {
	for _, c := range []struct {
		api   fakeupstream.APIState
		class probe.Class
	}{{fakeupstream.API529, probe.ClassOverloaded}, {fakeupstream.API401, probe.ClassAuth}, {fakeupstream.APICredit, probe.ClassBilling}, {fakeupstream.APIReset, probe.ClassNetwork}} {
		h, url := fakeAPI(t)
		h.SetScenario(fakeupstream.Scenario{API: c.api})
		if r := canary(url, "claude-haiku-4-5", nil).Probe(context.Background()); r.Class != c.class {
			t.Errorf("api=%s: %s (%s), want %s", c.api, r.Class, r.Message, c.class)
		}
	}
}

// TestCanaryRequest: one streaming POST with max_tokens 1, the API's
// headers, the tiny prompt.
func TestCanaryRequest(t *testing.T) {
	var got struct {
		method, path, key, version, body string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.method, got.path, got.key, got.version, got.body = r.Method, r.URL.Path, r.Header.Get("x-api-key"), r.Header.Get("anthropic-version"), string(b)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n"+
			": a comment\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"+
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":1}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
	}))
	defer srv.Close()
	r := canary(srv.URL, "claude-sonnet-4-5", nil).Probe(context.Background())
	if r.Class != probe.ClassOK || r.Tokens != 10 {
		t.Fatalf("%s %q tokens %d", r.Class, r.Message, r.Tokens)
	}
	if got.method != "POST" || got.path != "/v1/messages" || got.key != canaryKey || got.version != probe.AnthropicVersion {
		t.Errorf("request %+v", got)
	}
	for _, want := range []string{`"max_tokens":1`, `"stream":true`, `"model":"claude-sonnet-4-5"`} {
		if !strings.Contains(got.body, want) {
			t.Errorf("body %s lacks %s", got.body, want)
		}
	}
}

// memLedger is a TokenLedger that can fail.
type memLedger struct {
	mu   sync.Mutex
	days map[string]int64
	fail error
}

func (l *memLedger) CanaryTokens(day string) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.days[day], l.fail
}

func (l *memLedger) AddCanaryTokens(day string, n int64) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return 0, l.fail
	}
	if l.days == nil {
		l.days = map[string]int64{}
	}
	l.days[day] += n
	return l.days[day], nil
}

// TestCanaryBudgetDay: over a simulated day of canaries every 10 s on a
// fake clock the fake bills no more than the budget; the canary says it
// paused; the next UTC day starts afresh; a new Budget over the same
// ledger (a restart) goes on from the day's count.
func TestCanaryBudgetDay(t *testing.T) {
	h, url := fakeAPI(t)
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	ledger := &memLedger{}
	const limit = 2000
	b := probe.NewBudget(limit, ledger)
	b.Now = func() time.Time { return now }
	p := canary(url, "claude-haiku-4-5", b)
	p.SlowAfter = -1 // the budget is tested here, not speed: a loaded machine's 337 ms read as "slow"
	var sent, paused int
	for ; now.Day() == 2; now = now.Add(10 * time.Second) {
		r := p.Probe(context.Background())
		switch {
		case r.Class == probe.ClassOK:
			sent++
		case r.ErrorType == "budget":
			paused++
			if !strings.Contains(r.Message, "budget of 2000 tokens is spent") {
				t.Fatalf("paused canary says %q", r.Message)
			}
		default:
			t.Fatalf("%s %s", r.Class, r.Message)
		}
		if got := h.TotalTokens(); got > limit {
			t.Fatalf("fake billed %d tokens, budget %d", got, limit)
		}
		if sent > 0 && paused > 100 {
			break
		}
	}
	billed := h.TotalTokens()
	if sent == 0 || paused == 0 || billed < limit*8/10 {
		t.Fatalf("sent %d paused %d billed %d", sent, paused, billed)
	}
	if got := ledger.days["2026-12-02"]; got != billed {
		t.Errorf("ledger has %d for the day, fake billed %d", got, billed)
	}
	if spent, _, ok := probe.ParseTokensToday(p.Probe(context.Background()).Detail); !ok || spent != billed {
		t.Errorf("detail's use %d (%v), want %d", spent, ok, billed)
	}

	// A restart the same day: the ledger's count holds.
	b2 := probe.NewBudget(limit, ledger)
	b2.Now = b.Now
	if r := canary(url, "claude-haiku-4-5", b2).Probe(context.Background()); r.ErrorType != "budget" {
		t.Fatalf("after a restart the budget was reset: %s %s", r.Class, r.Message)
	}
	// The next day: afresh.
	now = time.Date(2026, 12, 3, 0, 0, 5, 0, time.UTC)
	if r := p.Probe(context.Background()); r.Class != probe.ClassOK {
		t.Fatalf("next day: %s %s", r.Class, r.Message)
	}
	// An unreadable ledger sends nothing.
	ledger.fail = fmt.Errorf("disk on fire")
	b3 := probe.NewBudget(limit, ledger)
	before := h.TotalTokens()
	if r := canary(url, "claude-haiku-4-5", b3).Probe(context.Background()); r.ErrorType != "budget" || !strings.Contains(r.Message, "disk on fire") {
		t.Fatalf("unreadable ledger: %s %s", r.Class, r.Message)
	}
	if h.TotalTokens() != before {
		t.Error("a canary was sent with the day's use unknown")
	}
}

// TestCanaryBudgetConcurrent: canaries of several models at once never
// overrun the budget together.
func TestCanaryBudgetConcurrent(t *testing.T) {
	h, url := fakeAPI(t)
	b := probe.NewBudget(300, nil)
	models := []string{"claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-5"}
	var wg sync.WaitGroup
	for _, m := range models {
		p := canary(url, m, b)
		wg.Go(func() {
			for range 20 {
				p.Probe(context.Background())
			}
		})
	}
	wg.Wait()
	if got := h.TotalTokens(); got > 300 || got == 0 {
		t.Fatalf("billed %d of a 300 budget", got)
	}
}

func TestModelName(t *testing.T) {
	for id, want := range map[string]string{
		"claude-opus-4-5-20251101":  "Claude Opus 4.5",
		"claude-opus-4-5":           "Claude Opus 4.5",
		"claude-3-5-haiku-20241022": "Claude Haiku 3.5",
		"claude-sonnet-4-0":         "Claude Sonnet 4",
		"claude-haiku-4-5":          "Claude Haiku 4.5",
		"claude-3-5-haiku-latest":   "Claude Haiku 3.5",
		"my-proxy-model":            "my-proxy-model",
		"claude-instant-1.2":        "Claude instant-1.2",
	} {
		if got := probe.ModelName(id); got != want {
			t.Errorf("ModelName(%q) = %q, want %q", id, got, want)
		}
	}
	if tg, err := probe.ParseTarget("model:claude-opus-4-5"); err != nil || tg != probe.ModelTarget("claude-opus-4-5") || tg.Label() != "Claude Opus 4.5" || !tg.HTTP() {
		t.Errorf("ParseTarget: %v %v", tg, err)
	}
	if _, err := probe.ParseTarget("model:bad\x1b[31m"); err == nil {
		t.Error("a model name with an escape was accepted")
	}
}
