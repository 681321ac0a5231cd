package store

import (
	"bytes"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// copier writes what the walk finds into the new store in batches.
type copier struct {
	s    *Store
	rep  *SalvageReport
	strs map[uint64]string
	ops  []func(*bolt.Tx, func(string) (uint64, bool)) error
	err  error

	rollupsLost bool
	// lostUntil is, per target, the end of the last lost range of raw
	// results: the raw results are complete only after it.
	lostUntil map[probe.Target]time.Time
}

func (c *copier) put(op func(*bolt.Tx, func(string) (uint64, bool)) error) {
	c.ops = append(c.ops, op)
	if len(c.ops) >= salvageBatch {
		c.flush()
	}
}

func (c *copier) flush() {
	if len(c.ops) == 0 || c.err != nil {
		c.ops = c.ops[:0]
		return
	}
	ops := c.ops
	c.err = c.s.writeTx(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
		for _, op := range ops {
			if err := op(tx, intern); err != nil {
				return err
			}
		}
		return nil
	})
	c.ops = c.ops[:0]
}

// record copies one key and value found at path, if it decodes.
func (c *copier) record(path []string, k, v []byte) {
	k, v = bytes.Clone(k), bytes.Clone(v)
	bad := func() { c.rep.Undecodable++ }
	switch {
	case len(path) == 2 && path[0] == "results":
		t := probe.Target(path[1])
		if len(k) != 8 {
			bad()
			return
		}
		r, ok, lost := c.decode(v)
		if !ok {
			bad()
			return
		}
		r.Target, r.Time = t, keyTime(k)
		if lost {
			c.rep.TextsLost++
		}
		c.rep.Results[t]++
		c.put(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
			b, err := resultBucket(tx.Bucket(bucketResults), t)
			if err != nil {
				return err
			}
			val, err := encodeResult(nil, r, intern)
			if err != nil {
				return err
			}
			return b.Put(k, val)
		})
	case len(path) == 3 && path[0] == "rollups" && (path[1] == hourly.name || path[1] == daily.name):
		var sum probe.Summary
		if len(k) != 8 || decodeRollup(v, &sum) != nil {
			bad()
			return
		}
		p := hourly
		if path[1] == daily.name {
			p, c.rep.DayRollups = daily, c.rep.DayRollups+1
		} else {
			c.rep.HourRollups++
		}
		t := probe.Target(path[2])
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
			b, err := rollupBucketForWrite(tx, p, t)
			if err != nil {
				return err
			}
			return b.Put(k, v)
		})
	case len(path) == 2 && path[0] == "rollups" && path[1] == "pruned":
		if len(v) != 8 {
			bad()
			return
		}
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
			return tx.Bucket(bucketRollups).Bucket(bucketPruned).Put(k, v)
		})
	case len(path) == 1 && path[0] == "status":
		if _, err := decodeStatus(v); err != nil || len(k) != 8 {
			bad()
			return
		}
		c.rep.Statuses++
		c.putIn(bucketStatus, k, v)
	case len(path) == 1 && path[0] == "incidents":
		if _, err := decodeIncident(v); err != nil {
			bad()
			return
		}
		c.rep.Incidents++
		c.putIn(bucketIncidents, k, v)
	case len(path) == 1 && path[0] == "local_incidents":
		if _, err := decodeLocal(v); err != nil {
			bad()
			return
		}
		c.rep.LocalIncidents++
		c.putIn(bucketLocalIncidents, k, v)
	case len(path) == 1 && path[0] == "annotations":
		c.rep.Annotations++
		c.putIn(bucketAnnotations, k, v)
	case len(path) == 1 && path[0] == string(bucketTranscriptFiles):
		if _, err := decodeFileState(v); err != nil {
			bad()
			return
		}
		c.putIn(bucketTranscriptFiles, k, v)
	case len(path) == 1 && path[0] == string(bucketTranscriptUsage):
		if _, err := decodeUsage(k, v); err != nil {
			bad()
			return
		}
		c.rep.Usage++
		c.putIn(bucketTranscriptUsage, k, v)
	case len(path) == 1 && path[0] == string(bucketCanary):
		if _, err := decodeTokens(v); err != nil {
			bad()
			return
		}
		c.putIn(bucketCanary, k, v)
	}
}

// decode reads a result value against the source's strings, a lost text
// standing in for one whose page was lost (lost is then set), and cleans
// its texts: a damaged page may hold anything.
func (c *copier) decode(v []byte) (r probe.Result, ok, lost bool) {
	r, err := decodeResult(v, func(id uint64) (string, bool) {
		if s, ok := c.strs[id]; ok {
			return s, true
		}
		lost = true
		return textLost, true
	})
	if err != nil || !r.Class.Valid() {
		return probe.Result{}, false, false
	}
	r.ErrorType, r.Message, r.Detail = cleanText(r.ErrorType), cleanText(r.Message), cleanText(r.Detail)
	r.RequestID = cleanText(r.RequestID)
	return r, true, lost
}

func (c *copier) putIn(bucket, k, v []byte) {
	c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

// lost notes a subtree that could not be read.
func (c *copier) lost(path []string, lo, hi []byte, why string) {
	timeKeys := len(path) > 0 && (path[0] == "status" || (path[0] == "results" && len(path) == 2) || (path[0] == "rollups" && len(path) == 3))
	show := func(k []byte, end string) string {
		switch {
		case k == nil:
			return end
		case timeKeys && len(k) == 8:
			return stamp(keyTime(k))
		}
		return printable(string(k))
	}
	c.rep.Lost = append(c.rep.Lost, LostPart{Bucket: pathName(path), From: show(lo, "the start"), To: show(hi, "the end"), Why: why})
	switch {
	case len(path) >= 1 && path[0] == "rollups":
		c.rollupsLost = true
	case len(path) == 2 && path[0] == "results":
		t := probe.Target(path[1])
		until := time.Now()
		if hi != nil && len(hi) == 8 {
			until = keyTime(hi)
		}
		if until.After(c.lostUntil[t]) {
			c.lostUntil[t] = until
		}
	}
}

// markLost records, for each target whose raw results lost a range, that
// raw results are complete only after it — as retention does for what it
// deletes — so summaries of those hours come from the rollups, which
// still count what was lost, and a rebuild leaves those rollups alone.
func (c *copier) markLost() {
	for t, until := range c.lostUntil {
		k := boundKey(until.Add(-1))
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error { return notePruned(tx, t, k) })
	}
	c.flush()
}
