package judge

import "testing"

func TestGistEndsBeforeACutDetail(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{ // cold-tried: the headline read "… malformed HTTP response (ma…)".
			`127.0.0.1:18802 answered with a malformed HTTP response (malformed MIME header line: "X-Bad: a\x01b")`,
			"127.0.0.1:18802 answered with a malformed HTTP response",
		},
		{"short (kept whole)", "short (kept whole)"},
		{ // a closed parenthesis before the cut is no reason to cut there
			"dial tcp (ipv4) 10.0.0.1:443: i/o timeout while waiting for the server to answer anything at all",
			"dial tcp (ipv4) 10.0.0.1:443: i/o timeout while waiting for…",
		},
		{ // a detail opened in the first third is kept: the cut would say too little
			"read (tcp 10.0.0.1:5123->160.79.104.10:443: connection reset by peer while reading the body)",
			"read (tcp 10.0.0.1:5123->160.79.104.10:443: connection rese…",
		},
	} {
		if got := gist(tc.msg, 60); got != tc.want {
			t.Errorf("gist(%q)\n got %q\nwant %q", tc.msg, got, tc.want)
		}
	}
}
