package probe

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// The lenient JSON types: each accepts null, a missing field and a value of
// the wrong type without failing the decode of the object around it.

// jString is a string; a number becomes its text, anything else "".
type jString string

func (s *jString) UnmarshalJSON(b []byte) error {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	switch v := v.(type) {
	case string:
		*s = jString(v)
	case float64:
		*s = jString(strconv.FormatFloat(v, 'f', -1, 64))
	}
	return nil
}

// jInt is an integer; a numeric string is accepted.
type jInt int

func (n *jInt) UnmarshalJSON(b []byte) error {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	switch v := v.(type) {
	case float64:
		if v >= -1<<31 && v <= 1<<31-1 {
			*n = jInt(v)
		}
	case string:
		if i, err := strconv.Atoi(v); err == nil {
			*n = jInt(i)
		}
	}
	return nil
}

// jBool is a boolean; "true" as a string is accepted.
type jBool bool

func (x *jBool) UnmarshalJSON(b []byte) error {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	switch v := v.(type) {
	case bool:
		*x = jBool(v)
	case string:
		*x = jBool(v == "true")
	}
	return nil
}

// jTime is an RFC 3339 timestamp with optional fraction and offset; anything
// unparsable is the zero time.
type jTime struct{ t time.Time }

func (x *jTime) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil || s == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		x.t = t
	}
	return nil
}

// jList is an array whose elements are decoded one by one, so one odd
// element does not lose the others; null or a non-array is empty (null is
// remembered, for the shape check).
type jList[T any] struct {
	items []T
	null  bool
}

func (l *jList[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		l.null = true
		return nil
	}
	var raws []json.RawMessage
	if json.Unmarshal(b, &raws) != nil {
		l.null = true // not an array: as good as absent
		return nil
	}
	l.items = make([]T, 0, len(raws))
	for _, r := range raws {
		var v T
		if json.Unmarshal(r, &v) == nil {
			l.items = append(l.items, v)
		}
	}
	return nil
}
