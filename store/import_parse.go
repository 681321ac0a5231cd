package store

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"downforai/probe"
)

// What Import reads: either format Export writes, told apart by the first
// line that is not blank — the CSV header, or a JSON line.

// importLine is one physical line of the file Import reads.
type importLine struct {
	b       []byte // without its line end; nil when tooLong
	no      int    // from 1
	tooLong bool
}

// lineSource hands out the file's lines, and takes back those a CSV
// record joined in vain (a quote that never closed), so that the lines
// after a bad one are read as their own records and none is lost.
type lineSource struct {
	br   *bufio.Reader
	back []importLine // taken back, next first
	no   int
	read int64 // bytes consumed, for progress
	err  error // the reader's error once it ended (io.EOF: the end)
}

// next returns the next line; ok is false at the end (or at a read
// error, in src.err).
func (src *lineSource) next() (l importLine, ok bool) {
	if n := len(src.back); n > 0 {
		l = src.back[n-1]
		src.back = src.back[:n-1]
		return l, true
	}
	if src.err != nil {
		return l, false
	}
	b, n, err := readLine(src.br)
	src.read += int64(n)
	if err != nil {
		src.err = err
		if n == 0 {
			return l, false
		}
	}
	src.no++
	return importLine{b: b, no: src.no, tooLong: b == nil && n > 0}, true
}

// unread gives lines back, in the order they were read.
func (src *lineSource) unread(ls []importLine) {
	for i := len(ls) - 1; i >= 0; i-- {
		src.back = append(src.back, ls[i])
	}
}

// lineError is a bad line: its number and, in words, what is wrong.
type lineError struct {
	line int
	err  error
}

// quoteCut quotes a value from the file for a message, cut short.
func quoteCut(s string) string { return probe.Quote(probe.Line(s, 40)) }

// csvColumns is how each CSV column sets its field of a record.
var csvColumns = map[string]func(rec *record, v string) error{
	"target":             func(r *record, v string) error { r.Target = v; return nil },
	"time":               func(r *record, v string) error { r.Time = v; return nil },
	"class":              func(r *record, v string) error { r.Class = v; return nil },
	"http":               func(r *record, v string) error { n, err := csvInt("http", v); r.HTTP = int(n); return err },
	"dns_us":             intColumn("dns_us", func(r *record) *int64 { return &r.DNS }),
	"connect_us":         intColumn("connect_us", func(r *record) *int64 { return &r.Connect }),
	"tls_us":             intColumn("tls_us", func(r *record) *int64 { return &r.TLS }),
	"first_byte_us":      intColumn("first_byte_us", func(r *record) *int64 { return &r.FirstByte }),
	"total_us":           intColumn("total_us", func(r *record) *int64 { return &r.Total }),
	"first_token_us":     intColumn("first_token_us", func(r *record) *int64 { return &r.TTFT }),
	"tokens":             intColumn("tokens", func(r *record) *int64 { return &r.Tokens }),
	"error_type":         func(r *record, v string) error { r.ErrorType = v; return nil },
	"message":            func(r *record, v string) error { r.Message = v; return nil },
	"request_id":         func(r *record, v string) error { r.RequestID = v; return nil },
	"detail":             func(r *record, v string) error { r.Detail = v; return nil },
	"requests_limit":     rlIntColumn("requests_limit", func(r *rlRecord) *int64 { return &r.RequestsLimit }),
	"requests_remaining": rlIntColumn("requests_remaining", func(r *rlRecord) *int64 { return &r.RequestsRemaining }),
	"requests_reset":     rlColumn(func(r *rlRecord, v string) { r.RequestsReset = v }),
	"tokens_limit":       rlIntColumn("tokens_limit", func(r *rlRecord) *int64 { return &r.TokensLimit }),
	"tokens_remaining":   rlIntColumn("tokens_remaining", func(r *rlRecord) *int64 { return &r.TokensRemaining }),
	"tokens_reset":       rlColumn(func(r *rlRecord, v string) { r.TokensReset = v }),
	"retry_after_ns":     rlIntColumn("retry_after_ns", func(r *rlRecord) *int64 { return &r.RetryAfterNS }),
}

func csvInt(name, v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %s is not a whole number", name, quoteCut(v))
	}
	return n, nil
}

func intColumn(name string, field func(*record) *int64) func(*record, string) error {
	return func(r *record, v string) (err error) {
		*field(r), err = csvInt(name, v)
		return err
	}
}

// rlOf is the record's rate limit, made when a column has a value.
func rlOf(r *record) *rlRecord {
	if r.RateLimit == nil {
		r.RateLimit = &rlRecord{}
	}
	return r.RateLimit
}

func rlIntColumn(name string, field func(*rlRecord) *int64) func(*record, string) error {
	return func(r *record, v string) error {
		n, err := csvInt(name, v)
		if err == nil && n != 0 {
			*field(rlOf(r)) = n
		}
		return err
	}
}

func rlColumn(set func(*rlRecord, string)) func(*record, string) error {
	return func(r *record, v string) error {
		if v != "" {
			set(rlOf(r), v)
		}
		return nil
	}
}

// csvFormat reads the rows under a CSV header.
type csvFormat struct {
	cols []func(*record, string) error
}

// utf8BOM starts a CSV file some spreadsheets save.
const utf8BOM = "\ufeff"

// parseCSVHeader reads line as the header of `history export --format
// csv`; ok is false when it is no such header (the file is then JSON
// lines), err names what is wrong with one that is.
func parseCSVHeader(line []byte) (f *csvFormat, ok bool, err error) {
	fields, perr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(line, []byte(utf8BOM)))).Read()
	if perr != nil || len(fields) == 0 || csvColumns[strings.TrimSpace(fields[0])] == nil {
		return nil, false, nil
	}
	f = &csvFormat{}
	seen := map[string]bool{}
	for _, name := range fields {
		name = strings.TrimSpace(name)
		set := csvColumns[name]
		switch {
		case set == nil:
			return nil, true, fmt.Errorf("the CSV header names a column %s that history export does not write (its columns: %s)",
				quoteCut(name), strings.Join(csvHeader, ", "))
		case seen[name]:
			return nil, true, fmt.Errorf("the CSV header names the column %s twice", quoteCut(name))
		}
		seen[name] = true
		f.cols = append(f.cols, set)
	}
	for _, need := range []string{"target", "time", "class"} {
		if !seen[need] {
			return nil, true, fmt.Errorf("the CSV header has no %s column", need)
		}
	}
	return f, true, nil
}

// record reads the CSV record that starts at first, joining the lines
// after it while a quoted field is open (a message may hold a line
// break). A quote never closed makes first bad, and the lines it took are
// given back to be read as their own records.
func (f *csvFormat) record(first importLine, src *lineSource) (probe.Result, *lineError) {
	text := first.b
	var taken []importLine
	for bytes.Count(text, []byte{'"'})%2 == 1 {
		l, ok := src.next()
		if !ok || l.tooLong || len(text)+1+len(l.b) > maxLine {
			if ok {
				taken = append(taken, l)
			}
			src.unread(taken)
			return probe.Result{}, &lineError{first.no, errors.New(`a quoted field (") opened on this line is never closed`)}
		}
		taken = append(taken, l)
		text = append(append(bytes.Clone(text), '\n'), l.b...)
	}
	bad := func(err error) (probe.Result, *lineError) { return probe.Result{}, &lineError{first.no, err} }
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	fields, err := cr.Read()
	if err != nil {
		return bad(csvWords(err))
	}
	if len(fields) != len(f.cols) {
		return bad(fmt.Errorf("%d fields, where the header names %d columns", len(fields), len(f.cols)))
	}
	var rec record
	for i, v := range fields {
		if err := f.cols[i](&rec, v); err != nil {
			return bad(err)
		}
	}
	r, err := fromRecord(rec)
	if err != nil {
		return bad(err)
	}
	return r, nil
}

// csvWords says what encoding/csv found wrong, without its Go wording.
func csvWords(err error) error {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return errors.New(`a quotation mark (") inside a field that is not quoted`)
	case errors.Is(err, csv.ErrQuote):
		return errors.New(`a quotation mark (") where a quoted field should end`)
	}
	return errors.New("not a CSV row")
}

// jsonRecord reads one JSON line.
func jsonRecord(l importLine) (probe.Result, *lineError) {
	bad := func(err error) (probe.Result, *lineError) { return probe.Result{}, &lineError{l.no, err} }
	var rec record
	dec := json.NewDecoder(bytes.NewReader(l.b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return bad(jsonWords(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bad(errors.New("more after the result's JSON object (one result a line)"))
	}
	r, err := fromRecord(rec)
	if err != nil {
		return bad(err)
	}
	return r, nil
}

// jsonWords says what encoding/json found wrong, without its Go wording.
func jsonWords(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("not a result: neither a JSON object (history export) nor a row under a CSV header (history export --format csv)")
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Errorf("not a result: a JSON %s, where a JSON object is expected", typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("%s is a JSON %s, where %s is expected", typ.Field, typ.Value, jsonKind(typ.Type.Kind().String()))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s (history export writes none such)", probe.Quote(strings.Trim(name, `"`)))
	}
	return errors.New("not a result: not JSON that history export writes")
}

func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "a whole number"
	case kind == "string":
		return "text"
	case kind == "ptr", kind == "struct":
		return "a JSON object"
	}
	return "another kind of value"
}

// timeWords is a time that is not RFC 3339, in words.
func timeWords(field, v string) error {
	return fmt.Errorf("%s %s is not a time (RFC 3339, e.g. 2025-06-01T12:00:00Z)", field, quoteCut(v))
}
