package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Interning limits. Messages and details repeat on nearly every result
// ("API answers (401 without key, as expected)", the status indicator);
// writing them once and referring to them by id is what keeps a result
// near 50 bytes. The limits keep a stream of one-off texts (addresses,
// durations inside messages) from growing the table without end: past
// them strings are simply written literally.
const (
	maxInternLen   = 256
	maxInternCount = 20000
)

// loadStrings fills the in-memory copy of the strings bucket.
func (s *Store) loadStrings() error {
	s.strs = make(map[uint64]string)
	s.ids = make(map[string]uint64)
	return s.view("read", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStrings).ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("strings: key %x is not an id", k)
			}
			id, str := binary.BigEndian.Uint64(k), string(v)
			s.strs[id] = str
			s.ids[str] = id
			return nil
		})
	})
}

// writeTx runs fn in a write transaction with an interner, and publishes
// the strings it interned once the transaction has committed. s.wmu
// serialises writers so the in-memory table is exact for every writer;
// readers consult it and fall back to their own transaction.
func (s *Store) writeTx(fn func(tx *bolt.Tx, intern func(string) (uint64, bool)) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var added map[string]uint64
	var ierr error
	err := s.update("write", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStrings)
		intern := func(str string) (uint64, bool) {
			if len(str) > maxInternLen {
				return 0, false
			}
			s.mu.RLock()
			id, ok := s.ids[str]
			n := len(s.ids)
			s.mu.RUnlock()
			if ok {
				return id, true
			}
			if id, ok := added[str]; ok {
				return id, true
			}
			if n+len(added) >= maxInternCount || ierr != nil {
				return 0, false
			}
			id, err := b.NextSequence()
			if err == nil {
				err = b.Put(binary.BigEndian.AppendUint64(nil, id), []byte(str))
			}
			if err != nil {
				ierr = err
				return 0, false
			}
			if added == nil {
				added = make(map[string]uint64)
			}
			added[str] = id
			return id, true
		}
		if err := fn(tx, intern); err != nil {
			return err
		}
		if ierr != nil {
			return fmt.Errorf("intern string: %w", ierr)
		}
		return nil
	})
	if err == nil && len(added) > 0 {
		s.mu.Lock()
		for str, id := range added {
			s.strs[id] = str
			s.ids[str] = id
		}
		s.mu.Unlock()
	}
	return err
}

// lookup resolves interned ids for decoding in tx: from memory, else from
// the bucket as tx sees it (a writer may have committed a string that is
// not yet published in memory).
func (s *Store) lookup(tx *bolt.Tx) func(uint64) (string, bool) {
	return func(id uint64) (string, bool) {
		s.mu.RLock()
		str, ok := s.strs[id]
		s.mu.RUnlock()
		if ok {
			return str, true
		}
		v := tx.Bucket(bucketStrings).Get(binary.BigEndian.AppendUint64(nil, id))
		if v == nil {
			return "", false
		}
		return string(v), true
	}
}
