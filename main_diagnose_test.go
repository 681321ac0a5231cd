package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"downforai/probe/fakeupstream"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of package main")

// diagnoseFlags points every probe at fake and keeps the run in dir.
func diagnoseFlags(fake, dir string) []string {
	return []string{"--status-url", fake, "--api-url", fake, "--claude-url", fake, "--db", filepath.Join(dir, "h.db"),
		"--claude-bin", filepath.Join(dir, "no-claude"), "--timeout", "3s"}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test . -run %s -update to write it)", err, t.Name())
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (go test . -update accepts it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestDiagnoseJSON pins `diagnose --json`'s field names and values (the
// schema scripts rely on) against the fake rejecting the key, and checks
// that unknown text gives problem null, never a guess.
func TestDiagnoseJSON(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeInvalidKey)
	defer fake.Close()
	key := "sk-ant-api03-" + strings.Repeat("Qw9_", 22) + "Tt3k7" + "AA"
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": key})
	pasted := `  ⎿  API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7F2"} · Please run /login` + "\n"

	var out, errb bytes.Buffer
	if code := run(append(append([]string{"diagnose", "--json"}, diagnoseFlags(fake.URL, dir)...), "-"), getenv, strings.NewReader(pasted), &out, &errb); code != exitOK {
		t.Fatalf("diagnose --json exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String(), key[20:60]) {
		t.Fatal("the key is in diagnose --json")
	}
	var obj map[string]any
	if err := json.Unmarshal(out.Bytes(), &obj); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	if obj["problem"] != "invalid_api_key" || obj["side"] != "yours" {
		t.Errorf("problem %v side %v, want invalid_api_key yours", obj["problem"], obj["side"])
	}
	// The time of the live round is the only thing that moves: its field,
	// and its clock time in the sentences ("401 at 16:11:31 UTC").
	stable := regexp.MustCompile(`"checked_at":"[^"]+"`).ReplaceAll(out.Bytes(), []byte(`"checked_at":"…"`))
	stable = regexp.MustCompile(`\b\d\d:\d\d:\d\d UTC`).ReplaceAll(stable, []byte(`HH:MM:SS UTC`))
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, stable, "", "  "); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "diagnose.json.golden", pretty.Bytes())

	out.Reset()
	if code := run(append(append([]string{"diagnose", "--json"}, diagnoseFlags(fake.URL, dir)...), "the printer is on fire"), getenv, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	obj = nil
	if err := json.Unmarshal(out.Bytes(), &obj); err != nil {
		t.Fatal(err)
	}
	if v, ok := obj["problem"]; !ok || v != nil || obj["side"] != nil || obj["confidence"] != nil {
		t.Errorf("unknown text should be problem, side and confidence null:\n%s", out.String())
	}
	if live, _ := obj["live"].(map[string]any); live == nil || live["verdict"] != "local_credential" {
		t.Errorf("unknown text still carries the live verdict:\n%s", out.String())
	}
}

// TestFAQ runs `faq` and `diagnose --faq`: the same answers, each ending
// with what the live round (here: the fake rejecting the key) says now.
func TestFAQ(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeInvalidKey)
	defer fake.Close()
	key := "sk-ant-api03-" + strings.Repeat("Qw9_", 22) + "Tt3k7" + "AA"
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": key})
	var faq, viaDiagnose, errb bytes.Buffer
	if code := run(append([]string{"faq"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &faq, &errb); code != exitOK {
		t.Fatalf("faq exit %d: %s", code, errb.String())
	}
	if code := run(append([]string{"diagnose", "--faq"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &viaDiagnose, &errb); code != exitOK {
		t.Fatalf("diagnose --faq exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"Why is my API key not working?", "Is Anthropic authentication down?",
		"Right now:", `401 authentication_error "invalid x-api-key"`, "Live verdict: Your credential"} {
		if !strings.Contains(faq.String(), want) {
			t.Errorf("faq lacks %q:\n%s", want, faq.String())
		}
	}
	// The second round weighs the first (its "judged on" says so).
	strip := regexp.MustCompile(`(\d+ |each |none )?of the last \d+|the last \d+|the only [a-zA-Z. ]+? so far|req_011CFake\d+|judged on [^)\n]*|\d\d:\d\d:\d\d UTC`)
	if a, b := strip.ReplaceAllString(faq.String(), "n of m"), strip.ReplaceAllString(viaDiagnose.String(), "n of m"); a != b {
		t.Errorf("diagnose --faq and faq differ:\n%s\n---\n%s", a, b)
	}
	if strings.Contains(faq.String(), key[20:60]) {
		t.Error("the key is in the faq")
	}
	if code := run([]string{"faq", "some", "text"}, getenv, strings.NewReader(""), &faq, &errb); code != exitUsage {
		t.Errorf("faq with text: exit %d, want usage", code)
	}
}
