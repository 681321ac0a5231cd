package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"downforai/probe/fakeupstream"
)

// agreeCheck is what these tests read of check --json.
type agreeCheck struct {
	Verdict     string   `json:"verdict"`
	VerdictText string   `json:"verdict_text"`
	Headline    string   `json:"headline"`
	Facts       []string `json:"facts"`
	JudgedOn    string   `json:"judged_on"`
}

// runAgreeCheck runs check --json with flags and decodes it.
func runAgreeCheck(t *testing.T, getenv env, flags []string) agreeCheck {
	t.Helper()
	var out, errb bytes.Buffer
	run(append([]string{"check", "--json"}, flags...), getenv, strings.NewReader(""), &out, &errb)
	var c agreeCheck
	if err := json.Unmarshal(out.Bytes(), &c); err != nil {
		t.Fatalf("check --json: %v\n%s\n%s", err, out.String(), errb.String())
	}
	return c
}

// runAgreeReport runs report with flags and returns its Markdown.
func runAgreeReport(t *testing.T, getenv env, flags []string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(append([]string{"report"}, flags...), getenv, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("report exit %d: %s", code, errb.String())
	}
	return out.String()
}

// TestCheckAndReportSayOneBasis (issue 19, one verdict per moment): on a
// fresh database check says 'judged on this round alone: the database
// holds no recent round' — the verdict is one round's, before any
// persistence — and report, on its own fresh database against the same
// upstreams, said nothing of it: the same verdict, without its hedge. Now
// report carries check's sentence, word for word, fresh and a round later,
// with the targets asked again to confirm a change, and both name the same
// verdict.
func TestCheckAndReportSayOneBasis(t *testing.T) {
	for _, api := range []fakeupstream.APIState{fakeupstream.APIOK, fakeupstream.API529} {
		t.Run(string(api), func(t *testing.T) {
			fake := fakeupstream.New(fakeupstream.ModeOperational)
			defer fake.Close()
			fake.SetScenario(fakeupstream.Scenario{Status: fakeupstream.StatusOperational, API: api, Claude: fakeupstream.ClaudeOK})
			getenv, dir := testEnv(t, nil)
			checkFlags := diagnoseFlags(fake.URL, dir)
			reportFlags := append(diagnoseFlags(fake.URL, dir), "--db", filepath.Join(dir, "report.db"))
			for i, want := range []string{"this round alone: the database holds no recent round", "recorded round"} {
				chk := runAgreeCheck(t, getenv, checkFlags)
				rep := runAgreeReport(t, getenv, reportFlags)
				if !strings.Contains(chk.JudgedOn, want) {
					t.Errorf("round %d: check judged_on %q, want it to say %q", i, chk.JudgedOn, want)
				}
				if !strings.Contains(rep, "judged on "+chk.JudgedOn) {
					t.Errorf("round %d: report does not say check's 'judged on %s':\n%s", i, chk.JudgedOn, rep)
				}
				if !strings.Contains(rep, "## Verdict: "+chk.VerdictText+"\n\n"+chk.Headline+"\n") {
					t.Errorf("round %d: report's verdict is not check's %q %q:\n%s", i, chk.VerdictText, chk.Headline, rep)
				}
			}
		})
	}
}

// TestCheckAndReportSayARecoveredFailure (issue 19): with the database
// holding the API's 529s of seconds ago and the API answering now, check
// said "All clear" and nothing of them. The verdict stays all clear; check,
// its --json "earlier" and report now say the failure with its times, the
// same line.
func TestCheckAndReportSayARecoveredFailure(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	recordAPI(t, filepath.Join(dir, "h.db"), "529", "529", "529")
	flags := diagnoseFlags(fake.URL, dir)
	var out, errb bytes.Buffer
	run(append([]string{"check", "--json"}, flags...), getenv, strings.NewReader(""), &out, &errb)
	var chk struct {
		Verdict string   `json:"verdict"`
		Earlier []string `json:"earlier"`
	}
	if err := json.Unmarshal(out.Bytes(), &chk); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if chk.Verdict != "operational" || len(chk.Earlier) != 1 || !strings.HasPrefix(chk.Earlier[0], "Earlier: Claude API failed 3 of 3 probes from ") || !strings.Contains(chk.Earlier[0], "(529 overloaded_error); answering again since ") {
		t.Fatalf("check: %s, earlier %q; want operational saying the three 529s", chk.Verdict, chk.Earlier)
	}
	if rep := runAgreeReport(t, getenv, flags); !strings.Contains(rep, "- "+chk.Earlier[0]+"\n") {
		t.Errorf("report does not say check's %q:\n%s", chk.Earlier[0], rep)
	}
}
