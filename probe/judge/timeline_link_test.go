package judge

import (
	"slices"
	"testing"
	"time"

	"downforai/probe"
)

// TestTimelineLinksTheOpenIncident (cold8 E6): after degraded → flapping →
// partial outage, our still-failing problem stood inside Anthropic's
// "Degraded performance" marked ended, while the open "Elevated error
// rates" of the same component stayed unlinked. Ours is linked to the
// official incidents that overlap it in time and concern its component;
// while it goes on, an open one beside an ended one is its own, and the
// other is said on both sides (Also, Elsewhere) — never dropped.
func TestTimelineLinksTheOpenIncident(t *testing.T) {
	at := func(hm string) time.Time {
		d, _ := time.ParseDuration(hm)
		return t0.Add(d)
	}
	degraded := func(end string) probe.Incident { // 13:00 → end
		in := officialIncident("degraded", at("0m"), time.Time{}, compAPI)
		in.Name, in.Impact = "Degraded performance on the Claude API", "minor"
		switch end {
		case "gone":
			in.Seen, in.Unlisted = at("37m24s"), at("37m30s")
		case "resolved":
			in.Status, in.ResolvedAt = "resolved", at("37m24s")
		}
		return in
	}
	elevated := func(comp string) probe.Incident { // 13:37:26, open
		in := officialIncident("elevated", at("37m26s"), time.Time{}, comp)
		in.Name, in.Impact, in.Status = "Elevated error rates on the Claude API", "minor", "investigating"
		return in
	}
	failing := func(first, recovered, linked string) probe.LocalIncident {
		var rec time.Time
		if recovered != "" {
			rec = at(recovered)
		}
		l := ours(probe.KindProvider, "api", at(first), rec)
		l.OfficialID = linked
		return l
	}
	type want struct {
		under     string   // the official incident ours is listed under, "" alone
		also      []string // the other official incidents said beside ours
		elsewhere []string // official incidents whose entry says ours is under another
	}
	for _, tc := range []struct {
		name     string
		official []probe.Incident
		l        probe.LocalIncident
		want     want
	}{
		{"ended off the page, another open: ours is the open one's",
			[]probe.Incident{degraded("gone"), elevated(compAPI)}, failing("1m", "", "degraded"),
			want{"elevated", []string{"degraded"}, []string{"degraded"}}},
		{"resolved, another open: ours is the open one's",
			[]probe.Incident{degraded("resolved"), elevated(compAPI)}, failing("1m", "", "degraded"),
			want{"elevated", []string{"degraded"}, []string{"degraded"}}},
		{"not linked yet: the open one",
			[]probe.Incident{degraded("gone"), elevated(compAPI)}, failing("1m", "", ""),
			want{"elevated", []string{"degraded"}, []string{"degraded"}}},
		{"ended, none open: ours stays, still failing",
			[]probe.Incident{degraded("gone")}, failing("1m", "", "degraded"),
			want{"degraded", nil, nil}},
		{"ended, the open one is of another component: ours stays",
			[]probe.Incident{degraded("gone"), elevated(compClaudeAI)}, failing("1m", "", "degraded"),
			want{"degraded", nil, nil}},
		{"ours recovered before the first ended: it stays, the later one is no overlap",
			[]probe.Incident{degraded("resolved"), elevated(compAPI)}, failing("1m", "20m", "degraded"),
			want{"degraded", nil, nil}},
		{"ours recovered after the second began: linked to the first, the second beside it",
			[]probe.Incident{degraded("resolved"), elevated(compAPI)}, failing("1m", "45m", "degraded"),
			want{"degraded", []string{"elevated"}, []string{"elevated"}}},
		{"ours began after the first ended: only the open one",
			[]probe.Incident{degraded("resolved"), elevated(compAPI)}, failing("37m40s", "", ""),
			want{"elevated", nil, nil}},
		{"both open: the one posted closest to our first failure, the other beside",
			[]probe.Incident{degraded(""), elevated(compAPI)}, failing("1m", "", "degraded"),
			want{"degraded", []string{"elevated"}, []string{"elevated"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries := Timeline(tc.official, []probe.LocalIncident{tc.l})
			var got want
			alone := 0
			for _, e := range entries {
				if len(e.Local) > 0 {
					if e.Official != nil {
						got.under = e.Official.ID
					} else {
						alone++
					}
					for _, a := range e.Also {
						got.also = append(got.also, a.ID)
					}
				}
				for _, x := range e.Elsewhere {
					got.elsewhere = append(got.elsewhere, e.Official.ID)
					if x.Under.ID != got.under && x.Under.ID != "" && got.under != "" {
						defer t.Errorf("%s says ours is under %q, it is under %q", e.Official.ID, x.Under.ID, got.under)
					}
				}
			}
			if len(entries) != len(tc.official)+alone || (tc.want.under != "" && alone > 0) {
				t.Errorf("%d entries (%d of ours alone) for %d official incidents", len(entries), alone, len(tc.official))
			}
			if got.under != tc.want.under || !slices.Equal(got.also, tc.want.also) || !slices.Equal(got.elsewhere, tc.want.elsewhere) {
				t.Errorf("under %q, also %v, said elsewhere in %v\nwant under %q, also %v, elsewhere %v",
					got.under, got.also, got.elsewhere, tc.want.under, tc.want.also, tc.want.elsewhere)
			}
		})
	}
}

// TestDetectorMovesToTheOpenIncident (cold8 E6): the detector's link, the
// one stored, moves too: "a link stays while it still overlaps" kept ours
// on the incident that ended.
func TestDetectorMovesToTheOpenIncident(t *testing.T) {
	a := officialIncident("degraded", t0, time.Time{}, compAPI)
	b := officialIncident("elevated", t0.Add(37*time.Minute), time.Time{}, compAPI)
	l := ours(probe.KindProvider, "api", t0.Add(time.Minute), time.Time{})
	l.OfficialID = "degraded"
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(40 * time.Minute) }})
	d.official["degraded"] = a
	d.open[l.Subject] = &l
	changed := map[*probe.LocalIncident]bool{}
	d.link(changed)
	if l.OfficialID != "degraded" {
		t.Fatalf("both open: moved to %q", l.OfficialID)
	}
	a.Status, a.ResolvedAt = "resolved", t0.Add(37*time.Minute)
	d.official["degraded"], d.official["elevated"] = a, b
	d.link(changed)
	if l.OfficialID != "elevated" || !changed[&l] {
		t.Errorf("after the first was resolved, ours is linked to %q (changed %v), want the open one", l.OfficialID, changed[&l])
	}
}
