package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// fakeDumper plays the store: a stats table and an export that may fail
// part-way.
type fakeDumper struct {
	export string
	failAt int // bytes written before the export fails; 0: never
	got    ExportRequest
}

func (d *fakeDumper) WriteStats(w io.Writer) error {
	_, err := io.WriteString(w, "database  /x/h.db\n\ttarget  results\nterminal\x1b]0;pwned\x07 title\n")
	return err
}

func (d *fakeDumper) Export(w io.Writer, r ExportRequest) error {
	d.got = r
	if d.failAt > 0 {
		io.WriteString(w, d.export[:d.failAt])
		return errors.New("disk on fire")
	}
	_, err := io.WriteString(w, d.export)
	return err
}

func serveDumper(t *testing.T, d Dumper) *Client {
	t.Helper()
	db := filepath.Join(t.TempDir(), "h.db")
	ln, err := Listen(SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Hello: Hello{Protocol: ProtocolVersion, DB: db, PID: os.Getpid()}, History: &memHistory{}, Dumper: d}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	c, err := Dial(context.Background(), SocketPath(db), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestExportThroughTheEngine: the export arrives byte for byte, across
// many chunks and with runes that straddle a chunk's end, and the request's
// selection reaches the store.
func TestExportThroughTheEngine(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `{"target":"api","time":"2026-03-01T12:%02d:00Z","class":"ok","message":"Überlastung – ✖ %d"}`+"\n", i%60, i)
	}
	b.WriteString(strings.Repeat("é", exportChunk)) // one line longer than a chunk, all two-byte runes
	b.WriteString("\n")
	d := &fakeDumper{export: b.String()}
	c := serveDumper(t, d)
	var out strings.Builder
	since := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	req := ExportRequest{Format: "csv", Since: since, Targets: []probe.Target{probe.TargetAPI, probe.TargetClaudeAI}}
	if err := c.Export(context.Background(), &out, req); err != nil {
		t.Fatal(err)
	}
	if out.String() != d.export {
		t.Errorf("export differs: %d bytes, want %d", out.Len(), len(d.export))
	}
	if d.got.Format != "csv" || !d.got.Since.Equal(since) || len(d.got.Targets) != 2 {
		t.Errorf("the store was asked for %+v", d.got)
	}
}

// TestExportCutShortFails: an export that fails at the engine fails for
// the viewer too, after what did arrive; it never looks finished.
func TestExportCutShortFails(t *testing.T) {
	d := &fakeDumper{export: strings.Repeat("line\n", 20000), failAt: 70000}
	c := serveDumper(t, d)
	var out strings.Builder
	err := c.Export(context.Background(), &out, ExportRequest{})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err %v", err)
	}
	if out.String() != d.export[:d.failAt] {
		t.Errorf("wrote %d bytes, want the %d sent", out.Len(), d.failAt)
	}
}

func TestDBStatsThroughTheEngine(t *testing.T) {
	c := serveDumper(t, &fakeDumper{})
	text, err := c.DBStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The table's lines and tabs stay; what would act on a terminal goes.
	if want := "database  /x/h.db\n\ttarget  results\nterminal title\n"; text != want {
		t.Errorf("stats %q, want %q", text, want)
	}
}

func TestDumpUnsupported(t *testing.T) {
	c := serveDumper(t, nil)
	if _, err := c.DBStats(context.Background()); !errors.Is(err, ErrUnsupported) {
		t.Errorf("db_stats without a store: %v", err)
	}
	if err := c.Export(context.Background(), io.Discard, ExportRequest{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("export without a store: %v", err)
	}
}
