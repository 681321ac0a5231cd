package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// everyKind is a history with a result of every class for every target
// (a canary's model target too), each carrying the fields that kind of
// result carries: phases, a first token and its tokens, an HTTP status,
// error words with a comma and quotes, a request id, a rate limit.
func everyKind() []probe.Result {
	targets := append(probe.Targets(), probe.ModelTarget("claude-haiku-4-5"))
	var rs []probe.Result
	at := base
	for ti, tg := range targets {
		for _, c := range probe.Classes() {
			at = at.Add(time.Second + time.Duration(ti)*time.Nanosecond)
			r := probe.Result{Target: tg, Time: at, Class: c,
				Phases: probe.Phases{DNS: 1 * time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond,
					FirstByte: 40 * time.Millisecond, Total: 190 * time.Millisecond}}
			switch c {
			case probe.ClassOK, probe.ClassSlow:
				r.HTTPStatus = 200
				r.Detail = "2.0.14 (Claude Code)"
				if tg.IsModel() {
					r.Phases.FirstToken, r.Tokens = 612*time.Millisecond, 18
				}
			case probe.ClassRateLimited:
				r.HTTPStatus, r.ErrorType, r.RequestID = 429, "rate_limit_error", "req_011CXyz"
				r.Message = `Number of requests has exceeded your rate limit, see "docs"`
				r.RateLimit = probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 0, RequestsReset: at.Add(time.Minute),
					TokensLimit: 1 << 40, TokensRemaining: -3, TokensReset: at.Add(7 * time.Nanosecond), RetryAfter: 17 * time.Second}
			case probe.ClassOverloaded:
				r.HTTPStatus, r.ErrorType, r.Message = 529, "overloaded_error", "Overloaded"
			case probe.ClassNetwork:
				r.Phases = probe.Phases{DNS: 5 * time.Second, Total: 5 * time.Second}
				r.ErrorType, r.Message = "dns", "lookup api.anthropic.com: no such host"
			case probe.ClassUnknown:
				r.Phases = probe.Phases{}
			default:
				r.HTTPStatus, r.Message = 400+int(c), "Überlastung — 過負荷, \"quoted\""
			}
			rs = append(rs, r)
		}
	}
	return rs
}

// TestCSVExportImportExport (D13): a CSV export imported into an empty
// database and exported again gives the same bytes, and the same JSON
// lines as the original: nothing the CSV carries is lost, of any target
// or outcome. It once read every CSV line as broken JSON.
func TestCSVExportImportExport(t *testing.T) {
	a := openTest(t)
	rs := everyKind()
	if err := a.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	first := export(t, a, ExportOptions{Format: FormatCSV})
	b := openTest(t)
	rep, err := b.Import(strings.NewReader(first), int64(len(first)), nil, func(line int, err error) { t.Errorf("line %d: %v", line, err) })
	if err != nil || rep != (ImportReport{Added: len(rs)}) {
		t.Fatalf("import = %+v, %v; want %d added", rep, err, len(rs))
	}
	if second := export(t, b, ExportOptions{Format: FormatCSV}); second != first {
		t.Errorf("csv export after import differs:\n%s\n---\n%s", first, second)
	}
	if ja, jb := export(t, a, ExportOptions{}), export(t, b, ExportOptions{}); ja != jb {
		t.Errorf("the csv lost something the database held:\n%s\n---\n%s", ja, jb)
	}
	if rep, err := b.Import(strings.NewReader(first), 0, nil, nil); err != nil || rep != (ImportReport{Duplicates: len(rs)}) {
		t.Errorf("second import = %+v, %v; want all %d duplicates", rep, err, len(rs))
	}
}

// TestImportCSVBadLines: a bad row is named by its line with what is
// wrong in words — never encoding/csv's or strconv's Go wording — and the
// good rows around it, after a quote that never closes too, are imported.
func TestImportCSVBadLines(t *testing.T) {
	header := "\ufefftarget,time,class,http,total_us,message" // a spreadsheet's BOM, columns in another order and fewer
	rows := []string{
		header,
		`api,2025-06-01T12:00:01Z,ok,401,190000,`,
		`api,x,ok,401,190000,`,
		`api,2025-06-01T12:00:02Z,ok,four hundred,190000,`,
		``,
		`api,2025-06-01T12:00:03Z,ok,401,190000,"two`,
		`lines"`,
		`api,2025-06-01T12:00:04Z,ok,401`,
		`api,2025-06-01T12:00:05Z,fine,401,190000,`,
		`api,2025-06-01T12:00:06Z,ok,401,190000,a "bare" quote`,
		`api,2025-06-01T12:00:07Z,ok,401,190000,"never closed`,
		`claude_ai,2025-06-01T12:00:08Z,ok,200,90000,after the open quote`,
		`api,2025-06-01T12:00:09Z,ok,401,190000,last` + "\r",
	}
	s := openTest(t)
	got := map[int]string{}
	rep, err := s.Import(strings.NewReader(strings.Join(rows, "\n")), 0, nil, func(line int, err error) { got[line] = err.Error() })
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		3:  `time "x" is not a time (RFC 3339, e.g. 2025-06-01T12:00:00Z)`,
		4:  `http "four hundred" is not a whole number`,
		8:  `4 fields, where the header names 6 columns`,
		9:  `unknown class "fine"`,
		10: `a quotation mark (") inside a field that is not quoted`,
		11: `a quoted field (") opened on this line is never closed`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("bad lines:\n got %v\nwant %v", got, want)
	}
	if rep.Added != 4 || rep.Bad != len(want) {
		t.Errorf("report %+v, want 4 added and %d bad", rep, len(want))
	}
	api, _ := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	web, _ := s.Range(probe.TargetClaudeAI, time.Time{}, time.Time{})
	if len(api) != 3 || len(web) != 1 || api[1].Message != "two lines" || api[2].Message != "last" || api[0].HTTPStatus != 401 {
		t.Errorf("imported api %+v\nclaude_ai %+v", api, web)
	}
}

// TestImportCSVHeaderRefused: a header naming a column history export
// does not write imports nothing and says which, in words.
func TestImportCSVHeaderRefused(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"target,time,class,colour", `line 1: the CSV header names a column "colour" that history export does not write`},
		{"target,class", `line 1: the CSV header has no time column`},
		{"target,time,class,time", `line 1: the CSV header names the column "time" twice`},
	} {
		s := openTest(t)
		_, err := s.Import(strings.NewReader(tc.header+"\napi,2025-06-01T12:00:01Z,ok,x\n"), 0, nil, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was imported") {
			t.Errorf("%s: %v, want %q", tc.header, err, tc.want)
		}
	}
}

// TestImportJSONBadLinesInWords: a bad JSON line is said in words, not
// in encoding/json's.
func TestImportJSONBadLinesInWords(t *testing.T) {
	lines := []string{
		`not json`,
		`[1, 2]`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"ok","http":"401"}`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"ok","surprise":1}`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"ok"} {"target":"api"}`,
		`{"target":"api","time":"yesterday","class":"ok"}`,
		`{"target":"api","class":"ok"}`,
		`{"target":"api","time":"2025-06-01T12:00:00Z","class":"ok","rate_limit":{"tokens_reset":"soon"}}`,
	}
	want := []string{
		`not a result: neither a JSON object (history export) nor a row under a CSV header (history export --format csv)`,
		`not a result: a JSON array, where a JSON object is expected`,
		`http is a JSON string, where a whole number is expected`,
		`unknown field "surprise" (history export writes none such)`,
		`more after the result's JSON object (one result a line)`,
		`time "yesterday" is not a time (RFC 3339, e.g. 2025-06-01T12:00:00Z)`,
		`no time`,
		`tokens_reset "soon" is not a time (RFC 3339, e.g. 2025-06-01T12:00:00Z)`,
	}
	s := openTest(t)
	got := make([]string, len(lines))
	if _, err := s.Import(strings.NewReader(strings.Join(lines, "\n")), 0, nil, func(line int, err error) { got[line-1] = err.Error() }); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %q\n want %q", i+1, got[i], want[i])
		}
	}
}
