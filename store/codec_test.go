package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"downforai/probe"
)

// testStrings stands in for the strings bucket in codec tests.
var testStrings = []string{"", "authentication_error", "API answers (401 without key, as expected)", "none"}

func testIntern(s string) (uint64, bool) {
	for i, t := range testStrings[1:] {
		if s == t {
			return uint64(i + 1), true
		}
	}
	return 0, false
}

func testLookup(id uint64) (string, bool) {
	if id == 0 || id >= uint64(len(testStrings)) {
		return "", false
	}
	return testStrings[id], true
}

func TestDecodeRejectsDamage(t *testing.T) {
	r := okResult(probe.TargetAPIKey, base)
	r.ErrorType = "authentication_error"
	r.RateLimit = probe.RateLimit{RequestsLimit: 5, TokensReset: base, RetryAfter: time.Second}
	v, err := encodeResult(nil, r, testIntern)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeResult(v, testLookup); err != nil {
		t.Fatalf("intact value: %v", err)
	}
	for i := range v {
		if _, err := decodeResult(v[:i], testLookup); !errors.Is(err, errCorrupt) {
			t.Errorf("truncated to %d of %d bytes: err = %v", i, len(v), err)
		}
	}
	for name, bad := range map[string][]byte{
		"trailing":      append(append([]byte{}, v...), 0),
		"version":       append([]byte{2}, v[1:]...),
		"unknown flags": {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80},
		"unknown id":    {1, 0, 0, 0, 0, 0, 0, 0, 99<<1 | 1, 0, 0, 0, 0},
		"no lookup":     {1, 0, 0, 0, 0, 0, 0, 0, 1<<1 | 1, 0, 0, 0, 0},
		"huge string":   {1, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0x0f},
		"huge phase":    {1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		lookup := testLookup
		if name == "no lookup" {
			lookup = nil
		}
		if _, err := decodeResult(bad, lookup); !errors.Is(err, errCorrupt) {
			t.Errorf("%s: err = %v, want errCorrupt", name, err)
		}
	}
}

func TestEncodeRejectsNegativeStatus(t *testing.T) {
	if _, err := encodeResult(nil, probe.Result{HTTPStatus: -1}, nil); err == nil {
		t.Fatal("want an error")
	}
}

// FuzzDecodeResult feeds arbitrary bytes to the decoder: it must never
// panic, and whatever it accepts must survive another encode/decode.
func FuzzDecodeResult(f *testing.F) {
	seeds := []probe.Result{
		{},
		okResult(probe.TargetAPI, base),
		{Class: probe.ClassNetwork, ErrorType: "authentication_error", Message: "Überlastung 🔥", Detail: "none"},
		{Class: probe.ClassRateLimited, HTTPStatus: 429, RateLimit: probe.RateLimit{
			RequestsLimit: 50, RequestsRemaining: -1, RequestsReset: base, TokensLimit: 1 << 50,
			TokensRemaining: 7, TokensReset: base.Add(time.Nanosecond), RetryAfter: time.Minute}},
	}
	for _, r := range seeds {
		v, err := encodeResult(nil, r, testIntern)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(v)
	}
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add([]byte{1, 0, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeResult(data, testLookup)
		if err != nil {
			if !errors.Is(err, errCorrupt) {
				t.Fatalf("error %v does not wrap errCorrupt", err)
			}
			return
		}
		v, err := encodeResult(nil, r, testIntern)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", r, err)
		}
		r2, err := decodeResult(v, testLookup)
		if err != nil {
			t.Fatalf("decode of re-encoded %x: %v", v, err)
		}
		if !sameResult(r, r2) {
			t.Fatalf("not stable:\n%+v\n%+v", r, r2)
		}
	})
}

// TestCodecBoundaries holds each limit of the codec on both sides:
// mutation testing (.ci/mutation codec) found them unguarded.
func TestCodecBoundaries(t *testing.T) {
	roundTrip := func(name string, r probe.Result, intern func(string) (uint64, bool), lookup func(uint64) (string, bool)) {
		t.Helper()
		v, err := encodeResult(nil, r, intern)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		got, err := decodeResult(v, lookup)
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if !sameResult(got, r) {
			t.Errorf("%s: got %+v\nwant %+v", name, got, r)
		}
	}
	// The largest HTTP status and phase the value holds survive.
	longest := time.Duration(math.MaxInt64/int64(time.Microsecond)) * time.Microsecond
	roundTrip("largest values", probe.Result{HTTPStatus: math.MaxInt32,
		Phases: probe.Phases{DNS: longest, Total: longest}}, nil, nil)

	// The largest string id fits id<<1|1 in a uint64; one more is written
	// literally, not wrapped round to another id.
	byID := func(id uint64) func(string) (uint64, bool) {
		return func(string) (uint64, bool) { return id, true }
	}
	only := func(id uint64, s string) func(uint64) (string, bool) {
		return func(got uint64) (string, bool) { return s, got == id }
	}
	r := probe.Result{Message: "interned"}
	roundTrip("largest id", r, byID(maxStringID), only(maxStringID, r.Message))
	roundTrip("id past the largest", r, byID(maxStringID+1), only(1<<63, "wrapped"))
	if v, _ := encodeResult(nil, r, byID(maxStringID+1)); !bytes.Contains(v, []byte(r.Message)) {
		t.Errorf("an id past the largest: the string is not written literally: %x", v)
	}

	// A value cut anywhere is an error, whichever field ends it: here a
	// reset time, whose last part (the nanoseconds) is a uvarint.
	cut := okResult(probe.TargetAPI, base)
	cut.RateLimit = probe.RateLimit{TokensReset: base.Add(time.Nanosecond)}
	v, err := encodeResult(nil, cut, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range v {
		if _, err := decodeResult(v[:i], nil); !errors.Is(err, errCorrupt) {
			t.Errorf("cut to %d of %d bytes: err = %v", i, len(v), err)
		}
	}

	// Nanoseconds of a time are below a second.
	resetWith := func(nsec uint64) []byte {
		b := []byte{resultVersion, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rlTokensReset, 0}
		return binary.AppendUvarint(b, nsec)
	}
	if r, err := decodeResult(resetWith(uint64(time.Second)-1), nil); err != nil || r.RateLimit.TokensReset.Nanosecond() != int(time.Second)-1 {
		t.Errorf("999999999 ns: %+v, %v", r.RateLimit, err)
	}
	if _, err := decodeResult(resetWith(uint64(time.Second)), nil); !errors.Is(err, errCorrupt) {
		t.Errorf("1e9 ns: err = %v, want errCorrupt", err)
	}
}
