package probe

import (
	"strings"
	"testing"
)

// TestCodeUsageWindowNameNeverHoldsAToken: a window name is cut to 40
// runes for the screen; it is redacted first, so a token in it is masked
// whole instead of cut to a prefix that Redact no longer recognises.
func TestCodeUsageWindowNameNeverHoldsAToken(t *testing.T) {
	const tok = "sk-ant-oat01-W7CANARYOAUTH_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789-Qz9BAA"
	limits, ok := parseCodeUsage([]byte(`{"five_hour":{"utilization":61},"xBearer ` + tok + `":{"utilization":1}}`))
	if !ok || len(limits) != 2 {
		t.Fatalf("limits %+v, %v", limits, ok)
	}
	for _, l := range limits {
		for _, part := range []string{tok[:len(tok)/2], "W7CANARY", tok[len(tok)-12:]} {
			if strings.Contains(l.Name, part) || strings.Contains(l.Label(), part) {
				t.Errorf("window name %q holds %q", l.Name, part)
			}
		}
	}
}
