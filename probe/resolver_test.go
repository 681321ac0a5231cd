package probe

import (
	"context"
	"errors"
	"net"
	"testing"

	"downforai/probe/probetest/nxdomain"
)

// noSuchHostResolver knows no name and never leaves the process
// (probetest/nxdomain): tests that probe an unresolvable host use it.
var noSuchHostResolver = nxdomain.Resolver()

// TestNoSuchHostResolver: the in-process resolver says "no such host"
// for any name, and the probers report it as a DNS failure.
func TestNoSuchHostResolver(t *testing.T) {
	_, err := noSuchHostResolver.LookupHost(context.Background(), "api.anthropic.com.invalid")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Fatalf("lookup: %v, want a not-found DNS error", err)
	}
	before := nxdomain.Queries()
	r := testProber().Get(context.Background(), "http://downforai-test.invalid/", nil)
	if nxdomain.Queries() == before {
		t.Error("the test prober did not ask the in-process resolver")
	}
	if c, typ, _ := ClassifyTransportError(r.Err, "downforai-test.invalid", 0); c != ClassNetwork || typ != NetDNS {
		t.Fatalf("got %v %v from %v", c, typ, r.Err)
	}
}
