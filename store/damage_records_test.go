package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"downforai/probe"

	bolt "go.etcd.io/bbolt"
)

// overwriteRecord replaces the first record of the bucket at path with v,
// through bbolt, so every page still holds together and only the record
// does not decode: bytes overwritten inside a value.
func overwriteRecord(t *testing.T, file string, v []byte, path ...string) {
	t.Helper()
	db, err := bolt.Open(file, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(path[0]))
		for _, name := range path[1:] {
			b = b.Bucket([]byte(name))
		}
		if b == nil {
			t.Fatalf("no bucket %v", path)
		}
		k, _ := b.Cursor().First()
		if k == nil {
			t.Fatalf("bucket %v is empty", path)
		}
		return b.Put(k, v)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestRecordThatDoesNotDecodeIsDamage: a file whose pages hold together but
// one of whose records does not decode is refused as damaged, in words
// (not Go's JSON error), and left untouched.
func TestRecordThatDoesNotDecodeIsDamage(t *testing.T) {
	for _, tc := range []struct {
		path []string
		want string
	}{
		{[]string{"status"}, "bucket status: the record of "},
		{[]string{"incidents"}, "bucket incidents: the record "},
		{[]string{"rollups", "hour", string(probe.TargetAPI)}, "bucket rollups/hour/api: the record of "},
	} {
		t.Run(strings.Join(tc.path, "/"), func(t *testing.T) {
			path, _ := damagedFixture(t)
			overwriteRecord(t, path, []byte{1, 'X', 'X', '"'}, tc.path...)
			before := fileSum(t, path)
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("Open: %v, want ErrDamaged", err)
			}
			for _, want := range []string{tc.want, "does not decode", "not written", "db salvage"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "invalid character") {
				t.Errorf("%q is Go's decoder talking", err)
			}
			if fileSum(t, path) != before {
				t.Error("the file was written")
			}
		})
	}
}

// TestResultThatDoesNotDecodeStopsWrites: a results value (not decoded on
// open: it is most of the file) that does not decode when read makes the
// read ErrDamaged, and the store writes nothing more.
func TestResultThatDoesNotDecodeStopsWrites(t *testing.T) {
	path, _ := damagedFixture(t)
	overwriteRecord(t, path, []byte{0xEE, 0xEE}, "results", string(probe.TargetAPI))
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := fileSum(t, path)
	_, err = s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Range: %v, want ErrDamaged", err)
	}
	for _, want := range []string{path, "does not decode", "not written", "db salvage"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if err := s.PutResult(okResult(probe.TargetAPI, at(1e6))); !errors.Is(err, ErrDamaged) {
		t.Errorf("PutResult after the bad record: %v, want ErrDamaged", err)
	}
	s.Close()
	if fileSum(t, path) != before {
		t.Error("the file was written after the bad record was read")
	}
}
