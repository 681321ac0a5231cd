package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// damagedFixture writes a closed database as the engine does, one commit
// per result — fixtureSteps rounds of four targets every 30 s (two days;
// half a day under the race detector, where each commit costs fifteen
// times as much and the tests that need the full file are skipped), status
// snapshots and incidents — and returns its path and every result in it.
// The file is built once per test binary and copied for each test.
func damagedFixture(t *testing.T) (string, []probe.Result) {
	t.Helper()
	fixture.once.Do(func() { fixture.bytes, fixture.all, fixture.err = buildFixture(t.TempDir()) })
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	path := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(path, fixture.bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, fixture.all
}

var fixture struct {
	once  sync.Once
	bytes []byte
	all   []probe.Result
	err   error
}

func buildFixture(dir string) ([]byte, []probe.Result, error) {
	path := filepath.Join(dir, "history.db")
	s, err := Open(path, Options{noSync: true})
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range fixtureSteps {
		for _, tg := range benchTargets {
			if err := s.PutResult(realistic(rng, tg, base.Add(time.Duration(i)*benchStep))); err != nil {
				return nil, nil, err
			}
		}
	}
	for i := range 20 {
		if _, err := s.PutStatus(probe.Status{Fetched: at(i * 100), Indicator: "minor", Description: fmt.Sprintf("round %d", i)}); err != nil {
			return nil, nil, err
		}
	}
	if err := s.PutOfficialIncidents([]probe.Incident{{ID: "inc1", Name: "Elevated errors", Status: "resolved"}}); err != nil {
		return nil, nil, err
	}
	if err := s.PutLocalIncident(localIncident("0000000000000001/api", at(5), 1)); err != nil {
		return nil, nil, err
	}
	var all []probe.Result
	for _, tg := range benchTargets {
		rs, err := s.Range(tg, time.Time{}, time.Time{})
		if err != nil {
			return nil, nil, err
		}
		all = append(all, rs...)
	}
	if err := s.Close(); err != nil {
		return nil, nil, err
	}
	b, err := os.ReadFile(path)
	return b, all, err
}

// fileMeta reads the meta page bbolt would use.
func fileMeta(t *testing.T, path string) boltMeta {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	m, _, ok := metas(f, fi.Size())
	if !ok {
		t.Fatal("no valid meta page")
	}
	return m
}

// leafPages lists the leaf pages in use under bucket path, in key order.
func leafPages(t *testing.T, path string, bucket ...string) []uint64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := fileMeta(t, path)
	fi, _ := f.Stat()
	var ids []uint64
	pg := &pager{r: f, size: fi.Size(), psz: int(m.pageSize), hwm: m.hwm}
	// Walk, noting every leaf page reached inside the bucket.
	var walk func(p []string, id uint64)
	walk = func(p []string, id uint64) {
		buf, flags, err := pg.page(id)
		if err != nil {
			t.Fatal(err)
		}
		n := int(native.Uint16(buf[10:]))
		for i := range n {
			e := buf[pageHeaderSize+i*elemSize:]
			if flags == branchPage {
				walk(p, native.Uint64(e[8:]))
				continue
			}
			if native.Uint32(e)&bucketLeafFlag == 0 {
				continue
			}
			pos, ks, vs := int(native.Uint32(e[4:])), int(native.Uint32(e[8:])), int(native.Uint32(e[12:]))
			at := pageHeaderSize + i*elemSize
			k, v := buf[at+pos:at+pos+ks], buf[at+pos+ks:at+pos+ks+vs]
			if root := native.Uint64(v); root != 0 {
				walk(append(slices.Clip(p), string(k)), root)
			}
		}
		if flags == leafPage && slices.Equal(p, bucket) {
			ids = append(ids, id)
		}
	}
	walk(nil, m.root)
	return ids
}

// bucketRoot is the root page of the bucket at path.
func bucketRoot(t *testing.T, path string, bucket ...string) uint64 {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var root uint64
	s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket[0]))
		for _, name := range bucket[1:] {
			b = b.Bucket([]byte(name))
		}
		root = uint64(b.RootPage())
		return nil
	})
	if root == 0 {
		t.Fatalf("bucket %v is inline", bucket)
	}
	return root
}

func overwritePage(t *testing.T, path string, id uint64, psz int, content []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if content == nil {
		content = make([]byte, psz)
	}
	if _, err := f.WriteAt(content, int64(id)*int64(psz)); err != nil {
		t.Fatal(err)
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// damage is one way a file gets damaged, applied to a closed file.
type damage struct {
	name string
	do   func(t *testing.T, path string)
	// lossless: the tree itself is intact, salvage recovers every result
	lossless bool
	// cut: the pages nearest the root, which bbolt keeps near the end of
	// the file, may be gone with the cut, and with them where every leaf
	// belongs; the report must then count the intact leaves it left.
	cut bool
}

var damages = []damage{
	{name: "truncated to 100000 bytes", cut: true, do: func(t *testing.T, path string) {
		if err := os.Truncate(path, 100000); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "cut to half its size", cut: true, do: func(t *testing.T, path string) {
		fi, _ := os.Stat(path)
		if err := os.Truncate(path, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "random pages", do: func(t *testing.T, path string) {
		m := fileMeta(t, path)
		rng := rand.New(rand.NewPCG(7, 7))
		leaves := leafPages(t, path, "results", string(probe.TargetAPI))
		for _, i := range []int{3, len(leaves) / 2, len(leaves) - 2} {
			overwritePage(t, path, leaves[i], int(m.pageSize), randomBytes(rng, int(m.pageSize)))
		}
	}},
	{name: "index page above the results zeroed", do: func(t *testing.T, path string) {
		// The root page of results/api: every leaf below it is intact.
		m := fileMeta(t, path)
		overwritePage(t, path, bucketRoot(t, path, "results", string(probe.TargetAPI)), int(m.pageSize), nil)
	}},
	{name: "both meta pages zeroed", lossless: true, do: func(t *testing.T, path string) {
		m := fileMeta(t, path)
		overwritePage(t, path, 0, int(m.pageSize), nil)
		overwritePage(t, path, 1, int(m.pageSize), nil)
	}},
	{name: "free list zeroed", lossless: true, do: func(t *testing.T, path string) {
		m := fileMeta(t, path)
		overwritePage(t, path, m.freelist, int(m.pageSize), nil)
	}},
	{name: "free list names pages that do not exist", lossless: true, do: func(t *testing.T, path string) {
		m := fileMeta(t, path)
		f, _ := os.Open(path)
		buf := make([]byte, m.pageSize)
		f.ReadAt(buf, int64(m.freelist)*int64(m.pageSize))
		f.Close()
		native.PutUint16(buf[10:], 3)
		for i := range 3 {
			native.PutUint64(buf[pageHeaderSize+8*i:], m.hwm+uint64(1000*i))
		}
		overwritePage(t, path, m.freelist, int(m.pageSize), buf)
	}},
}

// TestDamagedFileIsRefusedUntouched opens, compacts and salvages each kind
// of damaged file: Open and Compact fail with ErrDamaged and a message
// naming the file and what to do, never a panic, and the file's bytes
// stay as they were; salvage copies what can be read into a new file that
// is sound.
func TestDamagedFileIsRefusedUntouched(t *testing.T) {
	singleGoroutine(t) // its fixture alone is 23,000 commits
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			path, all := damagedFixture(t)
			d.do(t, path)
			before := fileSum(t, path)

			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a damaged file")
			}
			for _, want := range []string{path, "damaged", "not written", "db salvage", "aside"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Open error %q does not say %q", err, want)
				}
			}
			if !errors.Is(err, ErrDamaged) || Retryable(err) {
				t.Errorf("Open error %v: want ErrDamaged, not retryable", err)
			}
			if _, _, err := Compact(path, Options{}, nil); !errors.Is(err, ErrDamaged) {
				t.Errorf("Compact: %v, want ErrDamaged", err)
			}

			dst := filepath.Join(t.TempDir(), "salvaged.db")
			rep, err := Salvage(path, dst, Options{}, nil)
			if err != nil {
				t.Fatalf("Salvage: %v", err)
			}
			if fileSum(t, path) != before {
				t.Fatal("the damaged file was written")
			}
			var out strings.Builder
			rep.WriteTo(&out)
			t.Logf("salvage report:\n%s", out.String())
			if rep.Problem == "" {
				t.Error("salvage report does not say the source is damaged")
			}
			got := salvagedResults(t, dst)
			n := 0
			for _, r := range all {
				g, ok := got[resultKey(r)]
				if !ok {
					continue
				}
				n++
				if !sameResult(g, r) {
					t.Fatalf("salvaged result differs:\n got %+v\nwant %+v", g, r)
				}
			}
			if n != len(got) {
				t.Errorf("salvage produced %d results that were never stored", len(got)-n)
			}
			total := 0
			for _, c := range rep.Results {
				total += c
			}
			if total != n {
				t.Errorf("report says %d results recovered, the new file has %d", total, n)
			}
			switch {
			case d.lossless && (n != len(all) || len(rep.Lost) > 0):
				t.Errorf("recovered %d of %d results, lost %v: the tree was intact", n, len(all), rep.Lost)
			case !d.lossless && len(rep.Lost) == 0:
				t.Error("results are missing but the report lists nothing lost")
			case d.cut && n == 0 && rep.Unplaced == 0:
				t.Error("nothing recovered and no intact page counted")
			case !d.cut && n == 0:
				t.Error("nothing recovered")
			}
			if rep.Statuses == 0 && d.lossless {
				t.Error("no status snapshots recovered")
			}
		})
	}
}

func resultKey(r probe.Result) string { return fmt.Sprintf("%s/%d", r.Target, r.Time.UnixNano()) }

// salvagedResults opens a salvaged file (which must be sound) and returns
// its results by target and time.
func salvagedResults(t *testing.T, path string) map[string]probe.Result {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("the salvaged file does not open: %v", err)
	}
	defer s.Close()
	checkBolt(t, s.db)
	got := map[string]probe.Result{}
	for _, tg := range benchTargets {
		rs, err := s.Range(tg, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			got[resultKey(r)] = r
		}
	}
	return got
}

func checkBolt(t *testing.T, db *bolt.DB) {
	t.Helper()
	err := db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bbolt's check: %v", err)
	}
}

// TestOneMetaPageZeroedStillOpens: bbolt keeps two meta pages so that one
// torn write loses nothing; a file with one good one is not damaged.
func TestOneMetaPageZeroedStillOpens(t *testing.T) {
	for _, page := range []uint64{0, 1} {
		path, all := damagedFixture(t)
		m := fileMeta(t, path)
		overwritePage(t, path, page, int(m.pageSize), nil)
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("meta page %d zeroed: %v", page, err)
		}
		n := 0
		for _, tg := range benchTargets {
			rs, err := s.Range(tg, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			n += len(rs)
		}
		// Two commits write both meta pages again; then bbolt's own check
		// (which cannot read a zeroed meta page) passes too.
		for i := range 2 {
			if err := s.PutResult(okResult(probe.TargetAPI, base.Add(100*24*time.Hour+time.Duration(i)*time.Second))); err != nil {
				t.Fatal(err)
			}
		}
		checkBolt(t, s.db)
		s.Close()
		if n != len(all) {
			t.Errorf("meta page %d zeroed: %d of %d results", page, n, len(all))
		}
	}
}

// TestDamageWhileOpenIsAnErrorNotAPanic damages the file under an open
// store — pages overwritten, or the file cut to half, so that reading it
// through the memory map faults — and reads: every read fails with
// ErrDamaged instead of killing the process, and the store writes nothing
// more.
func TestDamageWhileOpenIsAnErrorNotAPanic(t *testing.T) {
	for _, how := range []string{"pages overwritten", "cut to half"} {
		t.Run(how, func(t *testing.T) {
			path, _ := damagedFixture(t)
			m := fileMeta(t, path)
			leaves := leafPages(t, path, "results", string(probe.TargetAPI))
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			switch how {
			case "pages overwritten":
				rng := rand.New(rand.NewPCG(1, 1))
				for _, id := range leaves {
					overwritePage(t, path, id, int(m.pageSize), randomBytes(rng, int(m.pageSize)))
				}
			case "cut to half":
				fi, _ := os.Stat(path)
				if err := os.Truncate(path, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
			}
			before := fileSum(t, path)
			_, err = s.Range(probe.TargetAPI, time.Time{}, time.Time{})
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("Range over damaged pages: %v, want ErrDamaged", err)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not written") {
				t.Errorf("error %q does not name the file and say it was not written", err)
			}
			if err := s.PutResult(okResult(probe.TargetAPI, at(1e6))); !errors.Is(err, ErrDamaged) {
				t.Errorf("PutResult after damage: %v, want ErrDamaged", err)
			}
			if _, err := s.Export(discard{}, ExportOptions{}); err == nil {
				t.Error("Export over damaged pages succeeded")
			}
			s.Close()
			if fileSum(t, path) != before {
				t.Error("the damaged file was written")
			}
		})
	}
}

// TestJudgeAgreesWithBoltCheck overwrites random pages of a sound file
// (in use or free) many times: whenever the judge calls the result sound,
// bbolt's own consistency check must find nothing either — bbolt is only
// run on files the judge passed, since on others it may fault.
func TestJudgeAgreesWithBoltCheck(t *testing.T) {
	orig, _ := damagedFixture(t)
	clean, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	m := fileMeta(t, orig)
	rng := rand.New(rand.NewPCG(3, 9))
	sound, damaged := 0, 0
	rounds := 60
	if testing.Short() {
		rounds = 15
	}
	for i := range rounds {
		path := filepath.Join(t.TempDir(), "history.db")
		os.WriteFile(path, clean, 0o600)
		for range 1 + rng.IntN(3) {
			id := 2 + rng.Uint64N(m.hwm-2)
			content := randomBytes(rng, int(m.pageSize))
			if rng.IntN(2) == 0 { // keep the header: damage the elements only
				f, _ := os.Open(path)
				f.ReadAt(content[:pageHeaderSize], int64(id)*int64(m.pageSize))
				f.Close()
			}
			overwritePage(t, path, id, int(m.pageSize), content)
		}
		f, _ := os.Open(path)
		fi, _ := f.Stat()
		j := judgeFile(f, fi.Size())
		// Open judges through blocks of the file; the judgement is the same.
		if jb := judgeFile(newBlockReader(f, fi.Size()), fi.Size()); jb.problem != j.problem || jb.pages != j.pages {
			t.Errorf("round %d: judged page by page %q (%d pages), by blocks %q (%d pages)", i, j.problem, j.pages, jb.problem, jb.pages)
		}
		f.Close()
		if j.problem != "" {
			damaged++
			continue
		}
		sound++
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("round %d: judged sound, bbolt cannot open it: %v", i, err)
		}
		err = db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				return err
			}
			return nil
		})
		db.Close()
		if err != nil {
			t.Fatalf("round %d: judged sound, bbolt's check says: %v", i, err)
		}
	}
	t.Logf("%d judged sound (bbolt agrees), %d damaged", sound, damaged)
	if damaged == 0 {
		t.Error("no damage was ever found: the test proves nothing")
	}
}

// TestSoundFilesJudgedSound: files written the ordinary ways — many small
// commits, pruning, a compaction, reopening — pass.
func TestSoundFilesJudgedSound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, benchTargets, 2)
	for i := range 300 {
		if err := s.PutResult(okResult(probe.TargetAPI, base.Add(72*time.Hour+time.Duration(i)*time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Prune(base.Add(30*time.Hour), 500); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for round := range 3 {
		f, _ := os.Open(path)
		fi, _ := f.Stat()
		j := judgeFile(f, fi.Size())
		f.Close()
		if j.problem != "" {
			t.Fatalf("round %d: a sound file judged damaged: %s", round, j.problem)
		}
		if round == 1 {
			if _, _, err := Compact(path, Options{}, nil); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
}

// TestSalvageOfSoundFileIsACopy: every result, rollup, snapshot and
// incident arrives, and the summaries agree.
func TestSalvageOfSoundFileIsACopy(t *testing.T) {
	path, all := damagedFixture(t)
	before := fileSum(t, path)
	dst := filepath.Join(t.TempDir(), "copy.db")
	rep, err := Salvage(path, dst, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Problem != "" || len(rep.Lost) > 0 || rep.Undecodable > 0 || rep.TextsLost > 0 {
		t.Fatalf("sound file: %+v", rep)
	}
	if fileSum(t, path) != before {
		t.Fatal("source written")
	}
	if got := salvagedResults(t, dst); len(got) != len(all) {
		t.Fatalf("%d of %d results", len(got), len(all))
	}
	a, _ := Open(path, Options{})
	b, _ := Open(dst, Options{})
	defer a.Close()
	defer b.Close()
	for _, tg := range benchTargets {
		sa, _ := a.Summary(tg, time.Time{}, base.Add(100*24*time.Hour))
		sb, _ := b.Summary(tg, time.Time{}, base.Add(100*24*time.Hour))
		if sa != sb {
			t.Errorf("%s: summary differs after salvage:\n%+v\n%+v", tg, sa, sb)
		}
	}
	if !bytes.Equal(dumpRollups(t, a), dumpRollups(t, b)) {
		t.Error("rollups differ after salvage")
	}
	la, _ := a.LocalIncidents(10)
	lb, _ := b.LocalIncidents(10)
	oa, _ := a.OfficialIncidents(10)
	ob, _ := b.OfficialIncidents(10)
	if len(la) != len(lb) || len(oa) != len(ob) || len(lb) == 0 || len(ob) == 0 {
		t.Errorf("incidents: local %d→%d, official %d→%d", len(la), len(lb), len(oa), len(ob))
	}
}

// TestSalvageRefuses: an existing --to, the same file, a locked source.
func TestSalvageRefuses(t *testing.T) {
	path, _ := damagedFixture(t)
	other := filepath.Join(t.TempDir(), "other.db")
	os.WriteFile(other, []byte("keep me"), 0o600)
	if _, err := Salvage(path, other, Options{}, nil); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("existing target: %v", err)
	}
	if b, _ := os.ReadFile(other); string(b) != "keep me" {
		t.Error("existing target overwritten")
	}
	if _, err := Salvage(path, path, Options{}, nil); err == nil {
		t.Error("salvage onto itself succeeded")
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Salvage(path, filepath.Join(t.TempDir(), "new.db"), Options{LockTimeout: 100 * time.Millisecond}, nil); !errors.Is(err, ErrLocked) {
		t.Errorf("salvage of an open file: %v, want ErrLocked", err)
	}
}

// TestEmptyFileIsInitialisedAndSaysSo: a 0-byte file becomes a database,
// and WasEmpty lets the caller log it.
func TestEmptyFileIsInitialisedAndSaysSo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	os.WriteFile(path, nil, 0o600)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.WasEmpty() {
		t.Error("WasEmpty false for a 0-byte file")
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.WasEmpty() {
		t.Error("WasEmpty true on reopen")
	}
}

// month30 writes the 30-day, four-target file once per benchmark.
func month30(b *testing.B) string {
	s := month(b)
	path := s.Path()
	s.Close()
	fi, _ := os.Stat(path)
	b.Logf("30-day file: %d bytes", fi.Size())
	return path
}

// BenchmarkJudgeMonth is what Open adds to check a 30-day file.
func BenchmarkJudgeMonth(b *testing.B) {
	b.ReportAllocs()
	path := month30(b)
	for b.Loop() {
		if _, err := judgePath(path, time.Second, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoltCheckMonth is bbolt's own consistency check on the same
// file, for comparison.
func BenchmarkBoltCheckMonth(b *testing.B) {
	b.ReportAllocs()
	path := month30(b)
	for b.Loop() {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				b.Fatal(err)
			}
			return nil
		})
		db.Close()
	}
}

// BenchmarkOpenMonth is a whole Open and Close of the 30-day file.
func BenchmarkOpenMonth(b *testing.B) {
	b.ReportAllocs()
	path := month30(b)
	for b.Loop() {
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
