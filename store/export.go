package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// Export formats.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// record is one result as exported: JSON lines and CSV share it. Times
// are RFC 3339 in UTC with nanoseconds, phases whole microseconds (what
// the store keeps), so export → import → export is byte-identical.
type record struct {
	Target    string    `json:"target"`
	Time      string    `json:"time"`
	Class     string    `json:"class"`
	HTTP      int       `json:"http,omitempty"`
	DNS       int64     `json:"dns_us,omitempty"`
	Connect   int64     `json:"connect_us,omitempty"`
	TLS       int64     `json:"tls_us,omitempty"`
	FirstByte int64     `json:"first_byte_us,omitempty"`
	Total     int64     `json:"total_us,omitempty"`
	TTFT      int64     `json:"first_token_us,omitempty"`
	Tokens    int64     `json:"tokens,omitempty"`
	ErrorType string    `json:"error_type,omitempty"`
	Message   string    `json:"message,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	RateLimit *rlRecord `json:"rate_limit,omitempty"`
}

type rlRecord struct {
	RequestsLimit     int64  `json:"requests_limit,omitempty"`
	RequestsRemaining int64  `json:"requests_remaining,omitempty"`
	RequestsReset     string `json:"requests_reset,omitempty"`
	TokensLimit       int64  `json:"tokens_limit,omitempty"`
	TokensRemaining   int64  `json:"tokens_remaining,omitempty"`
	TokensReset       string `json:"tokens_reset,omitempty"`
	RetryAfterNS      int64  `json:"retry_after_ns,omitempty"`
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

func toRecord(r probe.Result) record {
	us := func(d time.Duration) int64 { return int64(d / time.Microsecond) }
	rec := record{
		Target: string(r.Target), Time: formatTime(r.Time), Class: r.Class.String(), HTTP: r.HTTPStatus,
		DNS: us(r.Phases.DNS), Connect: us(r.Phases.Connect), TLS: us(r.Phases.TLS),
		FirstByte: us(r.Phases.FirstByte), Total: us(r.Phases.Total), TTFT: us(r.Phases.FirstToken), Tokens: r.Tokens,
		ErrorType: r.ErrorType, Message: r.Message, RequestID: r.RequestID, Detail: r.Detail,
	}
	if rl := r.RateLimit; !rl.IsZero() {
		rec.RateLimit = &rlRecord{
			RequestsLimit: rl.RequestsLimit, RequestsRemaining: rl.RequestsRemaining, RequestsReset: formatTime(rl.RequestsReset),
			TokensLimit: rl.TokensLimit, TokensRemaining: rl.TokensRemaining, TokensReset: formatTime(rl.TokensReset),
			RetryAfterNS: int64(rl.RetryAfter),
		}
	}
	return rec
}

// cleanText makes imported text what the probes would have stored: an
// imported file is outside input and may carry escape sequences or a
// credential (an sk-ant key, a Bearer value), which probe.Redact masks.
func cleanText(s string) string {
	return probe.Redact(probe.Sanitize(s, false))
}

func fromRecord(rec record) (probe.Result, error) {
	var r probe.Result
	t, err := probe.ParseTarget(rec.Target)
	if err != nil {
		return r, err
	}
	at, err := parseTime(rec.Time)
	if err != nil || at.IsZero() {
		if rec.Time == "" {
			return r, errors.New("no time")
		}
		return r, timeWords("time", rec.Time)
	}
	c, err := probe.ParseClass(rec.Class)
	if err != nil {
		return r, err
	}
	if rec.HTTP < 0 || rec.HTTP > 999 {
		return r, fmt.Errorf("HTTP status %d out of range", rec.HTTP)
	}
	if rec.Tokens < 0 || rec.Tokens > 1<<40 {
		return r, fmt.Errorf("%d tokens out of range", rec.Tokens)
	}
	var ph [6]time.Duration
	for i, us := range [...]int64{rec.DNS, rec.Connect, rec.TLS, rec.FirstByte, rec.Total, rec.TTFT} {
		if us < 0 || us > int64(24*time.Hour/time.Microsecond) {
			return r, fmt.Errorf("phase of %dµs out of range", us)
		}
		ph[i] = time.Duration(us) * time.Microsecond
	}
	r = probe.Result{
		Target: t, Time: at, Class: c, HTTPStatus: rec.HTTP,
		Phases:    probe.Phases{DNS: ph[0], Connect: ph[1], TLS: ph[2], FirstByte: ph[3], Total: ph[4], FirstToken: ph[5]},
		Tokens:    rec.Tokens,
		ErrorType: cleanText(rec.ErrorType), Message: cleanText(rec.Message),
		RequestID: cleanText(rec.RequestID), Detail: cleanText(rec.Detail),
	}
	if rl := rec.RateLimit; rl != nil {
		rr, err := parseTime(rl.RequestsReset)
		if err != nil {
			return r, timeWords("requests_reset", rl.RequestsReset)
		}
		tr, err := parseTime(rl.TokensReset)
		if err != nil {
			return r, timeWords("tokens_reset", rl.TokensReset)
		}
		r.RateLimit = probe.RateLimit{
			RequestsLimit: rl.RequestsLimit, RequestsRemaining: rl.RequestsRemaining, RequestsReset: rr,
			TokensLimit: rl.TokensLimit, TokensRemaining: rl.TokensRemaining, TokensReset: tr,
			RetryAfter: time.Duration(rl.RetryAfterNS),
		}
	}
	return r, nil
}

// csvHeader names the CSV columns; times and phases as in JSON lines.
// Import reads the columns by these names, so a file of an older
// downforai (without the last two) reads as well.
var csvHeader = []string{"target", "time", "class", "http", "dns_us", "connect_us", "tls_us", "first_byte_us", "total_us",
	"error_type", "message", "request_id", "detail",
	"requests_limit", "requests_remaining", "requests_reset", "tokens_limit", "tokens_remaining", "tokens_reset", "retry_after_ns",
	"first_token_us", "tokens"}

func (rec record) csv() []string {
	i := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	row := []string{rec.Target, rec.Time, rec.Class, i(int64(rec.HTTP)), i(rec.DNS), i(rec.Connect), i(rec.TLS), i(rec.FirstByte), i(rec.Total),
		rec.ErrorType, rec.Message, rec.RequestID, rec.Detail}
	rl := rec.RateLimit
	if rl == nil {
		rl = &rlRecord{}
	}
	return append(row, i(rl.RequestsLimit), i(rl.RequestsRemaining), rl.RequestsReset, i(rl.TokensLimit), i(rl.TokensRemaining), rl.TokensReset, i(rl.RetryAfterNS),
		i(rec.TTFT), i(rec.Tokens))
}

// ExportOptions select what Export writes.
type ExportOptions struct {
	Since    time.Time      // only results at or after; zero means all
	Targets  []probe.Target // nil means every target
	Format   string         // FormatJSONL (default) or FormatCSV
	Progress Progress       // hears results written out of results selected
}

// exportChunk is how many results Export reads per read transaction, so
// that a long export never pins old pages for long.
const exportChunk = 5000

// Export writes the selected results to w, target by target in
// probe.Targets() order, oldest first, and returns how many it wrote.
func (s *Store) Export(w io.Writer, o ExportOptions) (int, error) {
	if o.Format == "" {
		o.Format = FormatJSONL
	}
	if o.Format != FormatJSONL && o.Format != FormatCSV {
		return 0, fmt.Errorf("export: unknown format %q (want jsonl or csv)", o.Format)
	}
	targets := o.Targets
	if targets == nil {
		var err error
		if targets, err = s.targets(); err != nil {
			return 0, err
		}
	}
	targets = slices.Clone(targets)
	slices.SortFunc(targets, targetOrder)
	targets = slices.Compact(targets)

	var total int64
	if o.Progress != nil {
		err := s.view("read", func(tx *bolt.Tx) error {
			for _, t := range targets {
				total += int64(countFrom(tx, t, o.Since))
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
		o.Progress(0, total)
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	var cw *csv.Writer
	if o.Format == FormatCSV {
		cw = csv.NewWriter(bw)
		if err := cw.Write(csvHeader); err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
	}
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	written := 0
	for _, t := range targets {
		next := []byte(nil)
		if !o.Since.IsZero() {
			next = boundKey(o.Since)
		}
		for {
			var rs []probe.Result
			var more bool
			err := s.view("read", func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketResults).Bucket([]byte(t))
				if b == nil {
					return nil
				}
				lookup := s.lookup(tx)
				c := b.Cursor()
				var k, v []byte
				if next == nil {
					k, v = c.First()
				} else {
					k, v = c.Seek(next)
				}
				for ; k != nil && len(rs) < exportChunk; k, v = c.Next() {
					r, err := decodeAt(t, k, v, lookup)
					if err != nil {
						return err
					}
					rs = append(rs, r)
				}
				if k != nil {
					more, next = true, bytes.Clone(k)
				}
				return nil
			})
			if err != nil {
				return written, fmt.Errorf("export %s: %w", t, err)
			}
			for _, r := range rs {
				rec := toRecord(r)
				if cw != nil {
					err = cw.Write(rec.csv())
				} else {
					err = enc.Encode(rec)
				}
				if err != nil {
					return written, fmt.Errorf("export: %w", err)
				}
				written++
			}
			o.Progress.report(int64(written), total)
			if !more {
				break
			}
		}
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return written, fmt.Errorf("export: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return written, fmt.Errorf("export: %w", err)
	}
	return written, nil
}

// countFrom counts t's results at or after since (zero: all) without
// decoding them.
func countFrom(tx *bolt.Tx, t probe.Target, since time.Time) int {
	b := tx.Bucket(bucketResults).Bucket([]byte(t))
	if b == nil {
		return 0
	}
	if since.IsZero() {
		return b.Stats().KeyN
	}
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(boundKey(since)); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}

// ImportReport says what Import did.
type ImportReport struct {
	Added      int // new results stored
	Duplicates int // already stored: importing twice adds nothing
	Pruned     int // older than what retention already pruned: the rollups hold them
	Bad        int // lines that could not be read; each was passed to onBad
}

// String says what was imported, for people.
func (r ImportReport) String() string {
	s := fmt.Sprintf("%d added, %d already stored", r.Added, r.Duplicates)
	if r.Pruned > 0 {
		s += fmt.Sprintf(", %d older than what retention already pruned (skipped)", r.Pruned)
	}
	if r.Bad > 0 {
		lines := "lines"
		if r.Bad == 1 {
			lines = "line"
		}
		s += fmt.Sprintf(", %d bad %s skipped", r.Bad, lines)
	}
	return s
}

// importBatch is how many results Import stores per transaction.
const importBatch = 5000

// maxLine bounds one line (or CSV record); longer ones are reported bad and skipped.
const maxLine = 1 << 20

// Import reads results in either format Export writes — JSON lines, or
// CSV under its header, told apart by the first line that is not blank —
// and stores those not yet stored, adding them to their hourly and daily
// rollups in the same transaction. A line that cannot be read is passed
// to onBad with its number (from 1) and what is wrong with it in words,
// and skipped; the rest are imported. size, if known, is r's length in
// bytes, for progress.
func (s *Store) Import(r io.Reader, size int64, progress Progress, onBad func(line int, err error)) (ImportReport, error) {
	var rep ImportReport
	src := &lineSource{br: bufio.NewReaderSize(r, 64<<10)}
	batch := make([]probe.Result, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		added, dup, pruned, err := s.putNew(batch)
		if err != nil {
			return err
		}
		rep.Added += added
		rep.Duplicates += dup
		rep.Pruned += pruned
		batch = batch[:0]
		progress.report(src.read, size)
		return nil
	}
	bad := func(line int, err error) {
		rep.Bad++
		if onBad != nil {
			onBad(line, err)
		}
	}
	progress.report(0, size)
	var rows *csvFormat // under a CSV header; nil: JSON lines
	first := true
	for {
		l, ok := src.next()
		if !ok {
			break
		}
		if l.tooLong {
			bad(l.no, fmt.Errorf("longer than %d bytes", maxLine))
			continue
		}
		if len(bytes.TrimSpace(l.b)) == 0 {
			continue
		}
		if first {
			first = false
			f, isCSV, err := parseCSVHeader(l.b)
			if err != nil {
				return rep, fmt.Errorf("import: line %d: %w; nothing was imported", l.no, err)
			}
			if isCSV {
				rows = f
				continue
			}
		}
		var res probe.Result
		var lerr *lineError
		if rows != nil {
			res, lerr = rows.record(l, src)
		} else {
			res, lerr = jsonRecord(l)
		}
		if lerr != nil {
			bad(lerr.line, lerr.err)
			continue
		}
		batch = append(batch, res)
		if len(batch) == cap(batch) {
			if ferr := flush(); ferr != nil {
				return rep, fmt.Errorf("import: %w", ferr)
			}
		}
	}
	if err := src.err; err != nil && !errors.Is(err, io.EOF) {
		return rep, fmt.Errorf("import: reading line %d: %w", src.no+1, err)
	}
	if err := flush(); err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	progress.report(src.read, size)
	return rep, nil
}

// readLine returns the next line without its newline and the bytes it
// consumed; a line longer than maxLine comes back nil.
func readLine(br *bufio.Reader) ([]byte, int, error) {
	var line []byte
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		n += len(chunk)
		if n <= maxLine+2 { // room for "\r\n"
			line = append(line, chunk...)
		} else {
			line = nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if line == nil && n > 0 {
			return nil, max(n, maxLine+1), err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) > maxLine {
			return nil, n, err
		}
		return line, n, err
	}
}

// putNew stores the results that are not stored yet, in one transaction
// with their rollups. A result is already stored when its time key, or
// the next keys taken by results of the same nanosecond, hold an equal
// value. Results older than what retention pruned are left out: their
// rollups already count them.
func (s *Store) putNew(rs []probe.Result) (added, dup, pruned int, err error) {
	var val []byte
	err = s.writeTx(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
		added, dup, pruned = 0, 0, 0
		results := tx.Bucket(bucketResults)
		delta := rollupDelta{}
		lookup := s.lookup(tx)
		recount, err := startRecount(tx, rs)
		if err != nil {
			return err
		}
		horizon := map[probe.Target]time.Time{}
		for _, r := range rs {
			h, ok := horizon[r.Target]
			if !ok {
				h = prunedBefore(tx, r.Target)
				horizon[r.Target] = h
			}
			if r.Time.Before(h) {
				pruned++
				continue
			}
			b, err := resultBucket(results, r.Target)
			if err != nil {
				return err
			}
			k, ok := timeKey(r.Time)
			if !ok {
				return fmt.Errorf("result of %s: time %v cannot be stored", r.Target, r.Time)
			}
			if val, err = encodeResult(val[:0], r, intern); err != nil {
				return fmt.Errorf("result of %s at %v: %w", r.Target, r.Time, err)
			}
			found, err := findEqual(b, k[:], val, lookup)
			if err != nil {
				return fmt.Errorf("result of %s at %v: %w", r.Target, r.Time, err)
			}
			if found {
				dup++
				continue
			}
			if err := b.Put(bytes.Clone(k[:]), bytes.Clone(val)); err != nil {
				return fmt.Errorf("put result of %s: %w", r.Target, err)
			}
			r.Time = keyTime(k[:])
			delta.insert(b, r, k[:])
			added++
		}
		if err := recount.finish(tx, delta); err != nil {
			return err
		}
		return delta.flush(tx)
	})
	return added, dup, pruned, err
}

// findEqual walks the keys from k on that are taken, reporting whether
// one holds a result equal to val; when none does, k is left at the
// first free key.
func findEqual(b *bolt.Bucket, k, val []byte, lookup func(uint64) (string, bool)) (bool, error) {
	var want *probe.Result
	for {
		v := b.Get(k)
		if v == nil {
			return false, nil
		}
		if bytes.Equal(v, val) {
			return true, nil
		}
		// The same result may be encoded differently (a string interned
		// now, literal then): compare what they decode to.
		if want == nil {
			w, err := decodeResult(val, lookup)
			if err != nil {
				return false, err
			}
			want = &w
		}
		if got, err := decodeResult(v, lookup); err == nil && sameDecoded(got, *want) {
			return true, nil
		}
		n := binary.BigEndian.Uint64(k)
		if n == 1<<63-1 {
			return false, fmt.Errorf("no free time key")
		}
		binary.BigEndian.PutUint64(k, n+1)
	}
}

func sameDecoded(a, b probe.Result) bool {
	ra, rb := a.RateLimit, b.RateLimit
	if !ra.RequestsReset.Equal(rb.RequestsReset) || !ra.TokensReset.Equal(rb.TokensReset) {
		return false
	}
	ra.RequestsReset, rb.RequestsReset, ra.TokensReset, rb.TokensReset = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	a.RateLimit, b.RateLimit = ra, rb
	return a == b
}
