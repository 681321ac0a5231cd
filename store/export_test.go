package store

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// variety is one result of every shape the export must carry.
func variety() []probe.Result {
	full := probe.RateLimit{
		RequestsLimit: 50, RequestsRemaining: 49, RequestsReset: base.Add(time.Minute),
		TokensLimit: 1 << 40, TokensRemaining: -3, TokensReset: time.Date(2025, 6, 1, 12, 0, 0, 7, time.UTC),
		RetryAfter: 17 * time.Second,
	}
	return []probe.Result{
		okResult(probe.TargetAPI, base),
		{Target: probe.TargetAPI, Time: base.Add(time.Nanosecond), Class: probe.ClassNetwork, ErrorType: "dns", Message: "lookup api.anthropic.com: no such host, \"quoted\", comma"},
		{Target: probe.TargetAPI, Time: base.Add(time.Nanosecond), Class: probe.ClassNetwork, ErrorType: "dns", Message: "same nanosecond, other result"},
		{Target: probe.TargetAPIKey, Time: base, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
			Message: "Number of requests has exceeded your rate limit", RequestID: "req_x", RateLimit: full},
		{Target: probe.TargetClaudeAI, Time: base.Add(time.Hour), Class: probe.ClassUnexpected, HTTPStatus: 200, Message: "Überlastung — 過負荷 🔥",
			Phases: probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, FirstByte: 4 * time.Millisecond, Total: 5 * time.Millisecond}},
		{Target: probe.TargetCode, Time: base.Add(-48 * time.Hour), Class: probe.ClassOK, Detail: "2.0.14 (Claude Code)", Phases: probe.Phases{Total: 412 * time.Millisecond}},
		{Target: probe.TargetStatus, Time: base.Add(30 * time.Second), Class: probe.ClassUnknown},
	}
}

func export(t *testing.T, s *Store, o ExportOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Export(&buf, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestExportImportExport: export, import into an empty database, export
// again gives the same bytes, and importing again adds nothing.
func TestExportImportExport(t *testing.T) {
	a := openTest(t)
	rs := append(variety(), history([]probe.Target{probe.TargetAPI}, base.Add(-3*time.Hour), 1)...)
	if err := a.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	first := export(t, a, ExportOptions{})
	if n := strings.Count(first, "\n"); n != len(rs) {
		t.Fatalf("exported %d lines, want %d", n, len(rs))
	}

	b := openTest(t)
	rep, err := b.Import(strings.NewReader(first), int64(len(first)), nil, nil)
	if err != nil || rep != (ImportReport{Added: len(rs)}) {
		t.Fatalf("import = %+v, %v; want %d added", rep, err, len(rs))
	}
	if second := export(t, b, ExportOptions{}); second != first {
		t.Errorf("export after import differs:\n%s\n---\n%s", first[:min(len(first), 2000)], second[:min(len(second), 2000)])
	}
	rep, err = b.Import(strings.NewReader(first), 0, nil, nil)
	if err != nil || rep != (ImportReport{Duplicates: len(rs)}) {
		t.Errorf("second import = %+v, %v; want all %d duplicates", rep, err, len(rs))
	}
	if !bytes.Equal(dumpRollups(t, a), dumpRollups(t, b)) {
		t.Error("rollups of the imported database differ from the original's")
	}
	if third := export(t, b, ExportOptions{}); third != first {
		t.Error("second import changed the export")
	}
}

func TestImportReportsBadLines(t *testing.T) {
	good := func(i int) string {
		return fmt.Sprintf(`{"target":"api","time":"2025-06-01T12:00:%02dZ","class":"ok","http":401,"total_us":190000}`, i)
	}
	lines := []string{
		good(1),
		`{"target":"api","time":"yesterday","class":"ok"}`,
		good(2),
		`not json`,
		``,
		`{"target":"nope","time":"2025-06-01T12:00:00Z","class":"ok"}`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"fine"}`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"ok","surprise":1}`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"ok","total_us":-5}`,
		`{"target":"api","time":"2025-06-01T12:00:03Z","class":"ok","message":"key sk-ant-api03-abcdefABCDEF123 leaked \u001b[31mred"}`,
		`{"target":"api","time":"2025-06-01T12:00:04Z","class":"ok"}` + "\r",
		strings.Repeat("x", maxLine+10),
		good(5), // no newline at the end
	}
	s := openTest(t)
	var bad []int
	rep, err := s.Import(strings.NewReader(strings.Join(lines, "\n")), 0, nil, func(line int, err error) { bad = append(bad, line) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 4, 6, 7, 8, 9, 12}; fmt.Sprint(bad) != fmt.Sprint(want) {
		t.Errorf("bad lines %v, want %v", bad, want)
	}
	if rep.Added != 5 || rep.Bad != 7 {
		t.Errorf("report %+v, want 5 added and 7 bad", rep)
	}
	rs, _ := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if len(rs) == 0 {
		t.Fatal("nothing imported to check")
	}
	for _, r := range rs {
		// The masked form (sk-ant-api03-…) may stay; the secret may not.
		if strings.Contains(r.Message, "abcdefABCDEF123") || strings.Contains(r.Message, "\x1b") {
			t.Errorf("imported message not cleaned: %q", r.Message)
		}
	}
}

func TestExportSelectsAndFormats(t *testing.T) {
	s := openTest(t)
	if err := s.PutResults(variety()); err != nil {
		t.Fatal(err)
	}
	got := export(t, s, ExportOptions{Since: base.Add(time.Nanosecond), Targets: []probe.Target{probe.TargetAPI, probe.TargetClaudeAI}})
	if n := strings.Count(got, "\n"); n != 3 {
		t.Errorf("since + targets: %d lines, want 3:\n%s", n, got)
	}
	if strings.Contains(got, `"target":"api_key"`) || strings.Contains(got, `"time":"2025-06-01T12:00:00Z"`) {
		t.Errorf("selected too much:\n%s", got)
	}

	out := export(t, s, ExportOptions{Format: FormatCSV})
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(variety())+1 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("csv: %d rows, header %v", len(rows), rows[0])
	}
	if _, err := s.Export(&bytes.Buffer{}, ExportOptions{Format: "xml"}); err == nil {
		t.Error("format xml: want an error")
	}
}

// TestImportSkipsPruned: results older than what retention already
// deleted are not brought back; their rollups count them already.
func TestImportSkipsPruned(t *testing.T) {
	s := openTest(t)
	rs := history([]probe.Target{probe.TargetAPI}, base, 1)
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	data := export(t, s, ExportOptions{})
	cut := base.Add(6 * time.Hour)
	n, err := s.Prune(cut, 0)
	if err != nil {
		t.Fatal(err)
	}
	rollups := dumpRollups(t, s)
	rep, err := s.Import(strings.NewReader(data), 0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pruned != n || rep.Added != 0 || rep.Duplicates != len(rs)-n {
		t.Errorf("report %+v; want %d pruned, %d duplicates", rep, n, len(rs)-n)
	}
	if !bytes.Equal(rollups, dumpRollups(t, s)) {
		t.Error("import changed the rollups")
	}
}

func BenchmarkExport(b *testing.B) {
	s := openTestTB(b)
	n := fill(b, s, benchTargets, 7)
	b.ReportMetric(float64(n), "results")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Export(discard{}, ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// An imported line may carry a credential that is no sk-ant key: a Bearer
// value from a gateway. It is masked like everything a person pastes.
func TestImportMasksBearerTokens(t *testing.T) {
	s := openTest(t)
	line := `{"target":"api","time":"2025-06-01T12:00:03Z","class":"auth","message":"Authorization: Bearer gw-tok-ZZsecretZZ9876 rejected"}`
	if _, err := s.Import(strings.NewReader(line), 0, nil, func(int, error) {}); err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if len(rs) != 1 {
		t.Fatalf("imported %d results, want 1", len(rs))
	}
	if strings.Contains(rs[0].Message, "ZZsecretZZ") {
		t.Errorf("bearer token stored: %q", rs[0].Message)
	}
}

func TestExportImportKeepsLocalChecks(t *testing.T) {
	s := openTest(t)
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := s.PutResult(probe.Result{Target: probe.TargetLocal, Time: at, Class: probe.ClassOK, Message: "local checks"}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if _, err := s.Export(&out, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	dst := openTest(t)
	rep, err := dst.Import(strings.NewReader(out.String()), 0, nil, func(line int, err error) { t.Errorf("line %d: %v", line, err) })
	if err != nil || rep.Added != 1 {
		t.Fatalf("import %+v, %v: the local checks' results must round-trip", rep, err)
	}
}
