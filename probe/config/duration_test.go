package config

import (
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

// durationInputs are the shapes a person or a script writes, and the ones
// at the edges: every unit, combinations in and out of order, repeats,
// signs, spaces, fractions, Go-only units, and the ends of time.Duration.
var durationInputs = []string{
	"0", "-0", "00", "0s", "0ms", "1ms", "1s", "1m", "1h", "1d", "1w", "1y", "30d", "90d", "12w6d",
	"1h30m", "1y2w3d4h5m6s7ms", "2w1y", "1s1m", "1m1m", "1d1d", "5", "-5", "-5s", "--5s", "+5s",
	"-", "", " ", "s", "ms", "1x", "1 s", "1s ", " 1s", "1.5s", "1.5d", "250µs", "250us", "10ns",
	"1h1.5m", "1e3s", "0x10s", "١s", "1S", "1D", "1H", "1msms", "1mss", "1sm", "007s",
	"106751d", "106752d", "292y", "293y", "9223372036854ms", "9223372036855ms",
	"9223372036854775807ms", "18446744073709551616s", "-292y", "292y24w", "292y24w3d23h47m16s854ms",
	"292y24w3d23h47m16s855ms", "-292y24w3d23h47m16s854ms",
}

// TestParseDurationIsPrometheusThenGo holds ParseDuration to what it was
// when it called prometheus/common/model: the Prometheus form first (a sign
// allowed), then Go's. The reference is the library itself, in the test only.
func TestParseDurationIsPrometheusThenGo(t *testing.T) {
	for _, in := range durationInputs {
		checkAgainstPrometheus(t, in)
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, in := range durationInputs {
		f.Add(in)
	}
	f.Fuzz(checkAgainstPrometheus)
}

func checkAgainstPrometheus(t *testing.T, in string) {
	t.Helper()
	s := strings.TrimSpace(in)
	want, werr := func() (time.Duration, error) {
		if d, err := model.ParseDurationAllowNegative(s); err == nil {
			return time.Duration(d), nil
		}
		return time.ParseDuration(s)
	}()
	got, err := ParseDuration(in)
	if (err == nil) != (werr == nil) || got != want {
		t.Errorf("ParseDuration(%q) = %v, %v; the Prometheus-then-Go reference says %v, %v", in, got, err, want, werr)
	}
	if err != nil && !strings.Contains(err.Error(), "is not a duration") {
		t.Errorf("ParseDuration(%q): the error %q does not say what is wrong", in, err)
	}
}

// TestFormatDurationIsPrometheus: the exact-millisecond form is written as
// model.Duration wrote it (years and weeks only when exact), the rest as Go
// writes it, and every value written reads back as itself.
func TestFormatDurationIsPrometheus(t *testing.T) {
	day := 24 * time.Hour
	for _, d := range []time.Duration{
		0, time.Millisecond, -time.Millisecond, time.Second, 1500 * time.Millisecond, time.Minute, 90 * time.Minute,
		day, 7 * day, 14 * day, 90 * day, 365 * day, 372 * day, 366 * day, 730*day + 7*day, -30 * day,
		day + time.Hour + time.Minute + time.Second + time.Millisecond, 1500 * time.Microsecond, time.Nanosecond,
		math.MaxInt64 / time.Millisecond * time.Millisecond, -(math.MaxInt64 / time.Millisecond * time.Millisecond),
		math.MaxInt64, math.MinInt64,
	} {
		want := d.String()
		if d%time.Millisecond == 0 {
			want = model.Duration(d).String()
		}
		got := FormatDuration(d)
		if got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", d, got, want)
		}
		if back, err := ParseDuration(got); err != nil || back != d {
			t.Errorf("FormatDuration(%d) = %q reads back as %v, %v", d, got, back, err)
		}
	}
}

// TestConfigLinksNoPrometheus: reading settings does not link the
// Prometheus packages; their inits ran at every start for one parser. Only
// this package's test binary links model, for the reference above.
func TestConfigLinksNoPrometheus(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the package's dependencies")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "downforai/probe/config") {
		t.Fatalf("go list -deps did not list the package itself:\n%s", out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/prometheus/") {
			t.Errorf("probe/config links %s", dep)
		}
	}
}
