package diagnose

import (
	"testing"

	"downforai/probe/catalogue"
)

// TestTheCauseOutranksItsWrapper (cold6 E4): "Connection error.", "fetch
// failed", "Unable to connect to API" say a connection failed, not why; a
// paste that also names the cause — Node's error code or words under the
// wrapper, a status the proxy sent — is diagnosed as that cause, in a retry
// ladder too, where the last attempt's line was printed without its cause.
// The texts are real pastes from public threads; those marked "ladder"
// are #8054's ladder (verbatim in the first row) with the cause line Node
// and undici write for another failure in its place.
func TestTheCauseOutranksItsWrapper(t *testing.T) {
	ladder := func(cause string) string {
		return "  API Error (Connection error.) · Retrying in 4 seconds… (attempt 4/10)\n" +
			"    ⎿  Error (" + cause + ")\n" +
			"  ⎿  API Error (Connection error.) · Retrying in 10 seconds… (attempt 5/10)\n"
	}
	for _, tc := range []struct {
		name, text string
		want       catalogue.EntryID
	}{
		{"anthropics/claude-code#8054, verbatim", ladder("self signed certificate in certificate chain) (SELF_SIGNED_CERT_IN_CHAIN"), catalogue.EntryTLS},
		{"ladder: UNABLE_TO_GET_ISSUER_CERT_LOCALLY", ladder("unable to get local issuer certificate) (UNABLE_TO_GET_ISSUER_CERT_LOCALLY"), catalogue.EntryTLS},
		{"ladder: the code alone", ladder("UNABLE_TO_GET_ISSUER_CERT_LOCALLY"), catalogue.EntryTLS},
		{"ladder: CERT_HAS_EXPIRED", ladder("CERT_HAS_EXPIRED"), catalogue.EntryTLS},
		{"ladder: ETIMEDOUT", ladder("connect ETIMEDOUT 160.79.104.10:443"), catalogue.EntryTimeout},
		{"ladder: ENOTFOUND", ladder("getaddrinfo ENOTFOUND api.anthropic.com"), catalogue.EntryDNS},
		{"ladder: EAI_AGAIN", ladder("EAI_AGAIN"), catalogue.EntryDNS},
		{"ladder: ECONNRESET is the wrapper's own kind", ladder("read ECONNRESET"), catalogue.EntryConnection},
		{"ladder: undici's proxy 407", ladder("Proxy response (407) !== 200 when HTTP Tunneling"), catalogue.EntryProxyAuth},
		{"ladder: undici's proxy 403", ladder("Proxy response (403) !== 200 when HTTP Tunneling"), catalogue.EntryProxy},
		// One attempt: no ladder to read, the match itself must rank.
		{"one attempt: EAI_AGAIN", "  ⎿  API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n    ⎿  Error (getaddrinfo EAI_AGAIN api.anthropic.com)", catalogue.EntryDNS},
		{"one attempt: ETIMEDOUT", "  ⎿  API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n    ⎿  Error (connect ETIMEDOUT 160.79.104.10:443)", catalogue.EntryTimeout},
		{"one attempt: the proxy's 407", "  ⎿  API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n    ⎿  TypeError (fetch failed)\n    ⎿  Error (Proxy response (407) !== 200 when HTTP Tunneling)", catalogue.EntryProxyAuth},
		{"anthropics/claude-code#14407, a debug log's cause line", "2026-01-11T11:31:23.862Z [ERROR] Connection error details: code=ETIMEDOUT, message=\n2026-01-11T11:31:23.862Z [ERROR] Error: Error: Connection error.\n    at qP.makeRequest (file:///usr/lib/node_modules/@anthropic-ai/claude-code/cli.js:914:4542)", catalogue.EntryTimeout},
		{"anthropics/claude-code#71663", "✻ Unable to connect to API: SSL certificate has expired · Retrying in 2s · attempt 3/10", catalogue.EntryTLS},
		{"lobehub/lobe-cli-toolbox#45, fetch failed with its cause", "Failed to calculate number of tokens, falling back to approximate count TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11372:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async RetryOperation._fn (/node/v18.18.2/lib/node_modules/@lobehub/commit-cli/node_modules/p-retry/index.js:50:12) {\n  cause: Error: certificate has expired\n      at TLSSocket.onConnectSecure (node:_tls_wrap:1600:34)\n      at TLSSocket.emit (node:events:517:28)\n      at TLSSocket._finishInit (node:_tls_wrap:1017:8)\n      at ssl.onhandshakedone (node:_tls_wrap:803:12) {\n    code: 'CERT_HAS_EXPIRED'\n  }\n}", catalogue.EntryTLS},
		{"Explosion-Scratch/claude-unofficial-api#35, undici's connect timeout", "TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11457:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n  cause: ConnectTimeoutError: Connect Timeout Error\n      at onConnectTimeout (node:internal/deps/undici/undici:8422:28)\n    code: 'UND_ERR_CONNECT_TIMEOUT'\n  }\n}", catalogue.EntryTimeout},
		// The wrapper alone still says what it can.
		{"anthropics/claude-code#2385, the wrapper alone", "API Error (Connection error.) · Retrying in 40 seconds… (attempt 10/10)\n    ⎿  TypeError (fetch failed)", catalogue.EntryConnection},
		// What finally happened still decides: earlier 529s, then the
		// connection failing, is a connection failure.
		{"earlier 529s, then Connection error.", "  ⎿  API Error (529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}) · Retrying in 1 seconds… (attempt 1/10)\n  ⎿  API Error (Connection error.) · Retrying in 2 seconds… (attempt 2/10)\n    ⎿  TypeError (fetch failed)\n  ⎿  API Error (Connection error.) · Retrying in 4 seconds… (attempt 3/10)\n", catalogue.EntryConnection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Diagnose(tc.text)
			if !d.Known() || d.Entry.ID != tc.want {
				got := catalogue.EntryID("")
				if d.Known() {
					got = d.Entry.ID
				}
				t.Errorf("%s (matched %q), want %s\n%s", got, d.Matched, tc.want, tc.text)
			}
		})
	}
}
