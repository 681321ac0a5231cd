package catalogue

import (
	"slices"
	"testing"
)

// TestListsAreTheCallersOwn: Entries, Groups and FAQ hand out copies, so a
// caller that sorts or edits what it got cannot change what the next
// caller (the tab, `diagnose`, `faq`, the report) reads.
func TestListsAreTheCallersOwn(t *testing.T) {
	g := Groups()
	want := slices.Clone(g)
	g[0] = "changed"
	if got := Groups(); !slices.Equal(got, want) {
		t.Errorf("Groups() after a caller's edit = %v, want %v", got, want)
	}

	q := FAQ()
	if len(q) == 0 || len(q[0].Answer) == 0 || len(q[0].Entries) == 0 {
		t.Fatalf("FAQ()[0] has no answer or entries: %+v", q)
	}
	first := q[0].Question
	answer, entry := q[0].Answer[0], q[0].Entries[0]
	q[0].Question = "changed"
	q[0].Answer[0] = "changed"
	q[0].Entries[0] = "changed"
	again := FAQ()
	if again[0].Question != first || again[0].Answer[0] != answer || again[0].Entries[0] != entry {
		t.Errorf("FAQ()[0] after a caller's edit = %q / %q / %q, want %q / %q / %q",
			again[0].Question, again[0].Answer[0], again[0].Entries[0], first, answer, entry)
	}

	e := Entries()
	id := e[0].ID
	e[0].ID = "changed"
	if got := Entries()[0].ID; got != id {
		t.Errorf("Entries()[0].ID after a caller's edit = %q, want %q", got, id)
	}
}
