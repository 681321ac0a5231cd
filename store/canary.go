package store

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// bucketCanary holds the canaries' token use per UTC day, so that a
// restart does not give the day's budget back.
var bucketCanary = []byte("canary_tokens")

// canaryDays is how many days of token use are kept.
const canaryDays = 40

var _ probe.TokenLedger = (*Store)(nil)

// CanaryTokens returns the tokens the canaries used on day ("2006-01-02",
// UTC), 0 when none were recorded (probe.TokenLedger).
func (s *Store) CanaryTokens(day string) (int64, error) {
	var n int64
	err := s.view("read", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCanary)
		if b == nil {
			return nil
		}
		var err error
		n, err = decodeTokens(b.Get([]byte(day)))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("read canary tokens of %s: %w", day, err)
	}
	return n, nil
}

// AddCanaryTokens adds n tokens to day's use and returns the day's total;
// days older than canaryDays are forgotten in the same transaction
// (probe.TokenLedger).
func (s *Store) AddCanaryTokens(day string, n int64) (int64, error) {
	if _, err := time.Parse("2006-01-02", day); err != nil {
		return 0, fmt.Errorf("add canary tokens: bad day %q", day)
	}
	var total int64
	err := s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		b, err := tx.CreateBucketIfNotExists(bucketCanary)
		if err != nil {
			return err
		}
		old, err := decodeTokens(b.Get([]byte(day)))
		if err != nil {
			return err
		}
		total = old + max(n, 0)
		if err := b.Put([]byte(day), binary.AppendUvarint([]byte{1}, uint64(total))); err != nil {
			return err
		}
		d, _ := time.Parse("2006-01-02", day)
		cutoff := []byte(d.AddDate(0, 0, -canaryDays).Format("2006-01-02"))
		var stale [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && string(k) < string(cutoff); k, _ = c.Next() {
			stale = append(stale, append([]byte(nil), k...))
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add canary tokens of %s: %w", day, err)
	}
	return total, nil
}

// decodeTokens reads a day's value: 0x01, uvarint tokens; nil is 0.
func decodeTokens(v []byte) (int64, error) {
	if v == nil {
		return 0, nil
	}
	if len(v) < 2 || v[0] != 1 {
		return 0, fmt.Errorf("%w: canary tokens value %x", errCorrupt, v)
	}
	n, k := binary.Uvarint(v[1:])
	if k <= 0 || k != len(v)-1 || n > 1<<40 {
		return 0, fmt.Errorf("%w: canary tokens value %x", errCorrupt, v)
	}
	return int64(n), nil
}
