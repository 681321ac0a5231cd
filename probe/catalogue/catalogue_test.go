package catalogue

import (
	"slices"
	"testing"

	"downforai/probe"
)

// Every local finding the catalogue knows points at an entry of the same
// class that names the check among its Locals: the check and the entry
// agree on what the problem is.
func TestCheckEntriesAgree(t *testing.T) {
	for f, id := range checkEntries {
		e, ok := ByID(id)
		if !ok {
			t.Errorf("%v points at %s, not in the catalogue", f, id)
			continue
		}
		if e.Class != f.class {
			t.Errorf("%v points at %s of class %v", f, id, e.Class)
		}
		if !slices.Contains(e.Locals, f.id) {
			t.Errorf("%v points at %s, whose Locals %v lack %q", f, id, e.Locals, f.id)
		}
	}
	for cause, want := range map[string]EntryID{"": EntryProxy, probe.CauseSOCKS: EntrySOCKS, probe.CauseHTTPSProxy: EntryProxyScheme} {
		if e, ok := ForCheck(probe.LocalCheck{ID: "proxy", Level: probe.LocalWarn, Class: probe.ClassNetwork, Cause: cause}); !ok || e.ID != want {
			t.Errorf("proxy check with cause %q points at %s, want %s", cause, e.ID, want)
		}
	}
	if _, ok := ForCheck(probe.LocalCheck{ID: "dns", Level: probe.LocalOK}); ok {
		t.Error("a check that found nothing points at an entry")
	}
}
