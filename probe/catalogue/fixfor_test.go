package catalogue

import (
	"testing"

	"downforai/probe"
)

// TestFixForActsOnWhatTheCheckFound: a local check's finding gets the one
// fix of its entry that acts on what the check found — an odd key format
// is set again without quotes or spaces (not "compare it in the
// Console"), an expired login is logged into again.
func TestFixForActsOnWhatTheCheckFound(t *testing.T) {
	for _, tc := range []struct {
		c    probe.LocalCheck
		want string
	}{
		{probe.LocalCheck{ID: probe.CheckKeyFormat, Class: probe.ClassAuth}, "Create a new key if it is gone, and set it without quotes or spaces: export ANTHROPIC_API_KEY=sk-ant-api03-…"},
		{probe.LocalCheck{ID: probe.CheckCodeLogin, Class: probe.ClassAuth, Cause: probe.CauseExpired}, "Run `claude`, then /login, and sign in again; /status shows the new login."},
	} {
		if got, ok := FixFor(tc.c, nil); !ok || got != tc.want {
			t.Errorf("%s/%s: %q, want %q", tc.c.ID, tc.c.Cause, got, tc.want)
		}
	}
	if _, ok := FixFor(probe.LocalCheck{ID: probe.CheckDNS, Level: probe.LocalOK}, nil); ok {
		t.Error("a check that found nothing has a fix")
	}
}
