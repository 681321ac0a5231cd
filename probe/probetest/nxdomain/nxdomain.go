// Package nxdomain is a DNS resolver for tests that lives in the test
// process and knows no name: every query is answered NXDOMAIN, as a real
// server answers for *.invalid (RFC 6761). Tests that probe an
// unresolvable host use it, so they never wait on, or depend on, the
// machine's resolver. Names in /etc/hosts (localhost) still resolve: the
// pure-Go resolver reads that file first. Only tests import it; it
// imports nothing of downforai, so probe's own tests can use it too.
package nxdomain

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"sync/atomic"
)

// queries counts the connections the resolvers of this package served.
var queries atomic.Int64

// Queries is how many DNS connections this process's no-such-host
// resolvers have served: a test compares it before and after a lookup to
// prove the lookup never left the process.
func Queries() int64 { return queries.Load() }

// Resolver returns a *net.Resolver whose every lookup (other than of a
// name in /etc/hosts) fails with a not-found *net.DNSError, without a
// packet leaving the process.
func Resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: dial}
}

// Install makes net.DefaultResolver the no-such-host resolver, for a
// whole process: the real program, run as a child by an end-to-end test,
// then resolves no name without asking the machine's DNS. Call it before
// anything resolves a name.
func Install() {
	*net.DefaultResolver = net.Resolver{PreferGo: true, Dial: dial}
}

func dial(ctx context.Context, network, address string) (net.Conn, error) {
	queries.Add(1)
	client, server := net.Pipe()
	go answer(server)
	return client, nil
}

// answer serves DNS over a stream (two-byte length, then the message:
// net.Pipe is not a PacketConn, so Go's resolver speaks TCP framing) until
// the client hangs up, answering each query with its own question and
// RCODE 3, name error.
func answer(c net.Conn) {
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
