package store

import (
	"errors"
	"fmt"
	"time"

	"downforai/probe"
)

// The pages of a file can hold together while a record on them does not:
// bytes overwritten inside a value leave every page header, key and offset
// as it was. Such a record would surface later as a decoder's error (Go's
// "invalid character 'X' looking for beginning of value") in the middle of
// db stats, check or the dashboard, after check had already written its
// round into the file. So judgeFile decodes every record of the buckets
// downforai reads whole as it walks them, and the store turns a record
// that fails to decode when it is read (a results value, which judgeFile
// does not decode: it is most of the file) into the same damaged error,
// after which it writes nothing more.

// judgeRecord says what is wrong with the record k, v of the bucket at
// path, in words; "" when it decodes. Results are left to the reads (see
// above); rollups, status snapshots, incidents, transcripts' offsets and
// usage and the canaries' tokens are decoded here.
func judgeRecord(path []string, k, v []byte) string {
	var err error
	switch {
	case len(path) == 3 && path[0] == string(bucketRollups) && (path[1] == hourly.name || path[1] == daily.name):
		var sum probe.Summary
		err = decodeRollup(v, &sum)
	case len(path) != 1:
		return ""
	case path[0] == string(bucketStatus):
		_, err = decodeStatus(v)
	case path[0] == string(bucketIncidents):
		_, err = decodeIncident(v)
	case path[0] == string(bucketLocalIncidents):
		_, err = decodeLocal(v)
	case path[0] == string(bucketTranscriptFiles):
		_, err = decodeFileState(v)
	case path[0] == string(bucketTranscriptUsage):
		if len(k) != 16 {
			err = errBadTranscriptValue
			break
		}
		_, err = decodeUsage(k, v)
	case path[0] == string(bucketCanary):
		_, err = decodeTokens(v)
	}
	if err == nil {
		return ""
	}
	return fmt.Sprintf("bucket %s: the record %s does not decode", pathName(path), recordName(k))
}

// recordName names a record by its key: a time for the buckets keyed by
// one, else the key as text (or hex).
func recordName(k []byte) string {
	if len(k) == 8 {
		return "of " + keyTime(k).UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%q", printable(string(k)))
}

// errUndecodable marks a JSON record (status, incident) that does not
// decode; like errCorrupt and errBadTranscriptValue, the store makes it
// ErrDamaged when a read meets it (see undecodable).
var errUndecodable = errors.New("a stored record does not decode")

// undecodable turns err, from a read of op, into the store's damaged error
// when a stored record in it did not decode, and stops the store writing
// to the file; other errors pass as they are.
func (s *Store) undecodable(err error) error {
	if err == nil || !(errors.Is(err, errCorrupt) || errors.Is(err, errUndecodable) || errors.Is(err, errBadTranscriptValue)) {
		return err
	}
	if derr := s.damagedErr(); derr != nil {
		return derr
	}
	derr := damagedError(s.path, "a stored record does not decode")
	s.damaged.CompareAndSwap(nil, &derr)
	return s.damagedErr()
}
