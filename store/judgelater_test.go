package store

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
)

// smallHistory is a file of 2,000 results per target in one commit: a few
// dozen leaf pages under each target's index page, so that each of the
// damages finds what it breaks, and quick enough for the race detector.
func smallHistory(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{noSync: true})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var rs []probe.Result
	for i := range 2000 {
		for _, tg := range benchTargets {
			rs = append(rs, realistic(rng, tg, base.Add(time.Duration(i)*benchStep)))
		}
	}
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestJudgeInBackground: with Options.JudgeInBackground, Open refuses what
// bbolt itself would trip over as it opens the file (a cut, the meta
// pages, the free list) at once, opens a file whose damage lies deeper
// without reading it all, and then never writes it: the first write waits
// for the judgement and is ErrDamaged, as is Judged, and the file's bytes
// stay as they were. A sound file takes writes once judged.
func TestJudgeInBackground(t *testing.T) {
	// Damages only the walk of every page finds: Open must not wait for it.
	deep := map[string]bool{"random pages": true, "index page above the results zeroed": true}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			path := smallHistory(t)
			d.do(t, path)
			before := fileSum(t, path)
			s, err := Open(path, Options{JudgeInBackground: true})
			switch {
			case err != nil && deep[d.name]:
				t.Fatalf("Open judged the whole file before it returned: %v", err)
			case err != nil:
				if !errors.Is(err, ErrDamaged) {
					t.Fatalf("Open: %v, want ErrDamaged", err)
				}
				return
			case !deep[d.name]:
				s.Close()
				t.Fatal("Open succeeded on a file bbolt cannot open safely")
			}
			// The newest result goes to the end of results/api, away from
			// what the damage hit: nothing but the judgement stops it.
			werr := s.PutResult(probe.Result{Target: probe.TargetAPI, Time: base.Add(time.Hour * 24 * 30), Class: probe.ClassOK})
			if !errors.Is(werr, ErrDamaged) {
				t.Errorf("a write before the judgement was in: %v, want ErrDamaged", werr)
			}
			if jerr := s.Judged(); !errors.Is(jerr, ErrDamaged) {
				t.Errorf("Judged: %v, want ErrDamaged", jerr)
			} else {
				saysDamaged(t, jerr, path)
			}
			s.Close()
			if fileSum(t, path) != before {
				t.Error("the damaged file was written")
			}
		})
	}
	t.Run("sound", func(t *testing.T) {
		path := smallHistory(t)
		s, err := Open(path, Options{JudgeInBackground: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.PutResult(probe.Result{Target: probe.TargetAPI, Time: base.Add(time.Hour * 24 * 30), Class: probe.ClassOK}); err != nil {
			t.Fatalf("write: %v", err)
		}
		if err := s.Judged(); err != nil {
			t.Fatalf("Judged: %v", err)
		}
		rs, err := s.Recent(probe.TargetAPI, 2001)
		if err != nil || len(rs) != 2001 {
			t.Fatalf("Recent: %d results, %v", len(rs), err)
		}
	})
}

func saysDamaged(t *testing.T, err error, path string) {
	t.Helper()
	for _, want := range []string{path, "damaged", "not written", "db salvage"} {
		if !errors.Is(err, ErrDamaged) || !contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestWritesWaitForTheJudgement: the background judgement starts when it
// is asked for (StartJudging) or at the first write, not at Open; while it
// has not read the file, reads answer and a write waits; once it is in,
// the write goes through. A store closed while it runs stops it, one
// closed before it starts never starts it, and neither writes.
func TestWritesWaitForTheJudgement(t *testing.T) {
	path := smallHistory(t)
	started := make(chan struct{}, 8)
	release := make(chan struct{})
	judgeLaterHook = func() { started <- struct{}{}; <-release }
	t.Cleanup(func() { judgeLaterHook = nil })

	s, err := Open(path, Options{JudgeInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	if rs, err := s.Recent(probe.TargetStatus, 3); err != nil || len(rs) != 3 {
		t.Errorf("a read before the judgement: %d results, %v", len(rs), err)
	}
	if len(started) != 0 {
		t.Error("Open started the judgement: it waits for StartJudging or a write")
	}
	wrote := make(chan error, 1)
	go func() {
		wrote <- s.PutResult(probe.Result{Target: probe.TargetAPI, Time: base.Add(time.Hour * 24 * 30), Class: probe.ClassOK})
	}()
	<-started // the write started it
	select {
	case err := <-wrote:
		t.Errorf("the write did not wait for the judgement (%v)", err)
		close(release)
	case <-time.After(200 * time.Millisecond): // it waits, as it should
		close(release)
		if err := <-wrote; err != nil {
			t.Errorf("the write once judged: %v", err)
		}
	}
	s.StartJudging() // once is enough: no second judgement
	if err := s.Close(); err != nil || len(started) != 0 {
		t.Errorf("Close: %v; judgements started again: %d", err, len(started))
	}

	// Closed while the judgement runs: it stops, and writes are refused.
	release = make(chan struct{})
	if s, err = Open(path, Options{JudgeInBackground: true}); err != nil {
		t.Fatal(err)
	}
	s.StartJudging()
	<-started
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	<-s.quit
	close(release)
	<-closed
	if err := s.Judged(); !errors.Is(err, errNotJudged) {
		t.Errorf("Judged after a Close during the judgement: %v, want errNotJudged", err)
	}

	// Closed before it starts: it never does.
	if s, err = Open(path, Options{JudgeInBackground: true}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.StartJudging()
	if err := s.Judged(); !errors.Is(err, errNotJudged) || len(started) != 0 {
		t.Errorf("Judged after Close: %v, judgements started: %d", err, len(started))
	}
}
