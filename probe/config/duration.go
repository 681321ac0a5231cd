package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/common/model"
)

// Duration is a setting measured in time: a flag value and a TOML key
// alike, written with a unit ("30s", "5m", "30d", "1w"). One parser serves
// both, so a value that works on the command line works in the file.
type Duration time.Duration

// ParseDuration reads a duration the way Prometheus does — units from ms to
// y, combined largest first ("1h30m", "30d", "1w") — and also takes what Go's
// time.ParseDuration takes ("1.5s", "250µs") so no value that worked before
// stops working. A sign is kept, for validation to name.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, err := model.ParseDurationAllowNegative(s); err == nil {
		return time.Duration(d), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a duration: a number and a unit, e.g. 30s, 5m, 2h, 30d, 1w", s)
}

// FormatDuration writes d the way ParseDuration reads it, in the largest
// units that are exact: "30s", "3m", "30d", "1h30m", "1.5s".
func FormatDuration(d time.Duration) string {
	if d%time.Millisecond != 0 {
		return d.String()
	}
	return model.Duration(d).String()
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
