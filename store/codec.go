package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"downforai/probe"
)

// resultVersion is the leading byte of every result value without a
// canary's figures; resultVersionCanary leads a value that has them (time
// to first token and tokens, right after the total time). Results of the
// other probes stay version 1, so a file stays readable by an older
// downforai in all but its canaries.
const (
	resultVersion       = 1
	resultVersionCanary = 2
)

// Rate-limit flag bits, in encoding order.
const (
	rlRequestsLimit = 1 << iota
	rlRequestsRemaining
	rlRequestsReset
	rlTokensLimit
	rlTokensRemaining
	rlTokensReset
	rlRetryAfter
	rlKnown = 1<<iota - 1
)

// maxStringID keeps id<<1|1 inside a uint64.
const maxStringID = 1<<63 - 1

// errCorrupt is wrapped by every decoding error.
var errCorrupt = errors.New("corrupt result value")

// timeKey encodes t as a time key. It reports false when t has no
// nanosecond Unix time that sorts correctly (zero, before 1970, after 2262).
func timeKey(t time.Time) ([8]byte, bool) {
	var k [8]byte
	if t.IsZero() || t.Before(time.Unix(0, 0)) || t.After(time.Unix(0, math.MaxInt64)) {
		return k, false
	}
	binary.BigEndian.PutUint64(k[:], uint64(t.UnixNano()))
	return k, true
}

// boundKey encodes a query bound, clamping times outside the key range to
// its ends.
func boundKey(t time.Time) []byte {
	k, ok := timeKey(t)
	if !ok {
		if t.After(time.Unix(0, 0)) {
			binary.BigEndian.PutUint64(k[:], math.MaxInt64)
		}
	}
	return k[:]
}

func keyTime(k []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k)))
}

// encodeResult appends r's value (everything but Target and Time) to dst.
// intern returns the id of an interned string, and false to write s
// literally; nil interns nothing. RequestID is always literal: it is unique
// per request and would only grow the table.
func encodeResult(dst []byte, r probe.Result, intern func(string) (uint64, bool)) ([]byte, error) {
	if r.HTTPStatus < 0 {
		return nil, fmt.Errorf("encode result: negative HTTP status %d", r.HTTPStatus)
	}
	canary := r.Phases.FirstToken > 0 || r.Tokens > 0
	ver := byte(resultVersion)
	if canary {
		ver = resultVersionCanary
	}
	dst = append(dst, ver, byte(r.Class))
	dst = binary.AppendUvarint(dst, uint64(r.HTTPStatus))
	for _, d := range [...]time.Duration{r.Phases.DNS, r.Phases.Connect, r.Phases.TLS, r.Phases.FirstByte, r.Phases.Total} {
		dst = binary.AppendUvarint(dst, uint64(max(d, 0)/time.Microsecond))
	}
	if canary {
		dst = binary.AppendUvarint(dst, uint64(max(r.Phases.FirstToken, 0)/time.Microsecond))
		dst = binary.AppendUvarint(dst, uint64(max(r.Tokens, 0)))
	}
	dst = appendString(dst, r.ErrorType, intern)
	dst = appendString(dst, r.Message, intern)
	dst = appendString(dst, r.RequestID, nil)
	dst = appendString(dst, r.Detail, intern)
	rl := r.RateLimit
	var flags byte
	setIf := func(bit byte, present bool) {
		if present {
			flags |= bit
		}
	}
	setIf(rlRequestsLimit, rl.RequestsLimit != 0)
	setIf(rlRequestsRemaining, rl.RequestsRemaining != 0)
	setIf(rlRequestsReset, !rl.RequestsReset.IsZero())
	setIf(rlTokensLimit, rl.TokensLimit != 0)
	setIf(rlTokensRemaining, rl.TokensRemaining != 0)
	setIf(rlTokensReset, !rl.TokensReset.IsZero())
	setIf(rlRetryAfter, rl.RetryAfter != 0)
	dst = append(dst, flags)
	if flags&rlRequestsLimit != 0 {
		dst = binary.AppendVarint(dst, rl.RequestsLimit)
	}
	if flags&rlRequestsRemaining != 0 {
		dst = binary.AppendVarint(dst, rl.RequestsRemaining)
	}
	if flags&rlRequestsReset != 0 {
		dst = appendTime(dst, rl.RequestsReset)
	}
	if flags&rlTokensLimit != 0 {
		dst = binary.AppendVarint(dst, rl.TokensLimit)
	}
	if flags&rlTokensRemaining != 0 {
		dst = binary.AppendVarint(dst, rl.TokensRemaining)
	}
	if flags&rlTokensReset != 0 {
		dst = appendTime(dst, rl.TokensReset)
	}
	if flags&rlRetryAfter != 0 {
		dst = binary.AppendVarint(dst, int64(rl.RetryAfter))
	}
	return dst, nil
}

func appendString(dst []byte, s string, intern func(string) (uint64, bool)) []byte {
	if s == "" {
		return append(dst, 0)
	}
	if intern != nil {
		if id, ok := intern(s); ok && id <= maxStringID {
			return binary.AppendUvarint(dst, id<<1|1)
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(s))<<1)
	return append(dst, s...)
}

// appendTime stores seconds and nanoseconds apart so that every time.Time,
// not only those UnixNano can express, survives exactly.
func appendTime(dst []byte, t time.Time) []byte {
	dst = binary.AppendVarint(dst, t.Unix())
	return binary.AppendUvarint(dst, uint64(t.Nanosecond()))
}

// decoder reads a value front to back and remembers the first error, so
// decodeResult reads as a list of fields. Every read is bounds-checked.
type decoder struct {
	b      []byte
	lookup func(uint64) (string, bool) // interned strings; may be nil
	err    error
}

func (d *decoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{errCorrupt}, a...)...)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.fail("truncated")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad uvarint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) micros() time.Duration {
	us := d.uvarint()
	if us > math.MaxInt64/uint64(time.Microsecond) {
		d.fail("duration out of range")
		return 0
	}
	return time.Duration(us) * time.Microsecond
}

func (d *decoder) string() string {
	h := d.uvarint()
	switch {
	case d.err != nil || h == 0:
		return ""
	case h&1 == 1:
		id := h >> 1
		var s string
		ok := d.lookup != nil
		if ok {
			s, ok = d.lookup(id)
		}
		if !ok {
			d.fail("unknown interned string %d", id)
		}
		return s
	}
	n := h >> 1
	if n > uint64(len(d.b)) {
		d.fail("string of %d bytes, %d left", n, len(d.b))
		return ""
	}
	s := string(d.b[:n]) // copies: the value may live in the mmap
	d.b = d.b[n:]
	return s
}

func (d *decoder) time() time.Time {
	sec := d.varint()
	nsec := d.uvarint()
	if d.err != nil {
		return time.Time{}
	}
	if nsec >= uint64(time.Second) {
		d.fail("nanoseconds %d out of range", nsec)
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec))
}

// decodeResult decodes a value written by encodeResult, resolving interned
// strings with lookup. Target and Time come from the bucket and key and are
// left for the caller to fill in. It
// never panics; anything that is not a complete v1 value is an error
// wrapping errCorrupt.
func decodeResult(b []byte, lookup func(uint64) (string, bool)) (probe.Result, error) {
	d := decoder{b: b, lookup: lookup}
	var r probe.Result
	v := d.byte()
	if d.err == nil && v != resultVersion && v != resultVersionCanary {
		return r, fmt.Errorf("%w: value version %d, want %d", errCorrupt, v, resultVersion)
	}
	r.Class = probe.Class(d.byte())
	status := d.uvarint()
	if status > math.MaxInt32 {
		d.fail("HTTP status %d out of range", status)
	}
	r.HTTPStatus = int(status)
	r.Phases.DNS = d.micros()
	r.Phases.Connect = d.micros()
	r.Phases.TLS = d.micros()
	r.Phases.FirstByte = d.micros()
	r.Phases.Total = d.micros()
	if v == resultVersionCanary {
		r.Phases.FirstToken = d.micros()
		if n := d.uvarint(); n <= 1<<40 {
			r.Tokens = int64(n)
		} else {
			d.fail("%d tokens out of range", n)
		}
	}
	r.ErrorType = d.string()
	r.Message = d.string()
	r.RequestID = d.string()
	r.Detail = d.string()
	flags := d.byte()
	if d.err == nil && flags&^rlKnown != 0 {
		d.fail("unknown rate-limit flags %#x", flags)
	}
	rl := &r.RateLimit
	if flags&rlRequestsLimit != 0 {
		rl.RequestsLimit = d.varint()
	}
	if flags&rlRequestsRemaining != 0 {
		rl.RequestsRemaining = d.varint()
	}
	if flags&rlRequestsReset != 0 {
		rl.RequestsReset = d.time()
	}
	if flags&rlTokensLimit != 0 {
		rl.TokensLimit = d.varint()
	}
	if flags&rlTokensRemaining != 0 {
		rl.TokensRemaining = d.varint()
	}
	if flags&rlTokensReset != 0 {
		rl.TokensReset = d.time()
	}
	if flags&rlRetryAfter != 0 {
		rl.RetryAfter = time.Duration(d.varint())
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return probe.Result{}, d.err
	}
	return r, nil
}
