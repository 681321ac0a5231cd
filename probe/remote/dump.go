package remote

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// The database commands (`db stats`, `history export`) ask the engine that
// holds the database, so they work while a dashboard or serve runs and
// print what they would print from the file:
//
//	{"op":"db_stats"}                                     → {"text":"…"}
//	{"op":"export","format":"jsonl","since":T,"targets":[…]} → {"chunk":"…"} per line, then {"ok":true} or {"error":"…"}
//
// The export is framed in lines so that a viewer can tell a finished
// export from one cut short by an error or a hang-up.

// ExportRequest selects what an export holds, as store.ExportOptions does.
type ExportRequest struct {
	Format  string         `json:"format,omitempty"`
	Since   time.Time      `json:"since,omitzero"`
	Targets []probe.Target `json:"targets,omitempty"`
}

// Dumper is what the engine's owner offers the database commands; store
// implements it through main's wiring.
type Dumper interface {
	// WriteStats writes `db stats`'s text.
	WriteStats(w io.Writer) error
	// Export writes the selected results as `history export` does.
	Export(w io.Writer, r ExportRequest) error
}

// exportChunk is the most bytes of export one line carries.
const exportChunk = 32 << 10

// dumpTimeout bounds a db_stats answer; an export has no bound but the
// viewer's patience: it streams.
const dumpTimeout = 30 * time.Second

type dumpRequest struct {
	ExportRequest
}

type dumpResponse struct {
	Text  string `json:"text,omitempty"`
	Chunk string `json:"chunk,omitempty"`
}

// dump answers db_stats and export. line is the request line, decoded
// again for the export's fields.
func (s *Server) dump(c net.Conn, op string, line []byte) {
	if s.Dumper == nil {
		writeLine(c, unsupported(op))
		return
	}
	if op == "db_stats" {
		var b strings.Builder
		if err := s.Dumper.WriteStats(&b); err != nil {
			writeLine(c, errorResponse(err))
			return
		}
		writeLine(c, dumpResponse{Text: b.String()})
		return
	}
	var req dumpRequest
	if err := json.Unmarshal(line, &req); err != nil {
		writeLine(c, response{Error: "bad request"})
		return
	}
	w := &chunkWriter{c: c}
	err := s.Dumper.Export(w, req.ExportRequest)
	// What was written goes out, even before an error: the viewer gets as
	// much as a direct export would have written.
	if ferr := w.flush(); ferr != nil || w.err != nil {
		return // the viewer is gone
	}
	if err != nil {
		writeLine(c, errorResponse(err))
		return
	}
	writeLine(c, response{OK: true})
}

// chunkWriter frames what Export writes into chunk lines of at most
// exportChunk bytes, cut at line ends where it can.
type chunkWriter struct {
	c   net.Conn
	buf []byte
	err error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	for len(w.buf) >= exportChunk {
		// Cut after a line, else on a rune boundary: JSON would spoil half
		// a rune.
		n := exportChunk
		if i := bytes.LastIndexByte(w.buf[:n], '\n'); i >= 0 {
			n = i + 1
		} else {
			for n > 0 && !utf8.RuneStart(w.buf[n]) {
				n--
			}
		}
		if err := w.send(w.buf[:n]); err != nil {
			return 0, err
		}
		w.buf = append(w.buf[:0], w.buf[n:]...)
	}
	return len(p), nil
}

func (w *chunkWriter) send(b []byte) error {
	if w.err = writeLine(w.c, dumpResponse{Chunk: string(b)}); w.err != nil {
		return w.err
	}
	return nil
}

func (w *chunkWriter) flush() error {
	if w.err != nil || len(w.buf) == 0 {
		return w.err
	}
	err := w.send(w.buf)
	w.buf = w.buf[:0]
	return err
}

// DBStats asks the engine for `db stats`'s text.
func (c *Client) DBStats(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, dumpTimeout)
	defer cancel()
	var r struct {
		response
		dumpResponse
	}
	if err := c.call(ctx, request{Op: "db_stats"}, &r); err != nil {
		return "", err
	}
	if err := answerError("db_stats", r.response); err != nil {
		return "", err
	}
	return cleanText(r.Text), nil
}

// Export streams the engine's export of what req selects to w. It fails,
// after whatever it wrote, when the export did not finish: an error at the
// engine, or the engine gone.
func (c *Client) Export(ctx context.Context, w io.Writer, req ExportRequest) error {
	conn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	line, err := json.Marshal(struct {
		Op string `json:"op"`
		ExportRequest
	}{"export", req})
	if err != nil {
		return err
	}
	if _, err := conn.Write(append(line, '\n')); err != nil {
		return err
	}
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 64<<10), 6*exportChunk+1024) // JSON escapes a byte into at most six
	for sc.Scan() {
		var r struct {
			response
			dumpResponse
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := answerError("export", r.response); err != nil {
			return err
		}
		if r.OK {
			return nil
		}
		// Results were sanitised before they were stored; the text is
		// cleaned again so nothing from another process reaches a
		// terminal raw.
		if _, err := io.WriteString(w, cleanText(r.Chunk)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("export cut short: %w", err)
	}
	return errors.New("export cut short: the engine closed the connection")
}

// cleanText keeps what another process sent from acting on a terminal:
// escape sequences and control characters go, lines and tabs stay (the
// text is a table and an export, both our own, so this changes nothing
// that is as it should be).
func cleanText(s string) string {
	s = strings.ToValidUTF8(ansi.Strip(s), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			return -1
		}
		return r
	}, s)
}

// answerError is the error an answer carries, if any.
func answerError(op string, r response) error {
	switch {
	case r.Unsupported || r.Error == unknownOp:
		return fmt.Errorf("%s: %w", op, ErrUnsupported)
	case r.Error != "":
		return errors.New(probe.Line(r.Error, 200))
	}
	return nil
}
