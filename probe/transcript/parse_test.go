package transcript

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"downforai/probe"
)

func TestParseLines(t *testing.T) {
	sess := hashSession("s1")
	tests := []struct {
		name  string
		line  string
		ok    bool
		kind  Kind
		class probe.Class
		// want fields; "" and 0 are not checked
		status    int
		errType   string
		msg       string // substring
		reqID     string
		detail    probe.SessionDetail
		usage     probe.Tokens
		usageSeen bool
	}{
		{
			name: "retry 529 with the API body nested",
			line: `{"type":"system","subtype":"api_error","level":"error","sessionId":"s1","version":"2.1.44","error":{"status":529,"headers":{},"requestID":"req_011CXPBk57rUbKp5XVtievhP","error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}},"type":"new_api_error"},"retryInMs":558.94,"retryAttempt":1,"maxRetries":10,"timestamp":"2026-03-04T11:00:02.000Z"}`,
			ok:   true, kind: KindRetry, class: probe.ClassOverloaded, status: 529, errType: "overloaded_error", msg: "Overloaded",
			reqID:  "req_011CXPBk57rUbKp5XVtievhP",
			detail: probe.SessionDetail{Version: "2.1.44", Session: sess, Attempt: 1, MaxAttempts: 10},
		},
		{
			name: "retry with only the inner error object",
			line: `{"type":"system","subtype":"api_error","sessionId":"s1","error":{"status":503,"error":{"type":"api_error","message":"upstream connect error"}},"retryAttempt":2,"maxRetries":10,"timestamp":"2026-03-04T11:00:03Z"}`,
			ok:   true, kind: KindRetry, class: probe.ClassServer, status: 503, errType: "api_error", msg: "upstream connect error",
			detail: probe.SessionDetail{Session: sess, Attempt: 2, MaxAttempts: 10},
		},
		{
			name: "retry with status and message only",
			line: `{"type":"system","subtype":"api_error","level":"error","timestamp":"2026-03-04T11:00:09Z","sessionId":"s1","retryAttempt":1,"maxRetries":10,"retryInMs":500,"error":{"status":529,"message":"overloaded","isNetworkDown":false}}`,
			ok:   true, kind: KindRetry, class: probe.ClassOverloaded, status: 529, msg: "overloaded",
		},
		{
			name: "retry 401 without a body is auth, not a foreign answer",
			line: `{"type":"system","subtype":"api_error","timestamp":"2026-03-04T11:00:09Z","error":{"status":401,"message":"OAuth token has expired"}}`,
			ok:   true, kind: KindRetry, class: probe.ClassAuth, status: 401,
		},
		{
			name: "retry of a network failure",
			line: `{"type":"system","subtype":"api_error","timestamp":"2026-03-04T11:01:00Z","retryAttempt":1,"maxRetries":10,"error":{"cause":{"code":"FailedToOpenSocket","path":"https://api.anthropic.com"}}}`,
			ok:   true, kind: KindRetry, class: probe.ClassNetwork, errType: probe.NetConnect, msg: "FailedToOpenSocket",
		},
		{
			name: "retry of a reset connection",
			line: `{"type":"system","subtype":"api_error","timestamp":"2026-03-04T11:01:00Z","error":{"cause":{"code":"ECONNRESET"},"message":"Connection error."}}`,
			ok:   true, kind: KindRetry, class: probe.ClassNetwork, errType: probe.NetReset,
		},
		{
			name: "retry record with only the counters",
			line: `{"type":"system","subtype":"api_error","level":"error","timestamp":"2026-03-04T11:04:30Z","retryAttempt":3,"maxRetries":10}`,
			ok:   true, kind: KindRetry, class: probe.ClassUnexpected,
			detail: probe.SessionDetail{Attempt: 3, MaxAttempts: 10},
		},
		{
			name: "retry record with a text content",
			line: `{"type":"system","subtype":"api_error","timestamp":"2026-03-04T11:04:40Z","content":"Request timed out"}`,
			ok:   true, kind: KindRetry, class: probe.ClassNetwork, msg: "Request timed out",
		},
		{
			name: "retry attempt as text",
			line: `{"type":"system","subtype":"api_error","timestamp":"2026-03-04T11:04:50Z","error":{"status":500},"retryAttempt":"4","maxRetries":10}`,
			ok:   true, kind: KindRetry, class: probe.ClassServer, status: 500,
			detail: probe.SessionDetail{Attempt: 4, MaxAttempts: 10},
		},
		{
			name: "final 529 error with the JSON in the text",
			line: `{"type":"assistant","sessionId":"s1","version":"2.1.44","timestamp":"2026-03-04T11:02:11.000Z","message":{"id":"x","model":"<synthetic>","content":[{"type":"text","text":"API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_011CXPBk57rUbKp5XVtievhP\"}"}]},"isApiErrorMessage":true,"apiErrorStatus":529,"error":"overloaded"}`,
			ok:   true, kind: KindError, class: probe.ClassOverloaded, status: 529, errType: "overloaded_error", reqID: "req_011CXPBk57rUbKp5XVtievhP",
			detail: probe.SessionDetail{Version: "2.1.44", Session: sess, GaveUp: true},
		},
		{
			name: "final 401 with the API's body in the text: its message is kept, not the JSON",
			line: `{"type":"assistant","timestamp":"2026-03-04T11:02:12.000Z","message":{"id":"y","model":"<synthetic>","content":[{"type":"text","text":"API Error: 401 {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"OAuth token has expired. Please obtain a new token or refresh your existing token.\"},\"request_id\":\"req_011CV9hand401\"} · Please run /login"}]},"isApiErrorMessage":true,"apiErrorStatus":401,"error":"authentication_failed"}`,
			ok:   true, kind: KindError, class: probe.ClassAuth, status: 401, errType: "authentication_error", reqID: "req_011CV9hand401",
			msg: "OAuth token has expired. Please obtain a new token",
		},
		{
			name: "final usage limit",
			line: `{"type":"assistant","timestamp":"2026-08-19T13:40:00.123Z","message":{"content":[{"type":"text","text":"You've hit your session limit · resets 9:50pm (Asia/Saigon)"}]},"error":"rate_limit","isApiErrorMessage":true,"apiErrorStatus":429}`,
			ok:   true, kind: KindError, class: probe.ClassRateLimited, status: 429, errType: "rate_limit", msg: "You've hit your session limit · resets 9:50pm (Asia/Saigon)",
		},
		{
			name: "final newer 529 text",
			line: `{"type":"assistant","timestamp":"2026-08-19T13:41:00.000Z","message":{"content":[{"type":"text","text":"API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check https://status.claude.com."}]},"error":"server_error","isApiErrorMessage":true,"apiErrorStatus":529}`,
			ok:   true, kind: KindError, class: probe.ClassOverloaded, status: 529, msg: "https://status.claude.com",
		},
		{
			name: "final auth failure",
			line: `{"type":"assistant","timestamp":"2026-08-19T13:42:00.000Z","message":{"content":[{"type":"text","text":"Not logged in · Please run /login"}]},"error":"authentication_failed","isApiErrorMessage":true}`,
			ok:   true, kind: KindError, class: probe.ClassAuth, errType: "authentication_failed",
		},
		{
			name: "final error with only a code",
			line: `{"type":"assistant","timestamp":"2026-08-19T13:42:00.000Z","isApiErrorMessage":true,"error":"billing_error"}`,
			ok:   true, kind: KindError, class: probe.ClassBilling,
		},
		{
			name: "final error whose error is an object",
			line: `{"type":"assistant","isApiErrorMessage":true,"timestamp":"2026-08-19T00:00:00Z","error":{"status":529,"message":"Overloaded"}}`,
			ok:   true, kind: KindError, class: probe.ClassOverloaded, status: 529,
		},
		{
			name: "old usage limit with a reset stamp",
			line: `{"type":"assistant","timestamp":"2025-08-07T10:00:00Z","isApiErrorMessage":true,"message":{"content":[{"type":"text","text":"Claude AI usage limit reached|1754568000"}]}}`,
			ok:   true, kind: KindError, class: probe.ClassRateLimited,
		},
		{
			name: "answer with usage",
			line: `{"sessionId":"s1","version":"2.1.44","message":{"id":"msg_01A","model":"claude-opus-4-6","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":4,"cache_creation_input_tokens":1200,"cache_read_input_tokens":15000,"output_tokens":87}},"requestId":"req_1","type":"assistant","timestamp":"2026-03-04T11:00:15.000Z"}`,
			ok:   true, kind: KindAnswer, class: probe.ClassOK, reqID: "req_1",
			detail: probe.SessionDetail{Version: "2.1.44", Model: "claude-opus-4-6", Session: sess},
			usage:  probe.Tokens{Input: 4, Output: 87, CacheCreation: 1200, CacheRead: 15000}, usageSeen: true,
		},
		{
			name: "answer with a count as text and one missing",
			line: `{"message":{"id":"m","model":"claude-sonnet-4-5","usage":{"input_tokens":"10","output_tokens":250}},"type":"assistant","timestamp":"2026-03-04T11:10:00Z"}`,
			ok:   true, kind: KindAnswer, class: probe.ClassOK,
			usage: probe.Tokens{Input: 10, Output: 250}, usageSeen: true,
		},
		{name: "prompt", line: `{"type":"user","message":{"role":"user","content":"hello"},"timestamp":"2026-03-04T11:00:00Z"}`, ok: true, kind: KindOther},
		{name: "tool result mentioning usage", line: `{"type":"user","message":{"content":[{"type":"tool_result","content":"\"usage\" and api_error"}]},"timestamp":"2026-03-04T11:00:00Z"}`, ok: true, kind: KindOther},
		{name: "unknown record type", line: `{"type":"brand-new","timestamp":"2026-03-04T11:00:00Z","usage":{"x":1}}`, ok: true, kind: KindOther},
		{name: "no timestamp", line: `{"type":"system","subtype":"api_error","error":{"status":529}}`, ok: true, kind: KindOther},
		{name: "torn line", line: `{"type":"assistant","message":{"usage":{"input_tokens":4`, ok: false},
		{name: "torn line without keywords", line: `{"type":"user","message":{"content":"hel`, ok: false},
		{name: "not JSON", line: `not json`, ok: false},
		{name: "empty", line: ``, ok: false},
		{name: "a JSON array", line: `[1,2]`, ok: false},
		{name: "type of another kind", line: `{"type":7,"timestamp":"2026-03-04T11:00:00Z","message":{"usage":{}}}`, ok: true, kind: KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, ok := Parse([]byte(tt.line))
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (rec %+v)", ok, tt.ok, rec)
			}
			if !ok {
				return
			}
			if rec.Kind != tt.kind {
				t.Fatalf("kind = %v, want %v (rec %+v)", rec.Kind, tt.kind, rec)
			}
			if rec.Kind == KindOther {
				return
			}
			r := rec.Result
			if strings.Contains(r.Message, `{"type"`) {
				t.Errorf("message %q keeps the API's JSON body, not its message", r.Message)
			}
			if r.Target != probe.TargetSessions || r.Time.IsZero() || r.Time.Location() != time.UTC {
				t.Errorf("target/time = %v %v", r.Target, r.Time)
			}
			if r.Class != tt.class {
				t.Errorf("class = %v, want %v (%+v)", r.Class, tt.class, r)
			}
			if tt.status != 0 && r.HTTPStatus != tt.status {
				t.Errorf("status = %d, want %d", r.HTTPStatus, tt.status)
			}
			if tt.errType != "" && r.ErrorType != tt.errType {
				t.Errorf("error type = %q, want %q", r.ErrorType, tt.errType)
			}
			if tt.msg != "" && !strings.Contains(r.Message, tt.msg) {
				t.Errorf("message = %q, want it to hold %q", r.Message, tt.msg)
			}
			if tt.reqID != "" && r.RequestID != tt.reqID {
				t.Errorf("request id = %q, want %q", r.RequestID, tt.reqID)
			}
			if tt.detail != (probe.SessionDetail{}) {
				if got := probe.ParseSessionDetail(r.Detail); got != tt.detail {
					t.Errorf("detail = %+v (%q), want %+v", got, r.Detail, tt.detail)
				}
			}
			if tt.usageSeen != (rec.Usage != nil) {
				t.Fatalf("usage = %+v, want present=%v", rec.Usage, tt.usageSeen)
			}
			if rec.Usage != nil && rec.Usage.Tokens != tt.usage {
				t.Errorf("tokens = %+v, want %+v", rec.Usage.Tokens, tt.usage)
			}
		})
	}
}

func TestSessionDetailRoundTrip(t *testing.T) {
	for _, d := range []probe.SessionDetail{
		{},
		{Version: "2.1.44", Model: "claude-opus-4-6", Session: "1a2b3c4d", Attempt: 3, MaxAttempts: 10, GaveUp: true},
		{Attempt: 1},
		{Model: "claude-haiku-4-5", GaveUp: true},
	} {
		if got := probe.ParseSessionDetail(d.String()); got != d {
			t.Errorf("%q → %+v, want %+v", d.String(), got, d)
		}
	}
}

// TestNothingPrivateIsKept reads the synthetic transcripts, whose prompts,
// answers, tool input and output, file contents, summary and paths carry
// markers, and proves none reaches anything the parser returns.
func TestNothingPrivateIsKept(t *testing.T) {
	forbidden := []string{"PROMPT-MARK", "ANSWER-MARK", "TOOL-OUTPUT-MARK", "FILE-CONTENT-MARK", "SUMMARY-MARK", "UNKNOWN-MARK",
		"alice", "secret-project", "main.go", "/srv/anthropic", "sk-ant-api03-AAAA", "0f8e2c1a-5b7d", "toolu_01"}
	files, _ := filepath.Glob("testdata/projects/*/*.jsonl")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			rec, ok := Parse(sc.Bytes())
			if !ok || rec.Kind == KindOther {
				continue
			}
			n++
			r := rec.Result
			kept := strings.Join([]string{string(r.Target), r.ErrorType, r.Message, r.RequestID, r.Detail}, "\x00")
			if rec.Usage != nil {
				kept += "\x00" + rec.Usage.Model
			}
			for _, bad := range forbidden {
				if strings.Contains(kept, bad) {
					t.Errorf("%s: kept %q, which holds %q", filepath.Base(f), kept, bad)
				}
			}
		}
		fh.Close()
	}
	if n < 10 {
		t.Fatalf("only %d records parsed from testdata", n)
	}
}

func TestCleanScrubsPathsNotURLs(t *testing.T) {
	got := clean("ENOENT: open /home/bob/work/x.txt failed; see https://status.claude.com/incidents/abc and C:\\Users\\bob\\a.txt")
	for _, bad := range []string{"bob", "x.txt"} {
		if strings.Contains(got, bad) {
			t.Errorf("clean kept %q: %q", bad, got)
		}
	}
	if !strings.Contains(got, "https://status.claude.com/incidents/abc") {
		t.Errorf("clean dropped the URL: %q", got)
	}
}

// sampleLines are the lines of the synthetic transcripts, then about size
// bytes of generated ones (genTranscript with seed).
func sampleLines(t *testing.T, size int, seed uint64) []string {
	t.Helper()
	var lines []string
	files, _ := filepath.Glob("testdata/projects/*/*.jsonl")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(data), "\n")...)
	}
	return append(lines, genTranscript(size, seed, time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC))...)
}

// TestParseKeepsNothingOfTheLine: Parse reads the line in place, and the
// follower reuses its buffer for the next line, so a Record must own every
// byte it holds. Each line of the synthetic transcripts (and of the
// benchmark's) is parsed, its buffer overwritten, and the Record compared.
func TestParseKeepsNothingOfTheLine(t *testing.T) {
	lines := sampleLines(t, 64<<10, 3)
	show := func(rec Record) string {
		s := fmt.Sprintf("%+v", rec.Result)
		if rec.Usage != nil {
			s += fmt.Sprintf(" %+v", *rec.Usage)
		}
		return s
	}
	kinds := map[Kind]int{}
	for _, l := range lines {
		b := []byte(l)
		rec, ok := Parse(b)
		if !ok || rec.Kind == KindOther {
			continue
		}
		kinds[rec.Kind]++
		before := show(rec)
		for i := range b {
			b[i] = '#'
		}
		if after := show(rec); after != before {
			t.Errorf("the record changed with its line's buffer:\n before %s\n after  %s", before, after)
		}
	}
	for _, k := range []Kind{KindAnswer, KindRetry, KindError} {
		if kinds[k] == 0 {
			t.Errorf("no record of kind %d in the lines", k)
		}
	}
}

// TestWholeTellsTornLines: whole, the fast check in place of a full JSON
// validation, accepts every valid record and rejects a record cut
// anywhere, alone or with the next record glued to it.
func TestWholeTellsTornLines(t *testing.T) {
	lines := sampleLines(t, 96<<10, 5)
	lines = append(lines, `{"a":"x\\"}`, `{"a":"\\\\"}`, `{"a":["}",{"b":"]"}]}`, `{}`)
	var valid []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "{") || !gjson.Valid(l) {
			continue
		}
		valid = append(valid, l)
		if !whole(l) {
			t.Errorf("a valid record is not whole: %.120s", l)
		}
	}
	if len(valid) < 30 {
		t.Fatalf("only %d valid lines", len(valid))
	}
	for _, bad := range []string{`{"a":"x\"}`, `{"a":1}}`, `{"a":1} {"b":2}`, `{"a":[1}`, `{"a":"}`, `{`, `{"a":{"b":1}`} {
		if whole(bad) {
			t.Errorf("whole(%q) = true", bad)
		}
	}
	for i, a := range valid {
		b := valid[(i+1)%len(valid)]
		step := max(1, len(a)/400)
		for k := 1; k < len(a); k++ {
			if k%step != 0 && a[k-1] != '"' && a[k-1] != '\\' {
				continue
			}
			if whole(a[:k]) || whole(a[:k]+b) {
				t.Fatalf("record cut at %d of %d taken as whole: %.80s… glued to %s", k, len(a), a[:k], b)
			}
		}
	}
}
