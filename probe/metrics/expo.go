package metrics

import (
	"bufio"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The exposition is written here, not by prometheus/client_golang: the
// client's package inits (its default registry with the Go and process
// collectors, procfs, protobuf, expvar, runtime/metrics) ran at every
// start of every command, with or without --metrics-addr, and its 3.4 MB
// of code made every start fault in more pages (issue 11). What /metrics
// needs is small: gauges and counters with labels, the Go runtime's and
// the process's usual series, the text format (version 0.0.4) that every
// Prometheus reads. TestSameExpositionAsClientGolang holds the text to the
// client's, byte for byte.

// contentType is the text format's, as promhttp sends it.
const contentType = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"

// registry holds the families; one lock for all, as writes are a handful
// per probe result and reads one per scrape.
type registry struct {
	mu   sync.Mutex
	fams []*family
}

// family is one metric with its labels' names and its series.
type family struct {
	name, help, typ string // typ: gauge or counter
	labels          []string
	series          map[string]*series // by the label values joined with 0xff
}

type series struct {
	values []string
	v      float64
}

// vec is a family's handle: set, add and delete series by label values,
// given in the order of the family's label names.
type vec struct {
	r *registry
	f *family
}

func (r *registry) add(typ, name, help string, labels ...string) vec {
	f := &family{name: name, help: help, typ: typ, labels: labels, series: map[string]*series{}}
	r.mu.Lock()
	r.fams = append(r.fams, f)
	r.mu.Unlock()
	return vec{r, f}
}

func (r *registry) gauge(name, help string, labels ...string) vec {
	return r.add("gauge", name, help, labels...)
}

func (r *registry) counter(name, help string, labels ...string) vec {
	return r.add("counter", name, help, labels...)
}

func seriesKey(values []string) string { return strings.Join(values, "\xff") }

// get finds or makes the series of values; the caller holds the lock. A
// wrong number of values is a programming error, as in client_golang.
func (v vec) get(values []string) *series {
	if len(values) != len(v.f.labels) {
		panic("metrics: " + v.f.name + ": " + strconv.Itoa(len(values)) + " label values for " + strconv.Itoa(len(v.f.labels)) + " labels")
	}
	k := seriesKey(values)
	s := v.f.series[k]
	if s == nil {
		vs := make([]string, len(values))
		for i, x := range values {
			// The text format is UTF-8 (client_golang refuses other values
			// with a panic): a stray byte becomes U+FFFD instead.
			vs[i] = strings.ToValidUTF8(x, "\uFFFD")
		}
		s = &series{values: vs}
		v.f.series[k] = s
	}
	return s
}

// Set sets the series of values to x.
func (v vec) Set(x float64, values ...string) {
	v.r.mu.Lock()
	defer v.r.mu.Unlock()
	v.get(values).v = x
}

// Inc adds one to the series of values.
func (v vec) Inc(values ...string) {
	v.r.mu.Lock()
	defer v.r.mu.Unlock()
	v.get(values).v++
}

// Delete removes the series of values.
func (v vec) Delete(values ...string) {
	v.r.mu.Lock()
	defer v.r.mu.Unlock()
	delete(v.f.series, seriesKey(values))
}

// DeleteMatch removes every series whose label name has value.
func (v vec) DeleteMatch(name, value string) {
	i := slices.Index(v.f.labels, name)
	if i < 0 {
		return
	}
	v.r.mu.Lock()
	defer v.r.mu.Unlock()
	for k, s := range v.f.series {
		if s.values[i] == value {
			delete(v.f.series, k)
		}
	}
}

// out is one family as written: its samples in order.
type out struct {
	name, help, typ string
	samples         []sample
}

// sample is one line: the family's name with suffix (a summary's _sum),
// its labels sorted by name, and its value (count, when isCount, as an
// integer).
type sample struct {
	suffix  string
	labels  [][2]string
	v       float64
	count   uint64
	isCount bool
}

// snapshot copies the registry's non-empty families with their series
// sorted as client_golang sorts them: labels by name, then series by their
// label values in that order.
func (r *registry) snapshot() []out {
	r.mu.Lock()
	defer r.mu.Unlock()
	var fams []out
	for _, f := range r.fams {
		if len(f.series) == 0 {
			continue
		}
		order := make([]int, len(f.labels))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(f.labels[a], f.labels[b]) })
		o := out{name: f.name, help: f.help, typ: f.typ}
		for _, s := range f.series {
			ls := make([][2]string, len(order))
			for j, i := range order {
				ls[j] = [2]string{f.labels[i], s.values[i]}
			}
			o.samples = append(o.samples, sample{labels: ls, v: s.v})
		}
		slices.SortFunc(o.samples, func(a, b sample) int {
			for i := range a.labels {
				if c := strings.Compare(a.labels[i][1], b.labels[i][1]); c != 0 {
					return c
				}
			}
			return 0
		})
		fams = append(fams, o)
	}
	return fams
}

// writeText writes fams in the text format, sorted by name.
func writeText(w io.Writer, fams []out) error {
	slices.SortFunc(fams, func(a, b out) int { return strings.Compare(a.name, b.name) })
	bw := bufio.NewWriter(w)
	for _, f := range fams {
		bw.WriteString("# HELP " + f.name + " ")
		helpEscaper.WriteString(bw, f.help)
		bw.WriteString("\n# TYPE " + f.name + " " + f.typ + "\n")
		for _, s := range f.samples {
			bw.WriteString(f.name + s.suffix)
			if len(s.labels) > 0 {
				bw.WriteByte('{')
				for i, l := range s.labels {
					if i > 0 {
						bw.WriteByte(',')
					}
					bw.WriteString(l[0] + `="`)
					valueEscaper.WriteString(bw, l[1])
					bw.WriteByte('"')
				}
				bw.WriteByte('}')
			}
			bw.WriteByte(' ')
			if s.isCount {
				bw.WriteString(strconv.FormatUint(s.count, 10))
			} else {
				bw.WriteString(formatFloat(s.v))
			}
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// formatFloat is the text format's number, as expfmt writes it.
func formatFloat(f float64) string {
	switch {
	case f == 1:
		return "1"
	case f == 0:
		return "0"
	case f == -1:
		return "-1"
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, +1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// handler serves the text format, gzipped when the scraper accepts it (as
// promhttp does). Prometheus asks for protobuf first and reads the text
// format when that is what it gets.
type handler struct {
	m *Metrics
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", contentType)
	var body io.Writer = w
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		gz := gzip.NewWriter(w)
		defer gz.Close()
		body = gz
	}
	if r.Method == http.MethodHead {
		return
	}
	h.m.WriteText(body)
}

// acceptsGzip reports whether an Accept-Encoding header lists gzip with a
// quality above zero.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
