package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// ago says seconds under a minute, truncated (a length still growing never
// reads more than has passed), then probe.Words.
func TestAgo(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "just now"},
		{0, "0 s ago"},
		{999 * time.Millisecond, "0 s ago"},
		{40*time.Second + 900*time.Millisecond, "40 s ago"},
		{59*time.Second + 999*time.Millisecond, "59 s ago"},
		{time.Minute, "1 min ago"},
		{6*time.Minute + 20*time.Second, "6 min ago"},
		{3*time.Hour + 5*time.Minute, "3 h 5 min ago"},
		{50 * time.Hour, "2 d 2 h ago"},
	} {
		if got := ago(tt.d); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// A sentence's times of day are in the zone of the input's clock (the
// dashboard viewer's, the process's for check), named, so they agree with
// the rest of the screen.
func TestTimesAreInTheReadersZone(t *testing.T) {
	at := time.Date(2026, 9, 3, 4, 50, 4, 0, time.UTC)
	for _, tt := range []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "04:50 UTC (6 min ago)"},
		{time.FixedZone("IST", 5*3600+1800), "10:20 IST (6 min ago)"},
		{time.FixedZone("CET", 3600), "05:50 CET (6 min ago)"},
	} {
		j := judgement{in: Input{Now: at.Add(6 * time.Minute).In(tt.loc)}}
		if got := j.clock(at); got != tt.want {
			t.Errorf("clock in %s = %q, want %q", tt.loc, got, tt.want)
		}
	}
}

// The evidence among a verdict's facts ("GET … → 529 … · 12:17:22 IST") is
// in the reader's zone too, as its other sentences are: a viewer in
// Kolkata read IST in Matching problem and UTC under "Why we say so".
func TestEvidenceFactsAreInTheReadersZone(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	for _, tt := range []struct {
		name   string
		recent map[probe.Target][]probe.Result
	}{
		{"an outage of ours", with(map[probe.Target][]probe.Class{probe.TargetAPI: repeat(probe.ClassOverloaded, 5), probe.TargetAPIKey: repeat(probe.ClassOverloaded, 5)})},
		{"a refused key", with(map[probe.Target][]probe.Class{probe.TargetAPIKey: repeat(probe.ClassAuth, 5)})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(Input{Status: officialSnap(nil), Recent: tt.recent, Now: judgeNow.In(ist)})
			var evidence []string
			for _, f := range v.Facts {
				if strings.Contains(f, " → ") {
					evidence = append(evidence, f)
				}
			}
			if len(evidence) == 0 {
				t.Fatalf("no evidence among the facts: %q", v.Facts)
			}
			for _, f := range evidence {
				if !strings.HasSuffix(f, " IST") || strings.Contains(f, "UTC") {
					t.Errorf("evidence not in the reader's zone: %q", f)
				}
			}
		})
	}
}
