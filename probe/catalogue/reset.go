package catalogue

import (
	"strings"

	"downforai/probe"
	"downforai/probe/lazyre"
)

// reReset is a connection reset as clients word it: Node's ECONNRESET
// (with the call it broke, "read ECONNRESET") and "socket hang up", the
// OS's "connection reset by peer" (curl, Go, Python), Java's "Connection
// reset", Windows' "forcibly closed by the remote host", a TLS handshake
// cut ("Client network socket disconnected before secure TLS connection
// was established", "Connection was reset in connection to …"). An
// Envoy's "disconnect/reset before headers" is an answer (503), not this.
var reReset = lazyre.New(`(?i)\b(?:(?:read|write|connect|recv|send)\s+)?(?:WSA)?ECONNRESET\b|\bConnectionResetError\b|\bconnection reset by peer\b|\bconnection (?:was )?reset\b|\bsocket hang up\b|Client network socket disconnected before secure TLS connection was established|forcibly closed by the remote host`)

// reResetHost finds the host a reset connection was to, as the paste
// names it: curl's "in connection to HOST:443", Go's "->IP:443", a Node
// error's host: 'HOST', Python's HTTPSConnectionPool(host='HOST'), Claude
// Code's "Failed to connect to HOST" and its cause's "path":"https://HOST/…".
var reResetHost = []*lazyre.Regexp{
	lazyre.New(`(?i)\bin connection to ([a-z0-9.-]+\.[a-z0-9-]+):\d+`),
	lazyre.New(`->([0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9a-fA-F:]+\]):\d+`),
	lazyre.New(`(?i)\bhost(?:name)?['"]?\s*[:=]\s*['"]([a-z0-9.-]+\.[a-z0-9-]+)['"]`),
	lazyre.New(`(?i)\bFailed to connect to ([a-z0-9.-]+\.[a-z]{2,})\b`),
	lazyre.New(`(?i)['"]?\bpath['"]?\s*[:=]\s*['"]https?://([a-z0-9.-]+)`),
}

// resetLeads puts a connection reset the paste names first (cold9 E2):
// the connection broke at the network level between the program and the
// host it called — whatever other word of the paste matched ("Request
// timed out", a status, "API Error") says less. A reset does not outrank
// what names where it happened or what answered: a proxy's words (the
// proxy reset the tunnel), DNS or TLS named, a gateway's or relay's own
// words ("upstream unreachable: read ECONNRESET" is the gateway's answer
// about its upstream), a structural proof, or Anthropic's error type with
// the words it agrees with.
// The host the connection was to is named when the paste says it.
func resetLeads(p Clues, best *candidate, scored map[EntryID]*candidate) *candidate {
	if best != nil && best.e.Group == GroupProvider {
		return best
	}
	words := oneSpace(reReset.FindString(p.flat))
	if words == "" {
		return best
	}
	at := ""
	if h := resetHost(p); h != "" {
		at = " on the way to " + h
	}
	if best != nil {
		switch id := best.e.ID; {
		case id == EntryConnection || id == EntryDropped:
			// The reset's own words are exact: as sure as an error code,
			// and quoted whole ("read ECONNRESET") where a code or
			// fragment of them matched.
			c := *best
			if c.via >= viaCode {
				c.via, c.matched = viaCode, words
			}
			c.matched += at
			return &c
		case id == EntryProxy || id == EntryProxyAuth || id == EntryProxyScheme || id == EntrySOCKS,
			(id == EntryDNS || id == EntryTLS || id == EntryClockSkew || id == EntryGateway || id == EntryIntermediary || id == EntryChallenge) && best.via <= viaPattern && !best.wrapper,
			best.via == viaStructure, best.via == viaType, best.agreed && len(p.types) > 0:
			return best
		}
	}
	var c candidate
	for _, id := range []EntryID{EntryConnection, EntryDropped} {
		if s := scored[id]; s != nil && (c.e == nil || s.score > c.score) {
			c = *s
		}
	}
	if c.e == nil {
		c = candidate{e: entry(EntryConnection)}
	}
	c.via, c.wrapper, c.agreed, c.both = viaCode, false, false, false
	c.matched = "a connection reset (" + probe.Quote(words) + ")" + at
	if best != nil && !best.wrapper && best.via < viaStatus {
		c.matched += ", which outranks " + probe.Quote(best.matched) + " in the same paste"
	}
	return &c
}

// resetHost is the host a reset connection was to, "" when the paste does
// not say; an address in Anthropic's API range (160.79.104.0/23) says so.
func resetHost(p Clues) string {
	h := ""
	for _, re := range reResetHost {
		if m := re.FindStringSubmatch(p.flat); m != nil {
			h = strings.ToLower(m[1])
			break
		}
	}
	if h == "" && len(p.targets) > 0 {
		h = p.targets[0]
	}
	if strings.HasPrefix(h, "160.79.104.") || strings.HasPrefix(h, "160.79.105.") {
		h += " (Anthropic's API address)"
	}
	return h
}
