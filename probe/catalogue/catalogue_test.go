package catalogue

import (
	"slices"
	"strings"
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

// TestCheckIDsExist: every local check id the catalogue names — in an
// entry's Locals or in the map from a check's finding to its entry — is
// one of the checks probe runs. (An entry once named a "ratelimit" check
// that never existed, so nothing ever confirmed it.)
func TestCheckIDsExist(t *testing.T) {
	known := probe.LocalCheckIDs()
	for _, e := range Entries() {
		for _, id := range e.Locals {
			if !slices.Contains(known, id) {
				t.Errorf("entry %s names local check %q, which does not exist", e.ID, id)
			}
		}
	}
	for f, id := range checkEntries {
		if !slices.Contains(known, f.id) {
			t.Errorf("a finding of local check %q (for %s) names a check that does not exist", f.id, id)
		}
	}
}

// TestRejectedLoginIsAnInference: a 401 on a token the credentials file
// holds unexpired points at the "rejected" entry (CauseRejected). That a
// login was revoked is then an inference — signed out elsewhere, a
// password change, an admin — so the entry's title and text say
// "rejected" as the fact and "likely" before any "revoked".
func TestRejectedLoginIsAnInference(t *testing.T) {
	e, ok := ForCheck(probe.LocalCheck{ID: probe.CheckCodeLogin, Level: probe.LocalFail, Class: probe.ClassAuth, Cause: probe.CauseRejected})
	if !ok {
		t.Fatal("a rejected Claude Code login points at no entry")
	}
	for _, s := range []string{e.Title, e.What} {
		if !strings.Contains(s, "rejected") {
			t.Errorf("%s: %q does not say the login was rejected", e.ID, s)
		}
		if i := strings.Index(s, "revoked"); i >= 0 && !strings.Contains(s[:i], "likely") {
			t.Errorf("%s: %q states a revocation as a fact", e.ID, s)
		}
	}
}
