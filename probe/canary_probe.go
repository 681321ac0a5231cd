package probe

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// CanaryPrompt is the fixed request body of every canary but the model:
// one user turn of one word, one token of answer, streamed.
const canaryPrompt = `{"model":%q,"max_tokens":1,"stream":true,"messages":[{"role":"user","content":"ping"}]}`

// canaryFirstEstimate is what a canary reserves before any of its answers
// said what it costs: a few times the real cost of the tiny prompt.
const canaryFirstEstimate = 64

// CanaryProber asks one model for one token over the streaming Messages
// API and measures the answer: time to first byte, time to the first
// content event (TTFT) and to message_stop.
type CanaryProber struct {
	HTTP       *HTTPProber
	BaseURL    string
	Credential Credential // never copied into a Result
	Model      string
	Timeout    time.Duration
	SlowAfter  time.Duration // TTFT budget; 0 means DefaultSlowAfter, < 0 never slow
	Budget     *Budget       // nil: no limit (tests only; main always sets one)

	lastCost atomic.Int64 // tokens the last answer used, the next reservation
}

// NewCanaryProber asks model at baseURL with hp.
func NewCanaryProber(baseURL, model string, cred Credential, hp *HTTPProber) *CanaryProber {
	return &CanaryProber{HTTP: hp, BaseURL: baseURL, Model: model, Credential: cred}
}

// MessagesURL is the /v1/messages URL under the base URL.
func (p *CanaryProber) MessagesURL() string {
	return strings.TrimRight(p.BaseURL, "/") + "/v1/messages"
}

// Probe sends one canary, unless the budget is spent (then the Result is
// ClassUnknown with ErrorType "budget" and says so) or there is no
// credential.
func (p *CanaryProber) Probe(ctx context.Context) Result {
	t := ModelTarget(p.Model)
	res := Result{Target: t, Time: time.Now()}
	if p.Credential.IsZero() {
		res.Class, res.Detail = ClassUnknown, "no credential"
		res.Message = "canary needs ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN"
		return res
	}
	est := p.lastCost.Load()
	if est <= 0 {
		est = canaryFirstEstimate
	}
	if p.Budget != nil {
		ok, why := p.Budget.Reserve(est)
		if !ok {
			res.Class, res.ErrorType, res.Message = ClassUnknown, "budget", why
			res.Detail = p.usedDetail()
			return res
		}
	}
	res = p.ask(ctx, res)
	if p.Budget != nil {
		p.Budget.Spend(est, res.Tokens)
	}
	if res.Tokens > 0 {
		p.lastCost.Store(res.Tokens)
	}
	res.Detail = Line(strings.TrimPrefix(res.Detail+" · "+p.usedDetail(), " · "), 200)
	p.Credential.redactResult(&res)
	return res
}

// usedDetail is "tokens today 1300 of 20000", "" without a budget.
func (p *CanaryProber) usedDetail() string {
	if p.Budget == nil {
		return ""
	}
	spent, limit := p.Budget.Used()
	return fmt.Sprintf("%s %d of %d", TokensTodayPrefix, spent, limit)
}

// TokensTodayPrefix starts the part of a canary's Detail that says the
// day's token use: "tokens today 1300 of 20000".
const TokensTodayPrefix = "tokens today"

// ParseTokensToday reads "tokens today N of M" out of a canary's Detail.
func ParseTokensToday(detail string) (spent, limit int64, ok bool) {
	i := strings.Index(detail, TokensTodayPrefix)
	if i < 0 {
		return 0, 0, false
	}
	_, err := fmt.Sscanf(detail[i+len(TokensTodayPrefix):], " %d of %d", &spent, &limit)
	return spent, limit, err == nil
}

// sseEvent is one server-sent event of the Messages stream.
type sseEvent struct {
	Type    string `json:"type"`
	Message *struct {
		Usage *canaryUsage `json:"usage"`
	} `json:"message"`
	Usage *canaryUsage `json:"usage"`
	Error *struct {
		Type    jString `json:"type"`
		Message jString `json:"message"`
	} `json:"error"`
}

type canaryUsage struct {
	Input         int64 `json:"input_tokens"`
	CacheCreation int64 `json:"cache_creation_input_tokens"`
	CacheRead     int64 `json:"cache_read_input_tokens"`
	Output        int64 `json:"output_tokens"`
}

// streamState is what the reader saw of the stream.
type streamState struct {
	events     int    // events read
	last       string // type of the last event
	firstToken time.Duration
	stopped    bool   // message_stop arrived
	errType    string // an `event: error`'s error.type
	errMsg     string
	input      int64
	output     int64
}

func (s *streamState) tokens() int64 { return s.input + s.output }

// ask sends the request and judges the answer.
func (p *CanaryProber) ask(ctx context.Context, res Result) Result {
	ctx, cancel, timeout := probeContext(ctx, p.Timeout)
	defer cancel()
	u := p.MessagesURL()
	h := http.Header{
		"Accept":            {"text/event-stream"},
		"Content-Type":      {"application/json"},
		"Anthropic-Version": {AnthropicVersion},
	}
	c, _, _, _ := p.Credential.split()
	c.headers(h)
	var st streamState
	r := p.HTTP.Stream(ctx, http.MethodPost, u, h, []byte(fmt.Sprintf(canaryPrompt, p.Model)),
		func(start time.Time, body io.Reader) error { return readStream(body, start, &st) })
	res.HTTPStatus = r.Status
	res.Phases = r.Phases
	res.Phases.FirstToken = st.firstToken
	res.RateLimit = ParseRateLimit(r.Header)
	res.RequestID = Line(r.Header.Get("request-id"), 100)
	res.Tokens = st.tokens()
	switch {
	case r.Status == 0 && r.Err != nil:
		transportResult(ctx, &res, r.Err, hostOf(u), timeout)
		return res
	case r.Status != http.StatusOK:
		body := c.scrub(r.Body)
		var bodyID string
		res.Class, res.ErrorType, res.Message, bodyID = ClassifyAPIError(r.Status, body)
		if res.RequestID == "" {
			res.RequestID = bodyID
		}
		// A 404 that is not about the model, under a base URL the user
		// set, is the path's: the base URL's (cold5 D34).
		pathNotFound := r.Status == http.StatusNotFound && UserBaseURL(p.BaseURL) &&
			(BaseURLEndsInV1(p.BaseURL) || !strings.Contains(strings.ToLower(res.Message), "model"))
		if res.ErrorType == "not_found_error" && !pathNotFound {
			res.Message = Line(fmt.Sprintf("404 not_found_error: model %s does not exist or this key cannot use it (check --canary)", Quote(p.Model)), 200)
		}
		if ra := res.RateLimit.RetryAfter; ra > 0 && res.Class.Failing() {
			res.Message = Line(fmt.Sprintf("%s (retry after %s)", res.Message, ra), 200)
		}
		whoAnswered(&res, r.HTTPResponse, body, UserBaseURL(p.BaseURL), true)
		if pathNotFound {
			baseURLNotFound(&res, p.BaseURL, "/v1/messages")
		}
		res.Tokens = 0 // an error before the stream is not billed
		return res
	case !r.Streamed:
		res.Class, res.ErrorType = ClassUnexpected, "not_sse"
		res.Message = Line("200 without an event stream (content-type "+r.Header.Get("Content-Type")+")"+htmlNote(r.Body), 200)
		return res
	}
	figures := func() string {
		s := "ttft " + roundDur(st.firstToken).String()
		if st.stopped {
			s += " · stop " + roundDur(r.Phases.Total).String()
		}
		return fmt.Sprintf("%s · %d tokens (%d in, %d out)", s, st.tokens(), st.input, st.output)
	}
	switch {
	case st.errType != "":
		cls, _, _, _ := ClassifyAPIError(statusOfErrorType(st.errType), nil)
		res.Class, res.ErrorType = cls, Line(st.errType, 60)
		res.Message = Line(fmt.Sprintf("200, then event: error %s mid-stream: %s", st.errType, Sanitize(st.errMsg, false)), 200)
	case st.stopped:
		res.Class, res.Message = slowOrOK(st.firstToken, p.SlowAfter, "answered: "+figures())
		res.Detail = "ttft " + roundDur(st.firstToken).String()
	case r.Err != nil && (errors.Is(ctx.Err(), context.DeadlineExceeded) || isTimeout(r.Err)):
		res.Class, res.ErrorType = ClassServer, "stream_stalled"
		res.Message = Line(fmt.Sprintf("200, then the stream stalled after %s (%d events): timed out after %s",
			orNone(st.last), st.events, roundDur(timeout)), 200)
	case r.Err != nil && errors.Is(ctx.Err(), context.Canceled):
		res.Class, res.ErrorType, res.Message = ClassUnknown, "canceled", "probe canceled"
	default:
		res.Class, res.ErrorType = ClassServer, "stream_incomplete"
		why := "the stream ended"
		if r.Err != nil {
			_, _, why = ClassifyTransportError(r.Err, hostOf(u), timeout)
		}
		res.Message = Line(fmt.Sprintf("200, then %s before message_stop (after %s, %d events)", why, orNone(st.last), st.events), 200)
	}
	return res
}

func orNone(s string) string {
	if s == "" {
		return "no event"
	}
	return s
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// statusOfErrorType is the HTTP status Anthropic gives an error type, to
// judge an `event: error` inside a 200 as the same error before the stream.
func statusOfErrorType(t string) int {
	switch t {
	case "overloaded_error":
		return 529
	case "api_error":
		return 500
	case "timeout_error":
		return 504
	case "rate_limit_error":
		return 429
	case "authentication_error":
		return 401
	case "permission_error":
		return 403
	case "not_found_error":
		return 404
	case "billing_error":
		return 402
	}
	return 500
}

// maxEventBytes bounds one event's data line.
const maxEventBytes = 64 << 10

// readStream reads server-sent events until message_stop, an error event
// or the end of the body.
func readStream(body io.Reader, start time.Time, st *streamState) error {
	sc := bufio.NewScanner(io.LimitReader(body, MaxBodyBytes))
	sc.Buffer(make([]byte, 0, 4096), maxEventBytes)
	var name string
	var data bytes.Buffer
	dispatch := func() {
		if name == "" && data.Len() == 0 {
			return
		}
		var ev sseEvent
		json.Unmarshal(data.Bytes(), &ev)
		typ := cmpOr(ev.Type, name)
		st.events++
		st.last = Line(typ, 40)
		switch typ {
		case "message_start":
			if ev.Message != nil && ev.Message.Usage != nil {
				u := ev.Message.Usage
				st.input = u.Input + u.CacheCreation + u.CacheRead
				st.output = max(st.output, u.Output)
			}
		case "content_block_start", "content_block_delta":
			if st.firstToken == 0 && typ == "content_block_delta" {
				st.firstToken = max(time.Since(start), time.Microsecond)
			}
		case "message_delta":
			if ev.Usage != nil {
				st.output = max(st.output, ev.Usage.Output)
				if ev.Usage.Input > 0 {
					st.input = max(st.input, ev.Usage.Input+ev.Usage.CacheCreation+ev.Usage.CacheRead)
				}
			}
		case "message_stop":
			st.stopped = true
		case "error":
			st.errType, st.errMsg = "api_error", "error event without a body"
			if ev.Error != nil {
				st.errType = cmpOr(string(ev.Error.Type), "api_error")
				st.errMsg = string(ev.Error.Message)
			}
		}
		name = ""
		data.Reset()
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			dispatch()
			if st.stopped || st.errType != "" {
				return nil
			}
		case strings.HasPrefix(line, ":"): // a comment
		case strings.HasPrefix(line, "event:"):
			name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	dispatch()
	return sc.Err()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// StreamResponse is what HTTPProber.Stream saw.
type StreamResponse struct {
	HTTPResponse
	Streamed bool // the answer was text/event-stream and read went over it
}

// Stream posts body and, when the answer is a 200 event stream, hands its
// body to read, timing the phases to the end of read; any other answer is
// read whole (bounded) into Body. start is when the request began, for
// the reader's own timings. Err is the transport's error, or read's.
func (p *HTTPProber) Stream(ctx context.Context, method, rawURL string, header http.Header, body []byte,
	read func(start time.Time, body io.Reader) error) StreamResponse {
	tl := &timeline{}
	out := StreamResponse{HTTPResponse: HTTPResponse{Header: http.Header{}}}
	resp, start := p.send(ctx, tl, method, rawURL, header, bytes.NewReader(body), &out.HTTPResponse)
	if resp == nil {
		return out
	}
	defer resp.Body.Close()
	out.Status, out.Header = resp.StatusCode, resp.Header
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(ct, "text/event-stream") {
		out.Streamed = true
		out.Err = read(start, resp.Body)
	} else {
		out.Body, out.Truncated, out.Err = p.readCapped(resp.Body)
	}
	out.Phases = tl.phases(time.Now())
	return out
}
