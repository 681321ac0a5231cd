package catalogue

import "testing"

// TestForeignErrorTypeAloneIsTheGateways: a body whose only clue is an
// error type Anthropic never sends — here OpenAI's Realtime API error
// event with the message of openai/openai-realtime-console#51 — names no
// entry by its words, so the foreign-type rule itself says whose it is:
// the gateway's or client's that the request really went to, not an
// unknown. (match.go rules: `best == nil` negated lived, issue 18; the
// mutant reads best.via of no candidate and panics.)
//
// The thread's message names help.openai.com, so in full it is OpenAI's
// own (diag5): the rule is tried on it without the help-center sentence.
func TestForeignErrorTypeAloneIsTheGateways(t *testing.T) {
	full := `{"type":"error","event_id":"event_AHb2z7YcCqyHcT3bQ9Xzv","error":{"type":"server_error","code":null,"message":"The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the session ID sess_AHb2xGh1Fh2wRyPJN1xkF in your message.)","param":null,"event_id":null}}`
	if m, ok := Find(Read(full)); !ok || m.Entry.ID != EntryOpenAI {
		t.Errorf("in full: %v %s matched %q, want %s", ok, m.Entry.ID, m.Matched, EntryOpenAI)
	}
	text := `{"type":"error","event_id":"event_AHb2z7YcCqyHcT3bQ9Xzv","error":{"type":"server_error","code":null,"message":"The server had an error while processing your request. Sorry about that!","param":null,"event_id":null}}`
	m, ok := Find(Read(text))
	if !ok || m.Entry.ID != EntryGateway || m.Matched != "an error type Anthropic does not send (server_error)" {
		t.Errorf("%v %s matched %q, want %s on the foreign type", ok, m.Entry.ID, m.Matched, EntryGateway)
	}
}

// TestTheInnermostPhraseIsQuoted: requests' ProxyError from
// kuaidaili/python-sdk#8 (the corpus) holds two of the proxy entry's
// phrases of the same weight, "Unable to connect to proxy" (urllib3's
// wrapper) and "Tunnel connection failed" (the OSError inside it, with
// the proxy's 503: what the thread found). The entry lists the tunnel
// first and the first listed of equal weight is quoted, so the diagnosis
// shows the cause, not the wrapper. (match.go try: `score <= c.score` to
// `<` lived, issue 18: it quoted the wrapper.)
func TestTheInnermostPhraseIsQuoted(t *testing.T) {
	text := "`requests.exceptions.ProxyError: HTTPSConnectionPool(host='httpbin.org', port=443): Max retries exceeded with url: /ip (Caused by ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: 503 Service Unavailable')))\n`"
	m, ok := Find(Read(text))
	if !ok || m.Entry.ID != EntryProxy || m.Matched != "Tunnel connection failed" {
		t.Errorf("%v %s matched %q, want %s matched %q", ok, m.Entry.ID, m.Matched, EntryProxy, "Tunnel connection failed")
	}
}
