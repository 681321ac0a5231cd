package probe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      string
	}{
		{"plain", "Elevated errors", false, "Elevated errors"},
		{"osc title", "a\x1b]0;pwned\x07b", false, "ab"},
		{"osc 52 clipboard", "x\x1b]52;c;ZXZpbA==\x1b\\y", false, "xy"},
		{"clear screen", "\x1b[2Jhello", false, "hello"},
		{"csi colour", "\x1b[31mred\x1b[0m", false, "red"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", false, "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", false, "ab"},
		{"esc sequence", "a\x1bbc", false, "ac"},
		{"trailing esc", "ab\x1b", false, "ab"},
		{"c1 csi", "a\u009b2Jb", false, "ab"},
		{"c1 csi params", "Degraded \u009b31mperformance", false, "Degraded performance"},
		{"c1 osc title", "a\u009d0;pwned\u009cb", false, "ab"},
		{"bel and nul", "a\x07\x00b", false, "ab"},
		{"bidi override", "abc\u202Edef\u2066", false, "abcdef"},
		{"invalid utf8", "a\xffb", false, "a\uFFFDb"},
		{"tabs and blanks fold", "a\t\t b   c", false, "a b c"},
		{"newline flattened", "line1\nline2\r\nline3", false, "line1 line2 line3"},
		{"newline kept", "line1\nline2\r\nline3", true, "line1\nline2\nline3"},
		{"many newlines capped", "a\n\n\n\nb", true, "a\n\nb"},
		{"blanks after a line break go", "a\n  b\n\t\n c", true, "a\nb\n\nc"},
		{"a blank between words stays", "a b\nc d", true, "a b\nc d"},
		{"trim", "  a  ", false, "a"},
		{"empty", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in, tt.multiline); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSanitizePlainIsUnchanged: the fast path for plain text returns what
// the full cleaning would, and sends everything else to it.
func TestSanitizePlainIsUnchanged(t *testing.T) {
	for _, tt := range []struct {
		in    string
		plain bool
	}{
		{"Overloaded", true},
		{"claude-opus-4-6", true},
		{"req_011CXPBk57rUbKp5XVtievhP", true},
		{"a b c", true},
		{"~!@#$%^&*()_+{}|:<>?`-=[]\\;',./\"", true},
		{strings.Repeat("a", MaxTextLen), true},
		{strings.Repeat("a", MaxTextLen+1), false},
		{"", false},
		{" a", false},
		{"a ", false},
		{"a  b", false},
		{"a\tb", false},
		{"a\nb", false},
		{"a\x1b[31mb", false},
		{"a\x7fb", false},
		{"é", false},
		{"a\u202eb", false},
	} {
		if got := plain(tt.in); got != tt.plain {
			t.Errorf("plain(%q) = %v, want %v", tt.in, got, tt.plain)
		}
		for _, ml := range []bool{false, true} {
			if got, want := Sanitize(tt.in, ml), sanitize(tt.in, ml); got != want {
				t.Errorf("Sanitize(%q, %v) = %q, the full cleaning gives %q", tt.in, ml, got, want)
			}
		}
	}
}

func TestSanitizeBounded(t *testing.T) {
	got := Sanitize(strings.Repeat("é", MaxTextLen), false)
	if len(got) > MaxTextLen || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Fatalf("len=%d valid=%v", len(got), utf8.ValidString(got))
	}
	// Exactly MaxTextLen bytes are kept whole; one more is cut.
	whole := strings.Repeat("a", MaxTextLen)
	if got := Sanitize(whole, false); got != whole {
		t.Errorf("%d bytes: cut to %d", MaxTextLen, len(got))
	}
	if got := Sanitize(whole+"b", false); got != whole[:MaxTextLen-len("…")]+"…" {
		t.Errorf("%d bytes: got %d ending %q", MaxTextLen+1, len(got), got[len(got)-8:])
	}
}

func TestLine(t *testing.T) {
	if got := Line("abcdef", 4); got != "abc…" {
		t.Fatalf("Line = %q", got)
	}
	if got := Line("abc", 4); got != "abc" {
		t.Fatalf("Line = %q", got)
	}
	// Exactly max runes fit; max <= 0 is no rune limit.
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"abcd", 4, "abcd"},
		{"äbcdé", 5, "äbcdé"},
		{"äbcdéf", 5, "äbcd…"},
		{"abc", 0, "abc"},
		{"abc", -1, "abc"},
	} {
		if got := Line(tt.in, tt.max); got != tt.want {
			t.Errorf("Line(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"\x1b]0;t\x07", "\x1b[2J", "\u202e", "a\u2067b\u200e", "\ufeff\u061c", "\xff\xfe", "a\nb", "\x1bP\x1b\\"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		out := Sanitize(s, multiline)
		if slow := sanitize(s, multiline); out != slow {
			t.Fatalf("fast path %q, full %q", out, slow)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid utf8 %q", out)
		}
		if len(out) > MaxTextLen {
			t.Fatalf("too long: %d", len(out))
		}
		if r, bad := firstUnsafe(out, multiline); bad {
			t.Fatalf("control %U left in %q", r, out)
		}
	})
}
