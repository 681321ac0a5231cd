package diagnose

import (
	"strings"
	"testing"

	"downforai/probe/catalogue"
)

// TestResetLeads (cold9 E2): a paste that names a connection reset
// (ECONNRESET, "socket hang up", "connection reset by peer", a TLS
// handshake cut) is diagnosed as the reset — a network-level break between
// the program and the host, the host named when the paste says it — not
// as whatever other word of it matched ("Request timed out", a status, an
// "Invalid API key" in the same log). What says where the reset happened
// or what answered still decides: a proxy's words, a gateway's "upstream
// unreachable".
func TestResetLeads(t *testing.T) {
	for _, tc := range []struct {
		text string
		want catalogue.EntryID
		says []string // in Matched
	}{
		// https://github.com/continuedev/continue/issues/7077
		{"request to https://api.anthropic.com/v1/messages failed, reason: read ECONNRESET", catalogue.EntryConnection, []string{"read ECONNRESET", "on the way to api.anthropic.com"}},
		// https://github.com/nraiden/openv0/issues/24
		{"cause: FetchError: request to https://api.openai.com/v1/chat/completions failed, reason: read ECONNRESET", catalogue.EntryConnection, []string{"on the way to api.openai.com"}},
		// https://github.com/anthropics/claude-code/issues/51164
		{"{\n  \"subtype\": \"api_error\",\n  \"cause\": {\"code\":\"ECONNRESET\",\"path\":\"https://api.anthropic.com/v1/messages?beta=true\",\"errno\":0},\n  \"retryInMs\": 557.0120175956872,", catalogue.EntryConnection, []string{"ECONNRESET", "on the way to api.anthropic.com"}},
		// https://github.com/Chanzhaoyu/chatgpt-web/issues/319
		{"request to https://api.openai.com/v1/chat/completions failed, reason: Client network socket disconnected before secure TLS connection was established", catalogue.EntryConnection, []string{"on the way to api.openai.com"}},
		// https://github.com/Nerixyz/instagram_mqtt/issues/10
		{"ERROR\tError: Client network socket disconnected before secure TLS connection was established\n    at connResetException (internal/errors.js:570:14)\n    at TLSSocket.onConnectEnd (_tls_wrap.js:1361:19)\n    at Object.onceWrapper (events.js:299:28)\n    at TLSSocket.emit (events.js:215:7)\n    at TLSSocket.EventEmitter.emit (domain.js:476:20)\n    at endReadableNT (_stream_readable.js:1183:12)\n    at processTicksAndRejections (internal/process/task_queues.js:80:21) {\n  code: 'ECONNRESET',\n  path: undefined,\n  host: 'edge-mqtt.facebook.com',\n  port: 443,\n  localAddress: undefined\n}", catalogue.EntryConnection, []string{"on the way to edge-mqtt.facebook.com"}},
		// https://github.com/David-Lor/python-qqddm/issues/17
		{"    self._sslobj.do_handshake()\n\nConnectionResetError: [Errno 104] Connection reset by peer", catalogue.EntryConnection, []string{"ConnectionResetError"}},
		// https://github.com/mattes/rotating-proxy/issues/3
		{"$ curl --proxy localhost:5566 http://httpbin.org/ip\ncurl: (56) Recv failure: Connection reset by peer", catalogue.EntryConnection, []string{"Connection reset by peer"}},
		// https://github.com/anthropics/claude-code/issues/83994 (comment): a reset mid-stream
		{"[WARN] Stream connection error (ECONNRESET) — retrying streaming (1/10)\n...\n[WARN] Stream connection closed (ECONNRESET) after 1 block(s) yielded — finalizing partial response\n[ERROR] [engine] turn ended in error: API Error: Connection lost mid-response.", catalogue.EntryDropped, []string{"Connection lost mid-response"}},
		// https://github.com/serverless-components/tencent-scf/issues/7
		{" { error:\n   { Error: socket hang up\n       at createHangUpError (_http_client.js:322:15)\n       at TLSSocket.socketOnEnd (_http_client.js:425:23)\n       at TLSSocket.emit (events.js:187:15)\n       at endReadableNT (_stream_readable.js:1094:12)\n       at process._tickCallback (internal/process/next_tick.js:63:19) code: 'ECONNRESET' } }", catalogue.EntryDropped, []string{"socket hang up"}},
		// Go's words name the address: Anthropic's range says so.
		{`Post "https://api.anthropic.com/v1/messages": read tcp 192.168.1.5:53422->160.79.104.10:443: read: connection reset by peer`, catalogue.EntryDropped, []string{"160.79.104.10 (Anthropic's API address)"}},
		{"curl: (35) OpenSSL SSL_connect: Connection reset by peer in connection to api.anthropic.com:443", catalogue.EntryConnection, []string{"on the way to api.anthropic.com"}},
		{"java.net.SocketException: Connection reset", catalogue.EntryConnection, []string{"Connection reset"}},
		// Another word of the paste matched first: the reset leads, and
		// says what it outranks.
		{"API Error (Request timed out.) · Retrying in 1 seconds… (attempt 1/10)\n  ⎿  Error: read ECONNRESET", catalogue.EntryConnection, []string{`a connection reset ("read ECONNRESET")`, `outranks "Request timed out"`}},
		{"Error: Invalid API key · read ECONNRESET", catalogue.EntryConnection, []string{"read ECONNRESET"}},
		// What names where it broke, or what answered, decides.
		{"Error: tunneling socket could not be established, cause=socket hang up", catalogue.EntryProxy, nil},
		{"502 Anthropic upstream unreachable: read ECONNRESET", catalogue.EntryIntermediary, nil},
	} {
		d := Diagnose(tc.text)
		if !d.Known() || d.Entry.ID != tc.want {
			id := catalogue.EntryID("-")
			if d.Known() {
				id = d.Entry.ID
			}
			t.Errorf("%.70q: %s (on %q), want %s", tc.text, id, d.Matched, tc.want)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(d.Matched, s) {
				t.Errorf("%.70q: matched %q, want it to say %q", tc.text, d.Matched, s)
			}
		}
		if len(tc.says) > 0 && d.Confidence == catalogue.ConfidenceLow {
			t.Errorf("%.70q: low confidence on the reset's own words", tc.text)
		}
	}
}
