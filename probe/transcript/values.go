package transcript

// Values read leniently: numbers written as numbers or text, strings that
// may be objects, message content, and the hashes that name sessions and
// answers.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// number64 reads a count written as a number or as text.
func number64(v gjson.Result) (int64, bool) {
	switch v.Type {
	case gjson.Number, gjson.String:
		return count(json.RawMessage(v.Raw))
	}
	return 0, false
}

// hashSession is the first 8 hex digits of the session id's SHA-256: enough
// to tell sessions apart on one machine, useless to find one.
func hashSession(id string) string {
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:4])
}

// answerKey identifies one answer across the lines Claude Code writes for
// it (one per streamed content block): message id and request id, as
// ccusage deduplicates. Without ids the line stands alone.
func answerKey(msgID, reqID string, at time.Time) uint64 {
	h := sha256.New()
	if msgID == "" && reqID == "" {
		h.Write([]byte(at.Format(time.RFC3339Nano)))
	}
	h.Write([]byte(msgID))
	h.Write([]byte{0})
	h.Write([]byte(reqID))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	k := uint64(0)
	for _, c := range sum[:8] {
		k = k<<8 | uint64(c)
	}
	return k
}

// number reads an integer written as a number or as text.
func number(v gjson.Result) (int, bool) {
	n, ok := number64(v)
	return int(n), ok && n < 1<<31
}

// numberRaw is number for a value decoded with encoding/json.
func numberRaw(raw json.RawMessage) (int, bool) {
	n, ok := count(raw)
	return int(n), ok && n < 1<<31
}

func count(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e15 {
		return 0, false
	}
	return int64(f), true
}

func truthy(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s == "true" || s == `"true"`
}

// stringOf is a JSON string's value, "" for anything else.
func stringOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// contentText is the text of message.content: a string, or the text blocks
// of an array, joined.
func contentText(raw json.RawMessage) string {
	if s := stringOf(raw); s != "" {
		return s
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &blocks) != nil {
		return ""
	}
	var parts []string
	for _, b := range blocks {
		if b.Type == "text" && b.Text != "" {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
