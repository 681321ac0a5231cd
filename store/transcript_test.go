package store

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

func TestTranscriptStateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 4, 11, 0, 0, 0, time.UTC)
	files := map[string]probe.TranscriptFile{
		"00112233aabbccdd": {Offset: 12345, Size: 20000, ModTime: t0.UnixNano(), Inode: 99, Head: 0xfeedface01, HeadLen: 256},
		"ffeeddccbbaa9988": {Offset: 10, Size: 10, ModTime: -5, Head: 1, HeadLen: 10},
	}
	usage := []probe.TranscriptUsage{
		{Time: t0.Add(-10 * 24 * time.Hour), Key: 1, Model: "old", Tokens: probe.Tokens{Input: 1}},
		{Time: t0, Key: 7, Model: "claude-opus-4-6", Tokens: probe.Tokens{Input: 4, Output: 87, CacheCreation: 1200, CacheRead: 15000}},
		{Time: t0, Key: 8, Model: "", Tokens: probe.Tokens{Output: 1}},
	}
	if err := s.PutTranscriptState(files, nil, usage, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// A later line of answer 7 with larger counts replaces it; the
	// ten-day-old answer is pruned; one file is gone.
	usage[1].Output = 300
	if err := s.PutTranscriptState(nil, []string{"ffeeddccbbaa9988"}, usage[1:2], t0.Add(-8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gotFiles, gotUsage, err := s.TranscriptState(t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(gotFiles) != 1 || gotFiles["00112233aabbccdd"] != files["00112233aabbccdd"] {
		t.Errorf("files = %+v", gotFiles)
	}
	if len(gotUsage) != 2 || gotUsage[0].Key != 7 || gotUsage[0].Output != 300 || gotUsage[0].Model != "claude-opus-4-6" || !gotUsage[0].Time.Equal(t0) {
		t.Errorf("usage = %+v", gotUsage)
	}
	_, all, _ := s.TranscriptState(time.Time{})
	if len(all) != 2 {
		t.Errorf("%d usage records after pruning, want 2", len(all))
	}

	// A damaged value costs its record, not the read.
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketTranscriptFiles).Put([]byte("bad"), []byte{9, 9}); err != nil {
			return err
		}
		return tx.Bucket(bucketTranscriptUsage).Put(make([]byte, 16), []byte{1})
	})
	if err != nil {
		t.Fatal(err)
	}
	gotFiles, all, err = s.TranscriptState(time.Time{})
	if err != nil || len(gotFiles) != 1 || len(all) != 2 {
		t.Errorf("after damage: %d files, %d usage, err %v", len(gotFiles), len(all), err)
	}
}
