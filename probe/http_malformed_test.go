package probe

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// rawServer answers every connection with answer, byte for byte, after
// reading the request's head.
func rawServer(t *testing.T, answer string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					l, err := br.ReadString('\n')
					if err != nil || l == "\r\n" {
						break
					}
				}
				c.Write([]byte(answer))
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/"
}

// A server that connects and answers, but not in HTTP Go can read, is
// what answered — never "network: connect", never the user's side (cold6 E3).
func TestMalformedAnswerIsNoNetworkFailure(t *testing.T) {
	tests := []struct {
		name, answer string
		class        Class
		typ          string
	}{
		{"control character in a header", "HTTP/1.1 503 Service Unavailable\r\nCf-Ray: abc\x1b]0;RAY\a\r\nContent-Length: 0\r\n\r\n", ClassUnexpected, "malformed"},
		{"status line that is not HTTP", "SSH-2.0-OpenSSH_9.6\r\n\r\n", ClassUnexpected, "malformed"},
		{"status code that is not a number", "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", ClassUnexpected, "malformed"},
		{"closed without a word", "", ClassNetwork, NetReset},
	}
	p := NewHTTPProber(HTTPOptions{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := rawServer(t, tc.answer)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			r := p.Get(ctx, url, nil)
			if r.Err == nil {
				t.Fatalf("no error for %q", tc.answer)
			}
			c, typ, msg := ClassifyTransportError(r.Err, "example.test", 5*time.Second)
			if c != tc.class || typ != tc.typ {
				t.Errorf("%s/%s %q, want %s/%s (error %v)", c, typ, msg, tc.class, tc.typ, r.Err)
			}
			if strings.ContainsAny(msg, "\x1b\a") {
				t.Errorf("raw control characters in %q", msg)
			}
			if tc.class == ClassUnexpected && !strings.Contains(msg, "example.test answered with a malformed HTTP response") {
				t.Errorf("message %q does not say who answered", msg)
			}
		})
	}
}
