// Package human writes byte sizes and counts for people: "1.5 MiB",
// "12,345". It replaces go-humanize, whose package init computes a table
// of big.Int powers at every start of every command (1.25% of the CPU to
// the dashboard's first paint, issue 11) for sizes we never print; the
// output is the same (TestSameAsHumanize).
package human

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

var iecSizes = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// IBytes is s in powers of 1024: "9 B", "1.5 KiB", "82 MiB".
func IBytes(s uint64) string {
	if s < 10 {
		return fmt.Sprintf("%d B", s)
	}
	e := math.Floor(math.Log(float64(s)) / math.Log(1024))
	suffix := iecSizes[int(e)]
	val := math.Floor(float64(s)/math.Pow(1024, e)*10+0.5) / 10
	f := "%.0f %s"
	if val < 10 {
		f = "%.1f %s"
	}
	return fmt.Sprintf(f, val, suffix)
}

// Comma is v with commas between groups of three digits: "-12,345".
func Comma(v int64) string {
	if v == math.MinInt64 {
		return "-9,223,372,036,854,775,808"
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	var parts []string
	for v > 999 {
		parts = append(parts, fmt.Sprintf("%03d", v%1000))
		v /= 1000
	}
	parts = append(parts, strconv.FormatInt(v, 10))
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return sign + strings.Join(parts, ",")
}
