package judge

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
)

// TestEngineAgainstFakeUpstream runs the real probers through the engine
// against the fake upstream and judges what they saw, scenario by scenario.
func TestEngineAgainstFakeUpstream(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	checks := probe.NewChecks(probe.Config{
		StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
		APIKey:    "sk-ant-api03-fake",
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"),
		Timeout:   5 * time.Second,
	})
	tests := []struct {
		mode fakeupstream.Mode
		want probe.VerdictKind
	}{
		{fakeupstream.ModeOperational, probe.VerdictOperational},
		{fakeupstream.ModeUnacknowledged, probe.VerdictUnacknowledged},
		{fakeupstream.ModeMajorOutage, probe.VerdictOutage},
		{fakeupstream.ModeInvalidKey, probe.VerdictLocalCredential},
		{fakeupstream.ModeRateLimited, probe.VerdictLocalQuota},
		{fakeupstream.ModeCredit, probe.VerdictLocalQuota},
		{fakeupstream.ModeMaintenance, probe.VerdictMaintenance},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			fake.SetMode(tt.mode)
			rec := &countingRecorder{}
			e := probe.NewEngine(checks, rec)
			recent := map[probe.Target][]probe.Result{}
			var status *probe.Status
			for range 3 {
				for _, ev := range e.RunOnce(t.Context()) {
					recent[ev.Result.Target] = append(recent[ev.Result.Target], ev.Result)
					if ev.Status != nil {
						status = ev.Status
					}
				}
			}
			v := Judge(Input{Status: status, Recent: recent, Now: time.Now()})
			if v.Kind != tt.want {
				var got []string
				for tg, rs := range recent {
					got = append(got, fmt.Sprintf("%s=%s(%d %s)", tg, rs[len(rs)-1].Class, rs[len(rs)-1].HTTPStatus, rs[len(rs)-1].Message))
				}
				t.Errorf("verdict %v, want %v; headline %q; last results %v", v.Kind, tt.want, v.Headline, got)
			}
			if n := rec.count(); n != 3*len(checks) {
				t.Errorf("recorded %d results, want %d", n, 3*len(checks))
			}
		})
	}
}

// countingRecorder counts what the engine records.
type countingRecorder struct {
	mu sync.Mutex
	n  int
}

func (r *countingRecorder) PutResult(probe.Result) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	return nil
}

func (r *countingRecorder) PutStatus(probe.Status) (bool, error) { return true, nil }

func (r *countingRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}
