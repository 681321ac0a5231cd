package store

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestSalvageOfImportedFile: a file built by `history import` is written in
// one commit, so the older meta page's tree is the empty file the import
// began with — sound, and holding nothing. One damaged results page used to
// make salvage copy from that tree: nothing recovered, "lost: nothing".
// Every other target's results, the rollups and the damaged target's other
// pages must be copied, and the damaged page's range named as lost.
func TestSalvageOfImportedFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "written.db")
	s, err := Open(src, Options{noSync: true})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		for _, tg := range benchTargets {
			if err := s.PutResult(realistic(rng, tg, base.Add(time.Duration(i)*benchStep))); err != nil {
				t.Fatal(err)
			}
		}
	}
	var exp bytes.Buffer
	if _, err := s.Export(&exp, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[probe.Target][]probe.Result{}
	for _, tg := range benchTargets {
		if want[tg], err = s.Range(tg, time.Time{}, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	imp := filepath.Join(dir, "imported.db")
	s, err = Open(imp, Options{noSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Import(&exp, int64(exp.Len()), nil, nil); err != nil || rep.Added != 300*len(benchTargets) {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	m := fileMeta(t, imp)
	leaves := leafPages(t, imp, "results", string(probe.TargetAPI))
	if len(leaves) < 3 {
		t.Fatalf("results/api has %d leaves, want a few", len(leaves))
	}
	overwritePage(t, imp, leaves[len(leaves)/2], int(m.pageSize), bytes.Repeat([]byte{0xff}, int(m.pageSize)))

	dst := filepath.Join(dir, "salvaged.db")
	rep, err := Salvage(imp, dst, Options{}, nil)
	if err != nil {
		t.Fatalf("Salvage: %v", err)
	}
	var out strings.Builder
	rep.WriteTo(&out)
	t.Logf("salvage report:\n%s", out.String())
	if rep.Problem == "" {
		t.Error("the report does not say the file is damaged")
	}
	if strings.Contains(out.String(), "lost: nothing") || len(rep.Lost) != 1 || rep.Lost[0].Bucket != "results/api" {
		t.Errorf("lost = %+v, want results/api's damaged page alone", rep.Lost)
	}
	got := salvagedResults(t, dst)
	for _, tg := range benchTargets {
		n := 0
		for _, r := range want[tg] {
			g, ok := got[resultKey(r)]
			if !ok {
				continue
			}
			n++
			if !sameResult(g, r) {
				t.Errorf("%s: salvaged result differs:\n got %+v\nwant %+v", tg, g, r)
			}
		}
		switch {
		case tg == probe.TargetAPI && (n == 0 || n >= len(want[tg])):
			t.Errorf("%s: %d of %d results recovered, want all but the damaged page's", tg, n, len(want[tg]))
		case tg != probe.TargetAPI && n != len(want[tg]):
			t.Errorf("%s: %d of %d results recovered, want every one", tg, n, len(want[tg]))
		}
		if rep.Results[tg] != n {
			t.Errorf("%s: the report counts %d, the file holds %d", tg, rep.Results[tg], n)
		}
	}
	if rep.HourRollups == 0 || rep.DayRollups == 0 {
		t.Errorf("rollups: %d hourly, %d daily recovered, want them all", rep.HourRollups, rep.DayRollups)
	}
}
