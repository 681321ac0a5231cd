package diagnose

import (
	"strings"
	"testing"

	"downforai/probe/catalogue"
)

// TestProxyErrorIsTheProxys: a proxy's error (407, "Proxy Authentication
// Required", a refused CONNECT, squid's page) is the proxy's own answer:
// the diagnosis says so — not "usually the network between you and
// Anthropic" — and gives the fix the judge's proxy headline gives
// (HTTPS_PROXY=http://user:password@host:port, ask IT).
func TestProxyErrorIsTheProxys(t *testing.T) {
	for _, tc := range []struct {
		text string
		want catalogue.EntryID
	}{
		// https://github.com/vernesong/OpenClash/issues/5015
		{"> curl -I https://www.google.com\nHTTP/1.1 407 Proxy Authentication Required\nConnection: keep-alive\nKeep-Alive: timeout=4\nProxy-Authenticate: Basic\nProxy-Connection: keep-alive\nContent-Length: 0\n\ncurl: (56) CONNECT tunnel failed, response 407", catalogue.EntryProxyAuth},
		// https://github.com/atom/atom/issues/25593
		{"tunneling socket could not be established, statusCode=407", catalogue.EntryProxyAuth},
		// https://github.com/kevbite/CompaniesHouse.NET/issues/158
		{"HttpRequestException: Response status code does not indicate success: 407 (Proxy Authentication required).", catalogue.EntryProxyAuth},
		// https://github.com/nomic-ai/gpt4all/issues/1847: squid's 403
		{" 'headers': {'Server': 'squid/5.2', 'Mime-Version': '1.0', 'Date': 'Wed, 17 Jan 2024 15:53:25 GMT', 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': '3570', 'X-Squid-Error': 'ERR_ACCESS_DENIED 0', 'Vary': 'Accept-Language', 'Content-Language': 'en', 'X-Cache': 'MISS from proxy', 'X-Cache-Lookup': 'NONE from proxy:3128', 'Via': '1.1 proxy (squid/5.2)', 'Connection': 'keep-alive'},\n 'history': [],\n 'reason': 'Forbidden',\n 'request': <PreparedRequest [GET]>,\n 'status_code': 403,", catalogue.EntryProxy},
		// https://github.com/curl/curl/issues/1016: the proxy reset the tunnel
		{"== Info: Establish HTTP proxy tunnel to dl-ssl.google.com:443\n== Info: Recv failure: Connection reset by peer\n== Info: Received HTTP code 0 from proxy after CONNECT\n== Info: Closing connection 0", catalogue.EntryProxy},
		// https://github.com/KarpelesLab/teamclaude/pull/103
		{"Proxy connection ended before receiving CONNECT response", catalogue.EntryProxy},
		// https://github.com/bda-research/node-crawler/issues/273
		{"error: CRAWLER Error Error: tunneling socket could not be established, cause=getaddrinfo ENOTFOUND undefined undefined:80 when fetching https://www.infoplex.com.br/perfil/cnpj/26821193000135 (1 retries left)", catalogue.EntryProxy},
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
		out := Format(d, Evidence{})
		if !strings.Contains(out, "the proxy's answer, not Anthropic's") || strings.Contains(out, "usually the network between you and Anthropic") {
			t.Errorf("%.70q: does not say it is the proxy's answer:\n%.300s", tc.text, out)
		}
		if !strings.Contains(out, "HTTPS_PROXY=http://user:") || !strings.Contains(out, "ask your IT") {
			t.Errorf("%.70q: no proxy-login fix:\n%s", tc.text, out)
		}
	}
}
