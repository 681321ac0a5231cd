package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"downforai/probe"
)

// Duration is a setting measured in time: a flag value and a TOML key
// alike, written with a unit ("30s", "5m", "30d", "1w"). One parser serves
// both, so a value that works on the command line works in the file.
type Duration time.Duration

// ParseDuration reads a duration the way Prometheus does — units from ms to
// y, combined largest first ("1h30m", "30d", "1w") — and also takes what Go's
// time.ParseDuration takes ("1.5s", "250µs") so no value that worked before
// stops working. A sign is kept, for validation to name.
//
// The Prometheus form is parsed here rather than by prometheus/common/model:
// that import made every command that reads its settings link and initialise
// the Prometheus packages before its first frame (issue 11). A differential
// test holds the two parsers to the same answers.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := parseUnits(s); ok {
		return d, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	return 0, fmt.Errorf("%s is not a duration: a number and a unit, e.g. 30s, 5m, 2h, 30d, 1w", probe.Quote(s))
}

// units are the Prometheus duration units, largest first: a value names
// each at most once, in this order. A year is 365 days, a week 7.
var units = [...]struct {
	name string
	d    time.Duration
}{
	{"y", 365 * 24 * time.Hour}, {"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour},
	{"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond},
}

// parseUnits reads an optional "-", then whole numbers each followed by a
// unit of units, largest first ("1w2d", "90m", "-5s"), or "0" alone. It
// refuses anything else, and any total beyond time.Duration's range.
func parseUnits(s string) (time.Duration, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "0" {
		return 0, true
	}
	if s == "" {
		return 0, false
	}
	var total uint64
	next := 0 // the first index of units still allowed
	for s != "" {
		i := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		j := i
		for j < len(s) && !('0' <= s[j] && s[j] <= '9') {
			j++
		}
		if i == 0 || j == i {
			return 0, false
		}
		v, err := strconv.ParseUint(s[:i], 10, 64)
		if err != nil {
			return 0, false
		}
		u := next
		for u < len(units) && units[u].name != s[i:j] {
			u++
		}
		if u == len(units) {
			return 0, false // unknown, repeated or out of order
		}
		next = u + 1
		mult := uint64(units[u].d)
		if v > 1<<63/mult {
			return 0, false
		}
		total += v * mult
		if total > 1<<63-1 {
			return 0, false
		}
		s = s[j:]
	}
	if neg {
		return -time.Duration(total), true
	}
	return time.Duration(total), true
}

// FormatDuration writes d the way ParseDuration reads it, in the largest
// units that are exact: "30s", "3m", "30d", "1h30m", "1.5s". Years and weeks
// are used only when they are exact ("90d", not "12w6d").
func FormatDuration(d time.Duration) string {
	if d%time.Millisecond != 0 {
		return d.String()
	}
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	for i, u := range units {
		if i < 2 && d%u.d != 0 {
			continue
		}
		if n := d / u.d; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.name)
			d -= n * u.d
		}
	}
	return b.String()
}

// String is FormatDuration, for flag help and messages.
func (d Duration) String() string { return FormatDuration(time.Duration(d)) }

// Set parses a flag value.
func (d *Duration) Set(s string) error {
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Type names the value in flag help.
func (d *Duration) Type() string { return "duration" }

// UnmarshalTOML reads the key: a string with a unit. A bare number is an
// error: Go's time.Duration would take it as nanoseconds (`timeout = 5` once
// meant a 5 ns timeout and a false "your network" verdict). Decode catches
// it first, to name the line and the fix.
func (d *Duration) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		return d.Set(v)
	case int64, float64:
		return fmt.Errorf("%v has no unit", v)
	default:
		return fmt.Errorf("want a duration in quotes, e.g. \"30s\", not %T", v)
	}
}

// unitFix is the value to suggest for a bare number n given to key:
// retention is counted in days, everything else in seconds.
func unitFix(key, n string) string {
	if key == "retention" {
		return fmt.Sprintf("%s = %q", key, n+"d")
	}
	return fmt.Sprintf("%s = %q", key, n+"s")
}
