package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// What the page reports beyond the services we probe is said beside the
// all clear, never "Anthropic reports no problem" over it: a major outage
// of Claude Console with its open incident made the banner and check say
// "All clear: our probes succeed and Anthropic reports no problem."
// (cold9 E1).
func TestAllClearSaysWhatThePageReportsElsewhere(t *testing.T) {
	const console = "0qbwn08sd68x"
	consoleDown := probe.Component{ID: console, Name: "Claude Console (platform.claude.com)", Status: probe.ComponentMajorOutage}
	consoleUp := consoleDown
	consoleUp.Status = probe.ComponentOperational
	login := probe.Incident{ID: "c0ns0l3l0g1n", Name: "Console login failures", Status: "investigating", Impact: "major", Components: []string{console}}
	resolved := login
	resolved.Status, resolved.ResolvedAt = "resolved", now
	unplaced := probe.Incident{ID: "n0c0mp0n3nts", Name: "Delays in usage reporting", Status: "monitoring", Impact: "minor"}
	mnt := probe.Incident{ID: "c0ns0l3m4int", Name: "Console database upgrade", Status: "in_progress", Impact: "maintenance", Components: []string{console}}
	for _, c := range []struct {
		name  string
		comps []probe.Component
		incs  []probe.Incident
		mnts  []probe.Incident
		want  string
	}{
		{"nothing elsewhere", []probe.Component{consoleUp}, nil, nil,
			"All clear: our probes succeed and Anthropic reports no problem."},
		{"console down with its incident", []probe.Component{consoleDown}, []probe.Incident{login}, nil,
			`All clear: our probes succeed and Anthropic reports no problem with what we probe; elsewhere it reports Claude Console (platform.claude.com) as major outage; "Console login failures" (investigating).`},
		{"an incident naming no component", []probe.Component{consoleUp}, []probe.Incident{unplaced}, nil,
			`All clear: our probes succeed and Anthropic reports no problem with what we probe; elsewhere it reports "Delays in usage reporting" (monitoring).`},
		{"a resolved incident is no problem", []probe.Component{consoleUp}, []probe.Incident{resolved}, nil,
			"All clear: our probes succeed and Anthropic reports no problem."},
		{"maintenance in progress elsewhere", []probe.Component{consoleUp}, nil, []probe.Incident{mnt},
			`All clear: our probes succeed and Anthropic reports no problem with what we probe; elsewhere it reports maintenance "Console database upgrade" (in progress).`},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
			st := *in.Status
			st.Components = append(append([]probe.Component(nil), st.Components...), c.comps...)
			st.Incidents, st.Maintenances = c.incs, c.mnts
			in.Status = &st
			v := Judge(in)
			if v.Kind != probe.VerdictOperational {
				t.Fatalf("kind %s, want operational (the page reports nothing of ours): %q", v.Kind, v.Headline)
			}
			if !strings.Contains(v.Headline, c.want) {
				t.Errorf("headline\n %q\nwant it to hold\n %q", v.Headline, c.want)
			}
		})
	}
}
