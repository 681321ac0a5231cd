package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// statusVersion is the leading byte of every status value; JSON follows.
const statusVersion = 1

// PutStatus stores the snapshot when it differs from the last one stored,
// Fetched aside, and reports whether it did. The key is Fetched, or now
// when Fetched is zero.
func (s *Store) PutStatus(st probe.Status) (changed bool, err error) {
	put, err := statusPut(st)
	if err != nil {
		return false, err
	}
	err = s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		changed, err = put(tx)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store status: %w", err)
	}
	return changed, nil
}

// PutRound records one round's results and its status snapshot (nil: none)
// in one transaction, one commit where PutResults and PutStatus are two:
// check's round, whose commits are most of its time after its answer.
// Either both are stored or neither; see PutResults and PutStatus.
func (s *Store) PutRound(rs []probe.Result, st *probe.Status) error {
	var put func(*bolt.Tx) (bool, error)
	if st != nil {
		var err error
		if put, err = statusPut(*st); err != nil {
			return err
		}
	}
	err := s.writeTx(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
		if len(rs) > 0 {
			if err := putResults(tx, intern, rs); err != nil {
				return fmt.Errorf("results: %w", err)
			}
		}
		if put != nil {
			if _, err := put(tx); err != nil {
				return fmt.Errorf("status: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store round: %w", err)
	}
	return nil
}

// statusPut is what PutStatus writes in a transaction: st under its fetch
// time (now when Fetched is zero), unless it equals the last snapshot
// stored, Fetched aside; it reports whether it wrote.
func statusPut(st probe.Status) (func(*bolt.Tx) (bool, error), error) {
	at := st.Fetched
	if at.IsZero() {
		at = time.Now()
	}
	k, ok := timeKey(at)
	if !ok {
		return nil, fmt.Errorf("store status: fetch time %v cannot be stored", at)
	}
	body, err := statusBody(st)
	if err != nil {
		return nil, err
	}
	return func(tx *bolt.Tx) (bool, error) {
		b := tx.Bucket(bucketStatus)
		if _, v := b.Cursor().Last(); v != nil {
			last, err := decodeStatus(v)
			if err != nil {
				return false, err
			}
			lastBody, err := statusBody(last)
			if err != nil {
				return false, err
			}
			if bytes.Equal(body, lastBody) {
				return false, nil
			}
		}
		st.Fetched = at
		val, err := json.Marshal(withoutReads(st))
		if err != nil {
			return false, fmt.Errorf("encode status: %w", err)
		}
		if err := uniqueKey(b, k[:]); err != nil {
			return false, err
		}
		b.FillPercent = 1.0
		return true, b.Put(bytes.Clone(k[:]), append([]byte{statusVersion}, val...))
	}, nil
}

// statusBody is the snapshot's encoding without Fetched, for comparison.
// JSON writes times as RFC 3339 with their offset, so a snapshot read back
// compares equal to the one that was written.
func statusBody(st probe.Status) ([]byte, error) {
	st.Fetched = time.Time{}
	st = withoutReads(st)
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("encode status: %w", err)
	}
	return b, nil
}

// withoutReads drops the read times StatusProber stamps on the listed
// incidents (Seen): they equal Fetched and change with every read, so an
// unchanged page would be stored again every round while an incident is
// open. The incidents bucket keeps them.
func withoutReads(st probe.Status) probe.Status {
	strip := func(list []probe.Incident) []probe.Incident {
		if list == nil {
			return nil
		}
		out := make([]probe.Incident, len(list))
		for i, in := range list {
			in.Seen, in.Unlisted = time.Time{}, time.Time{}
			out[i] = in
		}
		return out
	}
	st.Incidents, st.Maintenances = strip(st.Incidents), strip(st.Maintenances)
	return st
}

func decodeStatus(v []byte) (probe.Status, error) {
	var st probe.Status
	if len(v) == 0 || v[0] != statusVersion {
		return st, fmt.Errorf("%w: status value: unknown version", errUndecodable)
	}
	if err := json.Unmarshal(v[1:], &st); err != nil {
		return st, fmt.Errorf("%w: status value: %w", errUndecodable, err)
	}
	return st, nil
}

// LatestStatus returns the last stored status snapshot, and false when
// none was ever stored. Its Fetched is the last good read of it: PutStatus
// keeps only the first read of an unchanged page, so without the reads
// recorded since, a page read a second ago would look as old as the
// first read of that run ("last good read 12:28 (10 min ago)" for a page
// read fine until 12:36 — cold7 E1).
func (s *Store) LatestStatus() (probe.Status, bool, error) {
	var st probe.Status
	var found bool
	err := s.view("read", func(tx *bolt.Tx) error {
		_, v := tx.Bucket(bucketStatus).Cursor().Last()
		if v == nil {
			return nil
		}
		var err error
		st, err = decodeStatus(v) // Unmarshal copies; v stays in the tx
		if err != nil {
			return err
		}
		found = true
		st.Fetched, err = lastReadOf(tx, s.lookup(tx), st)
		return err
	})
	if err != nil {
		return probe.Status{}, false, fmt.Errorf("latest status: %w", err)
	}
	return st, found, nil
}

// lastReadOf is when st was last read: the newest good read of the status
// page since st was stored that found the same overall status (a read
// that found another would have stored a new snapshot). Failed reads in
// between are passed over; the walk stops at st's own read.
func lastReadOf(tx *bolt.Tx, lookup func(uint64) (string, bool), st probe.Status) (time.Time, error) {
	b := tx.Bucket(bucketResults).Bucket([]byte(probe.TargetStatus))
	if b == nil {
		return st.Fetched, nil
	}
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if len(k) == 8 && !keyTime(k).After(st.Fetched) {
			break
		}
		r, err := decodeAt(probe.TargetStatus, k, v, lookup)
		if err != nil {
			break // a damaged record costs the age its precision, not the snapshot
		}
		if r.Class.Up() && r.Detail == st.Indicator {
			return r.Time, nil
		}
	}
	return st.Fetched, nil
}
