package ui

import (
	"errors"
	"fmt"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// histWindow is one of the History tab's windows.
type histWindow struct {
	label string
	span  time.Duration
}

var histWindows = [...]histWindow{
	{"1h", time.Hour},
	{"24h", 24 * time.Hour},
	{"7d", 7 * 24 * time.Hour},
	{"30d", 30 * 24 * time.Hour},
	{"90d", 90 * 24 * time.Hour},
}

// Uptime strips: one cell per day for 90 days, or per hour for 48 hours.
const (
	stripDays  = 90
	stripHours = 48
)

// recentRows is how many raw probes of the selected target the table
// holds for scrolling.
const recentRows = 500

// historyReq is what one load asks for; it is built in Update and read in
// the command's goroutine, so it holds copies only.
type historyReq struct {
	gen     int
	now     time.Time
	targets []probe.Target
	sel     probe.Target
	win     int
	hours   bool // strip per hour
	cols    int  // chart columns
}

// stripCell is one cell of an uptime strip.
type stripCell struct {
	worst probe.Class
	total int
}

// histRow is one target's line of the tab.
type histRow struct {
	target  probe.Target
	windows [len(histWindows)]probe.Summary
	strip   []stripCell // oldest first
}

// chartCol is one column of the latency chart.
type chartCol struct {
	from, to time.Time
	p50, p95 time.Duration
	up       bool // p50 and p95 are known
	worst    probe.Class
	failures int
}

// incidentSpan is an incident to mark on the chart's time axis.
type incidentSpan struct {
	from, to time.Time
	official bool // from the status page, else detected by our probes
	name     string
	impact   string
}

// historyData is the answer of one load.
type historyData struct {
	req       historyReq
	rows      []histRow
	chart     []chartCol
	incidents []incidentSpan
	recent    []probe.Result // selected target, newest first
	// since is when the oldest result of any target was taken (zero:
	// none, or older than the longest window): the windows longer than
	// the history cover only that much, and the tab says so.
	since time.Time
	err   error
}

// historySource is everything the tab reads: probe.History plus the
// rollup-backed summaries.
type historySource interface {
	probe.History
	probe.HistoryStats
}

// chartIncidents bounds how many stored incidents of each source the chart
// reads: the status page lists 50 at a time, so this covers months.
const chartIncidents = 500

// sourceFor gives the tab a historySource: h itself when it keeps
// rollups, else h wrapped so that summaries are computed from raw
// results, else (no database) the results held in memory.
func sourceFor(h probe.History, b *board) historySource {
	if h == nil {
		m := memHistory{results: map[probe.Target][]probe.Result{}}
		for t, r := range b.rings {
			// Sorted: a wall clock stepped back may have put a result
			// out of order, and Range cuts by binary search.
			m.results[t] = slices.SortedStableFunc(slices.Values(r.items()), func(a, b probe.Result) int { return a.Time.Compare(b.Time) })
		}
		if b.status != nil {
			st := *b.status
			m.status = &st
		}
		return rawStats{m}
	}
	if hs, ok := h.(historySource); ok {
		return hs
	}
	return rawStats{h}
}

// loadHistory reads everything the tab shows, off the Update loop.
func loadHistory(src historySource, req historyReq, openIncidents []probe.Incident) tea.Cmd {
	return func() tea.Msg {
		d := historyData{req: req}
		var errs []error
		for _, t := range req.targets {
			row := histRow{target: t}
			for i, w := range histWindows {
				s, err := src.Summary(t, req.now.Add(-w.span), req.now)
				if err != nil {
					errs = append(errs, err)
				}
				row.windows[i] = s
			}
			step, n := 24*time.Hour, stripDays
			if req.hours {
				step, n = time.Hour, stripHours
			}
			cells, err := src.Series(t, req.now.Add(-time.Duration(n-1)*step).Truncate(step), req.now, step)
			if err != nil {
				errs = append(errs, err)
			}
			for _, c := range cells {
				row.strip = append(row.strip, stripCell{worst: c.Worst(), total: c.Total()})
			}
			d.rows = append(d.rows, row)
			if at, err := oldest(src, t, req.now); err != nil {
				errs = append(errs, err)
			} else if !at.IsZero() && (d.since.IsZero() || at.Before(d.since)) {
				d.since = at
			}
		}
		if req.sel != "" {
			chart, err := chartData(src, req)
			if err != nil {
				errs = append(errs, err)
			}
			d.chart = chart
			rs, err := src.Recent(req.sel, recentRows)
			if err != nil {
				errs = append(errs, err)
			}
			slices.Reverse(rs)
			d.recent = rs
			d.incidents = incidentSpans(src, req, openIncidents)
		}
		d.err = errors.Join(errs...)
		return historyLoadedMsg(d)
	}
}

// oldest is when t's first result within the longest window was taken:
// the first day with results, then its first hour, then that hour's first
// raw result (the hour's start when raw results are pruned). Zero when
// there are none, or when results reach back past the window.
func oldest(src historySource, t probe.Target, now time.Time) (time.Time, error) {
	span := histWindows[len(histWindows)-1].span
	days, err := src.Series(t, now.Add(-span), now, 24*time.Hour)
	if err != nil {
		return time.Time{}, err
	}
	i := slices.IndexFunc(days, func(s probe.Summary) bool { return s.Total() > 0 })
	switch {
	case i < 0:
		return time.Time{}, nil
	case i == 0 && !days[0].From.After(now.Add(-span)):
		return time.Time{}, nil // the history is as long as the window
	}
	hours, err := src.Series(t, days[i].From, days[i].From.Add(24*time.Hour), time.Hour)
	if err != nil {
		return time.Time{}, err
	}
	j := slices.IndexFunc(hours, func(s probe.Summary) bool { return s.Total() > 0 })
	if j < 0 {
		return days[i].From, nil
	}
	rs, err := src.Range(t, hours[j].From, hours[j].From.Add(time.Hour))
	if err != nil || len(rs) == 0 {
		return hours[j].From, err
	}
	return rs[0].Time, nil
}

// chartData bins the selected target's latency over the window into
// req.cols columns: raw results for short windows, hourly rollups for
// long ones.
func chartData(src historySource, req historyReq) ([]chartCol, error) {
	cols := max(req.cols, 1)
	span := histWindows[req.win].span
	from := req.now.Add(-span)
	slots := make([]probe.Summary, cols)
	slot := func(t time.Time) int {
		return min(max(int(int64(t.Sub(from))*int64(cols)/int64(span)), 0), cols-1)
	}
	if span <= 24*time.Hour {
		rs, err := callsRange(src, req.sel, from, req.now)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			slots[slot(r.Time)].Add(r)
		}
	} else {
		hours, err := src.Series(req.sel, from, req.now, time.Hour)
		if err != nil {
			return nil, err
		}
		for i := range hours {
			h := &hours[i]
			slots[slot(h.From.Add(30*time.Minute))].Merge(h)
		}
	}
	out := make([]chartCol, cols)
	for i := range slots {
		s := &slots[i]
		c := chartCol{
			from:  from.Add(time.Duration(int64(span) * int64(i) / int64(cols))),
			to:    from.Add(time.Duration(int64(span) * int64(i+1) / int64(cols))),
			worst: s.Worst(), failures: s.Judged() - s.Up(),
		}
		if p50, ok := s.Percentile(50); ok {
			c.p50, c.up = p50, true
			c.p95, _ = s.Percentile(95)
		}
		out[i] = c
	}
	return out, nil
}

// incidentSpans lists the incidents to mark on the chart: stored ones
// when the History keeps them, else the status page's open incidents
// (which the board already holds) that concern the selected target.
func incidentSpans(src historySource, req historyReq, open []probe.Incident) []incidentSpan {
	from := req.now.Add(-histWindows[req.win].span)
	incs := open
	var ours []probe.LocalIncident
	if ih, ok := src.(probe.IncidentHistory); ok {
		if stored, err := ih.OfficialIncidents(chartIncidents); err == nil {
			incs = stored
		}
		ours, _ = ih.LocalIncidents(chartIncidents)
	}
	comps := componentsOf(req.sel)
	var out []incidentSpan
	for _, inc := range incs {
		if !concerns(inc, comps) {
			continue
		}
		start := inc.StartedAt
		if start.IsZero() {
			start = inc.CreatedAt
		}
		end := inc.ResolvedAt
		if end.IsZero() {
			end = req.now
		}
		if end.Before(from) || !start.Before(req.now) {
			continue
		}
		out = append(out, incidentSpan{from: start, to: end, official: true, name: inc.Name, impact: inc.Impact})
	}
	for _, l := range ours {
		if !slices.Contains(l.Targets, req.sel) {
			continue
		}
		end := l.End()
		if l.Unobserved {
			end = l.UnprobedFrom // the last we saw of it: not drawn over the gap
		}
		if end.IsZero() {
			end = req.now
		}
		if end.Before(from) || !l.FirstFailure.Before(req.now) {
			continue
		}
		out = append(out, incidentSpan{from: l.FirstFailure, to: end, name: l.Title()})
	}
	return out
}

// componentsOf is the status-page components that speak for a target;
// nil means every watched one (the status page itself).
func componentsOf(t probe.Target) []string {
	var ids []string
	for _, s := range probe.Services() {
		if slices.Contains(s.Targets, t) {
			ids = append(ids, s.ComponentID)
		}
	}
	return ids
}

func concerns(inc probe.Incident, comps []string) bool {
	if len(inc.Components) == 0 {
		return true
	}
	for _, c := range inc.Components {
		if (comps == nil && probe.IsWatched(c)) || slices.Contains(comps, c) {
			return true
		}
	}
	return false
}

// memHistory is a History over results held in memory: what the tab
// reads when there is no database.
type memHistory struct {
	results map[probe.Target][]probe.Result // oldest first, sorted by Time
	status  *probe.Status
}

func (m memHistory) Recent(t probe.Target, n int) ([]probe.Result, error) {
	rs := m.results[t]
	return slices.Clone(rs[max(len(rs)-n, 0):]), nil
}

func (m memHistory) Range(t probe.Target, from, to time.Time) ([]probe.Result, error) {
	rs := m.results[t] // oldest first: cut by binary search
	i, _ := slices.BinarySearchFunc(rs, from, func(r probe.Result, at time.Time) int { return r.Time.Compare(at) })
	j := len(rs)
	if !to.IsZero() {
		j, _ = slices.BinarySearchFunc(rs, to, func(r probe.Result, at time.Time) int { return r.Time.Compare(at) })
	}
	if i >= j {
		return nil, nil
	}
	return slices.Clone(rs[i:j]), nil
}

func (m memHistory) LatestStatus() (probe.Status, bool, error) {
	if m.status == nil {
		return probe.Status{}, false, nil
	}
	return *m.status, true, nil
}

// rawStats answers HistoryStats by reading raw results: right for a
// History without rollups, slow for long windows.
type rawStats struct{ probe.History }

func (r rawStats) Summary(t probe.Target, from, to time.Time) (probe.Summary, error) {
	s := probe.Summary{Target: t, From: from, To: to}
	if t == probe.TargetSessions {
		rs, err := callsRange(r.History, t, from, to)
		s.AddCovered(rs, from, to)
		return s, err
	}
	// From MaxCover earlier: the result before from starts the first
	// one's cover, so uptime weighs by time as the rollups do.
	rs, err := r.Range(t, from.Add(-probe.MaxCover), to)
	s.AddCovered(rs, from, to)
	return s, err
}

// callsRange is t's results in [from, to), where Claude Code's sessions
// count calls, not attempts: the records around the stretch are read too,
// so a call's retries and its outcome fold into one call (as the store's
// rollups count them), the call standing where its newest record is.
func callsRange(h probe.History, t probe.Target, from, to time.Time) ([]probe.Result, error) {
	if t != probe.TargetSessions {
		return h.Range(t, from, to)
	}
	rs, err := h.Range(t, from.Add(-probe.RetryOutcomeWithin), to.Add(probe.RetryOutcomeWithin))
	return probe.SessionCallsIn(rs, from, to), err
}

func (r rawStats) Series(t probe.Target, from, to time.Time, step time.Duration) ([]probe.Summary, error) {
	if step <= 0 || !from.Before(to) {
		return nil, fmt.Errorf("series: bad step %v or range", step)
	}
	first := from.Truncate(step)
	n := int(to.Add(-1).Truncate(step).Sub(first)/step) + 1
	out := make([]probe.Summary, n)
	for i := range out {
		out[i] = probe.Summary{Target: t, From: first.Add(time.Duration(i) * step), To: first.Add(time.Duration(i+1) * step)}
	}
	end := first.Add(time.Duration(n) * step)
	rs, err := r.Range(t, first.Add(-probe.MaxCover), end)
	if t == probe.TargetSessions {
		rs, err = callsRange(r.History, t, first, end)
	}
	addSeries(out, rs, first, step)
	return out, err
}

// addSeries counts rs (oldest first) into the steps of out, which start
// at first, each result covering the time since the one before it, as in
// the rollups.
func addSeries(out []probe.Summary, rs []probe.Result, first time.Time, step time.Duration) {
	var prev time.Time
	for _, res := range rs {
		if i := int(res.Time.Sub(first) / step); !res.Time.Before(first) && i < len(out) {
			out[i].AddFor(res, probe.Cover(prev, res.Time))
		}
		prev = res.Time
	}
}
