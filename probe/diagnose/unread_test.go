package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestUnreadIsSaid: a read of the sessions cut short says what it left,
// and whether recent calls may be among it; a whole read says nothing.
func TestUnreadIsSaid(t *testing.T) {
	now := probetest.Now
	for _, tc := range []struct {
		name string
		p    probe.SessionProgress
		want []string
		not  string
	}{
		{"whole", probe.SessionProgress{Files: 3, Size: 1 << 30, Done: 1 << 30}, nil, "not read"},
		{"old left", probe.SessionProgress{Unread: 1288490189, UnreadFiles: 14, UnreadNewest: now.Add(-72 * time.Hour)},
			[]string{"older transcripts not read: 1.2 GB in 14 files, the newest written 3d ago"}, "recent calls"},
		{"recent left", probe.SessionProgress{Unread: 5 << 20, UnreadFiles: 1, UnreadNewest: now.Add(-time.Minute)},
			[]string{"not read: 5 MB in 1 file, the newest written 1m ago: recent calls may be among them"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, _ := SessionsLine(&probe.SessionsReport{Found: true, Dir: "~/.claude/projects", Progress: tc.p}, now, time.UTC)
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("%q lacks %q", line, w)
				}
			}
			if tc.not != "" && strings.Contains(line, tc.not) {
				t.Errorf("%q says %q", line, tc.not)
			}
		})
	}
}
