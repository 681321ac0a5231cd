package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

var (
	bucketTranscriptFiles = []byte("transcript_files")
	bucketTranscriptUsage = []byte("transcript_usage")
)

var _ probe.TranscriptState = (*Store)(nil)

// TranscriptState returns the transcript follower's file states and the
// usage recorded at or after since (probe.TranscriptState).
func (s *Store) TranscriptState(since time.Time) (map[string]probe.TranscriptFile, []probe.TranscriptUsage, error) {
	files := map[string]probe.TranscriptFile{}
	var usage []probe.TranscriptUsage
	err := s.view("read", func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketTranscriptFiles); b != nil {
			err := b.ForEach(func(k, v []byte) error {
				st, err := decodeFileState(v)
				if err != nil {
					return nil // an unreadable state costs its file a re-read, nothing more
				}
				files[string(k)] = st
				return nil
			})
			if err != nil {
				return err
			}
		}
		b := tx.Bucket(bucketTranscriptUsage)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(boundKey(since)); k != nil; k, v = c.Next() {
			if len(k) != 16 {
				continue
			}
			u, err := decodeUsage(k, v)
			if err != nil {
				continue
			}
			usage = append(usage, u)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read transcript state: %w", err)
	}
	return files, usage, nil
}

// PutTranscriptState stores the follower's changed file states, forgets
// the gone ones, stores or replaces the usage given and deletes usage
// older than pruneBefore, in one transaction (probe.TranscriptState).
func (s *Store) PutTranscriptState(files map[string]probe.TranscriptFile, gone []string, usage []probe.TranscriptUsage, pruneBefore time.Time) error {
	err := s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		fb := tx.Bucket(bucketTranscriptFiles)
		for k, st := range files {
			if err := fb.Put([]byte(k), encodeFileState(st)); err != nil {
				return err
			}
		}
		for _, k := range gone {
			if err := fb.Delete([]byte(k)); err != nil {
				return err
			}
		}
		ub := tx.Bucket(bucketTranscriptUsage)
		for _, u := range usage {
			if err := ub.Put(usageKey(u), encodeUsage(u)); err != nil {
				return err
			}
		}
		// Collect, then delete: deleting while walking skips keys.
		var stale [][]byte
		c := ub.Cursor()
		end := boundKey(pruneBefore)
		for k, _ := c.First(); k != nil && bytes.Compare(k[:min(8, len(k))], end) < 0; k, _ = c.Next() {
			stale = append(stale, bytes.Clone(k))
		}
		for _, k := range stale {
			if err := ub.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store transcript state: %w", err)
	}
	return nil
}

func usageKey(u probe.TranscriptUsage) []byte {
	return binary.BigEndian.AppendUint64(boundKey(u.Time), u.Key)
}

const transcriptValueV1 = 0x01

func encodeFileState(st probe.TranscriptFile) []byte {
	b := []byte{transcriptValueV1}
	b = binary.AppendUvarint(b, uint64(max(0, st.Offset)))
	b = binary.AppendUvarint(b, uint64(max(0, st.Size)))
	b = binary.AppendVarint(b, st.ModTime)
	b = binary.AppendUvarint(b, st.Inode)
	b = binary.BigEndian.AppendUint64(b, st.Head)
	b = binary.AppendUvarint(b, uint64(max(0, st.HeadLen)))
	return b
}

var errBadTranscriptValue = errors.New("bad transcript value")

// reader reads uvarints and fixed fields from a value, remembering the
// first failure.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadTranscriptValue
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errBadTranscriptValue
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) fixed64() uint64 {
	if len(r.b) < 8 {
		r.err = errBadTranscriptValue
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func decodeFileState(v []byte) (probe.TranscriptFile, error) {
	if len(v) == 0 || v[0] != transcriptValueV1 {
		return probe.TranscriptFile{}, errBadTranscriptValue
	}
	r := reader{b: v[1:]}
	st := probe.TranscriptFile{
		Offset:  int64(r.uvarint()),
		Size:    int64(r.uvarint()),
		ModTime: r.varint(),
		Inode:   r.uvarint(),
		Head:    r.fixed64(),
		HeadLen: int64(r.uvarint()),
	}
	return st, r.err
}

func encodeUsage(u probe.TranscriptUsage) []byte {
	b := []byte{transcriptValueV1}
	for _, n := range []int64{u.Input, u.Output, u.CacheCreation, u.CacheRead} {
		b = binary.AppendUvarint(b, uint64(max(0, n)))
	}
	b = binary.AppendUvarint(b, uint64(len(u.Model)))
	return append(b, u.Model...)
}

func decodeUsage(k, v []byte) (probe.TranscriptUsage, error) {
	if len(v) == 0 || v[0] != transcriptValueV1 {
		return probe.TranscriptUsage{}, errBadTranscriptValue
	}
	u := probe.TranscriptUsage{
		Time: keyTime(k[:8]).UTC(),
		Key:  binary.BigEndian.Uint64(k[8:16]),
	}
	r := reader{b: v[1:]}
	u.Input = int64(r.uvarint())
	u.Output = int64(r.uvarint())
	u.CacheCreation = int64(r.uvarint())
	u.CacheRead = int64(r.uvarint())
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < n {
		return probe.TranscriptUsage{}, errBadTranscriptValue
	}
	u.Model = string(r.b[:n])
	return u, nil
}
