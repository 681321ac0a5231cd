package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// incidentVersion is the leading byte of every official and local incident
// value; JSON follows.
const incidentVersion = 1

var (
	_ probe.IncidentRecorder = (*Store)(nil)
	_ probe.IncidentHistory  = (*Store)(nil)
)

// PutOfficialIncidents merges each incident into the one stored under its
// id (probe.MergeIncident) and writes it when that changed anything, all in
// one transaction. Nothing is ever deleted, so an incident the page no
// longer lists keeps its last known state.
func (s *Store) PutOfficialIncidents(ins []probe.Incident) error {
	if len(ins) == 0 {
		return nil
	}
	// The status page is read every minute and seldom changes: look first,
	// so an unchanged reading costs no write transaction (and no fsync).
	if changed, err := s.officialChanged(ins); err != nil || !changed {
		return err
	}
	err := s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		b := tx.Bucket(bucketIncidents)
		for _, in := range ins {
			if in.ID == "" {
				continue
			}
			k := []byte(in.ID)
			var old []byte
			if v := b.Get(k); v != nil {
				old = bytes.Clone(v)
				prev, err := decodeIncident(v)
				if err == nil {
					in = probe.MergeIncident(prev, in)
				}
			}
			val, err := encodeJSON(in)
			if err != nil {
				return fmt.Errorf("incident %s: %w", in.ID, err)
			}
			if bytes.Equal(old, val) {
				continue
			}
			if err := b.Put(k, val); err != nil {
				return fmt.Errorf("put incident %s: %w", in.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store official incidents: %w", err)
	}
	return nil
}

// officialChanged reports whether storing ins would change anything.
func (s *Store) officialChanged(ins []probe.Incident) (bool, error) {
	changed := false
	err := s.view("read", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIncidents)
		for _, in := range ins {
			if in.ID == "" {
				continue
			}
			v := b.Get([]byte(in.ID))
			if v == nil {
				changed = true
				return nil
			}
			prev, err := decodeIncident(v)
			if err != nil {
				changed = true
				return nil
			}
			val, err := encodeJSON(probe.MergeIncident(prev, in))
			if err != nil {
				return fmt.Errorf("incident %s: %w", in.ID, err)
			}
			if !bytes.Equal(v, val) {
				changed = true
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store official incidents: %w", err)
	}
	return changed, nil
}

// OfficialIncidents returns up to n stored official incidents and
// maintenances, newest start first; n <= 0 means all.
func (s *Store) OfficialIncidents(n int) ([]probe.Incident, error) {
	var out []probe.Incident
	err := s.view("read", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketIncidents).ForEach(func(k, v []byte) error {
			in, err := decodeIncident(v)
			if err != nil {
				return fmt.Errorf("incident %q: %w", k, err)
			}
			out = append(out, in)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("official incidents: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start().After(out[j].Start()) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// PutLocalIncident stores l under its ID, replacing the stored copy unless
// that one has a higher Version (an older copy never overwrites a newer).
func (s *Store) PutLocalIncident(l probe.LocalIncident) error {
	if l.ID == "" {
		return fmt.Errorf("store local incident: no id")
	}
	val, err := encodeJSON(l)
	if err != nil {
		return fmt.Errorf("store local incident %s: %w", l.ID, err)
	}
	err = s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		b := tx.Bucket(bucketLocalIncidents)
		k := []byte(l.ID)
		if v := b.Get(k); v != nil {
			if prev, err := decodeLocal(v); err == nil && prev.Version > l.Version {
				return nil
			}
		}
		return b.Put(k, val)
	})
	if err != nil {
		return fmt.Errorf("store local incident %s: %w", l.ID, err)
	}
	return nil
}

// LocalIncidents returns up to n of our incidents, newest first (keys sort
// by first failure); n <= 0 means all.
func (s *Store) LocalIncidents(n int) ([]probe.LocalIncident, error) {
	var out []probe.LocalIncident
	err := s.view("read", func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketLocalIncidents).Cursor()
		for k, v := c.Last(); k != nil && (n <= 0 || len(out) < n); k, v = c.Prev() {
			l, err := decodeLocal(v)
			if err != nil {
				return fmt.Errorf("local incident %q: %w", k, err)
			}
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("local incidents: %w", err)
	}
	return out, nil
}

// OpenLocalIncidents returns the incidents still open, oldest first, for
// the detector to take over after a restart.
func (s *Store) OpenLocalIncidents() ([]probe.LocalIncident, error) {
	all, err := s.LocalIncidents(0)
	if err != nil {
		return nil, err
	}
	var out []probe.LocalIncident
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Active() {
			out = append(out, all[i])
		}
	}
	return out, nil
}

func encodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte{incidentVersion}, b...), nil
}

func decodeIncident(v []byte) (probe.Incident, error) {
	var in probe.Incident
	if len(v) == 0 || v[0] != incidentVersion {
		return in, fmt.Errorf("%w: incident value: unknown version", errUndecodable)
	}
	if err := json.Unmarshal(v[1:], &in); err != nil {
		return in, fmt.Errorf("%w: incident value: %w", errUndecodable, err)
	}
	return in, nil
}

func decodeLocal(v []byte) (probe.LocalIncident, error) {
	var l probe.LocalIncident
	if len(v) == 0 || v[0] != incidentVersion {
		return l, fmt.Errorf("%w: local incident value: unknown version", errUndecodable)
	}
	if err := json.Unmarshal(v[1:], &l); err != nil {
		return l, fmt.Errorf("%w: local incident value: %w", errUndecodable, err)
	}
	return l, nil
}
