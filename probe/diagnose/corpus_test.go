package diagnose

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"downforai/probe/catalogue"
)

// corpusCase is one line of testdata/pasted/corpus.jsonl: a real paste
// from a public issue thread, where it was found, and what the thread
// established (see the README beside it).
type corpusCase struct {
	Text    string  `json:"text"`
	Source  string  `json:"source"`
	Cause   string  `json:"cause"`
	Problem *string `json:"problem"`
	Side    string  `json:"side"`
}

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/pasted/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var c corpusCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpus runs every real paste of the corpus: each must be diagnosed
// as the problem its thread points at, or honestly as unknown where the
// text alone cannot say, and never put on a side the thread ruled out.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 80 {
		t.Fatalf("only %d real messages in the corpus", len(cases))
	}
	sides := map[string]bool{"anthropic": true, "yours": true, "network": true, "request": true, "either": true, "provider": true}
	for _, c := range cases {
		if c.Text == "" || c.Source == "" || c.Cause == "" || !sides[c.Side] {
			t.Errorf("malformed case %+v", c)
			continue
		}
		want := catalogue.EntryID("")
		if c.Problem != nil {
			want = catalogue.EntryID(*c.Problem)
			if _, ok := catalogue.ByID(want); !ok {
				t.Errorf("%s: expects %q, which the catalogue lacks", c.Source, want)
			}
		}
		d := Diagnose(c.Text)
		got, side := catalogue.EntryID(""), ""
		if d.Known() {
			got, side = d.Entry.ID, string(d.Entry.Side)
		}
		// Another provider's answer (Bedrock's, OpenAI's) is about your
		// account with it or its service: a thread that found the user's
		// key or quota there agrees, one that blames Anthropic does not.
		providers := side == "provider" && c.Side == "yours"
		if side != "" && side != c.Side && side != "either" && c.Side != "either" && !providers {
			t.Errorf("%s: WRONG SIDE: %s (%s, on %q), the thread says %s (%s)", c.Source, got, side, d.Matched, c.Side, c.Cause)
			continue
		}
		if got != want {
			t.Errorf("%s: %q (on %q), want %q\n  %.160q", c.Source, got, d.Matched, want, c.Text)
		}
	}
}

// TestSeedSignatures holds the seed page's own error signatures to their
// problems.
func TestSeedSignatures(t *testing.T) {
	for text, want := range map[string]catalogue.EntryID{
		"401 Unauthorized":               catalogue.EntryInvalidKey,
		"403 Forbidden":                  catalogue.EntryForbidden,
		"Invalid API key":                catalogue.EntryInvalidKey,
		"Authentication failed":          catalogue.EntryInvalidKey,
		"Invalid authentication":         catalogue.EntryInvalidKey,
		"Incorrect API key provided":     catalogue.EntryInvalidKey,
		"invalid_api_key":                catalogue.EntryInvalidKey,
		"permission_denied":              catalogue.EntryPermission,
		"API key not found":              catalogue.EntryInvalidKey,
		"Your account has been disabled": catalogue.EntryOrgDisabled,
	} {
		d := Diagnose(text)
		if !d.Known() || d.Entry.ID != want {
			t.Errorf("%q: %v, want %s", text, d.Entry, want)
		}
	}
}
