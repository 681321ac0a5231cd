package probe

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
)

// noSuchHostResolver is a *net.Resolver whose DNS server lives in the
// test process and knows no name: every query is answered NXDOMAIN, as a
// real server answers for *.invalid (RFC 6761). Tests that probe an
// unresolvable host use it, so they never wait on, or depend on, the
// machine's resolver. Names in /etc/hosts (localhost) still resolve: the
// pure-Go resolver reads that file first.
var noSuchHostResolver = &net.Resolver{
	PreferGo: true,
	Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		inProcessQueries.Add(1)
		client, server := net.Pipe()
		go answerNXDomain(server)
		return client, nil
	},
}

// inProcessQueries counts the connections noSuchHostResolver served.
var inProcessQueries atomic.Int64

// answerNXDomain serves DNS over a stream (two-byte length, then the
// message: net.Pipe is not a PacketConn, so Go's resolver speaks TCP
// framing) until the client hangs up, answering each query with its own
// question and RCODE 3, name error.
func answerNXDomain(c net.Conn) {
	defer c.Close()
	for {
		var n uint16
		if binary.Read(c, binary.BigEndian, &n) != nil {
			return
		}
		q := make([]byte, n)
		if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
			return
		}
		// The question: QNAME labels up to the root, then QTYPE, QCLASS.
		end := 12
		for end < len(q) && q[end] != 0 {
			end += 1 + int(q[end])
		}
		end += 1 + 4
		if end > len(q) {
			return
		}
		resp := append([]byte(nil), q[:end]...)
		resp[2] = 0x80 | q[2]&0x01 // QR, keeping RD
		resp[3] = 0x80 | 3         // RA, NXDOMAIN
		binary.BigEndian.PutUint16(resp[4:], 1)
		clear(resp[6:12]) // no answer, authority or additional records
		var frame [2]byte
		binary.BigEndian.PutUint16(frame[:], uint16(len(resp)))
		if _, err := c.Write(append(frame[:], resp...)); err != nil {
			return
		}
	}
}

// TestNoSuchHostResolver: the in-process resolver says "no such host"
// for any name, and the probers report it as a DNS failure.
func TestNoSuchHostResolver(t *testing.T) {
	_, err := noSuchHostResolver.LookupHost(context.Background(), "api.anthropic.com.invalid")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Fatalf("lookup: %v, want a not-found DNS error", err)
	}
	before := inProcessQueries.Load()
	r := testProber().Get(context.Background(), "http://downforai-test.invalid/", nil)
	if inProcessQueries.Load() == before {
		t.Error("the test prober did not ask the in-process resolver")
	}
	if c, typ, _ := ClassifyTransportError(r.Err, "downforai-test.invalid", 0); c != ClassNetwork || typ != NetDNS {
		t.Fatalf("got %v %v from %v", c, typ, r.Err)
	}
}
