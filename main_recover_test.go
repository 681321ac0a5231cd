package main

import (
	"io"
	"log/slog"
	"testing"

	"downforai/probe/config"
)

// TestRecoverThresholdReachesTheDashboard: --recover-threshold is the
// detector's count and the banner's (through ui.Options), so the banner
// does not say "all clear" while the incident stays open, nor the other
// way round. The watch tracker behind /metrics and notifications gets the
// same number in startWatch; ui's TestBannerMetricsNotificationsAgree
// checks they then agree.
func TestRecoverThresholdReachesTheDashboard(t *testing.T) {
	c := config.Default(func(string) string { return "" })
	c.RecoverThreshold = 5
	opts := dashboardOptions(c, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if opts.RecoverThreshold != 5 {
		t.Errorf("ui.Options.RecoverThreshold = %d, want the flag's 5", opts.RecoverThreshold)
	}
}
