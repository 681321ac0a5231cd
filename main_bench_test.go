package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/pflag"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/fakeupstream"
	"downforai/store"
	"downforai/ui"
	"downforai/ui/cli"
)

// TestBenchmarksReportAllocs: every benchmark in the module reports its
// allocations (README's figures include them), by calling b.ReportAllocs
// itself or through a helper of its package that does.
func TestBenchmarksReportAllocs(t *testing.T) {
	type fn struct {
		name, pos string
		body      *ast.BlockStmt
	}
	byDir := map[string][]fn{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil && fd.Recv == nil {
				byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], fn{fd.Name.Name, fset.Position(fd.Pos()).String(), fd.Body})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fns := range byDir {
		// The package's functions that call ReportAllocs.
		reports := map[string]bool{}
		for _, f := range fns {
			ast.Inspect(f.body, func(x ast.Node) bool {
				if sel, ok := x.(*ast.SelectorExpr); ok && sel.Sel.Name == "ReportAllocs" {
					reports[f.name] = true
				}
				return true
			})
		}
		for _, f := range fns {
			if !strings.HasPrefix(f.name, "Benchmark") {
				continue
			}
			n++
			ok := reports[f.name]
			ast.Inspect(f.body, func(x ast.Node) bool {
				if call, isCall := x.(*ast.CallExpr); isCall {
					if id, isID := call.Fun.(*ast.Ident); isID && reports[id.Name] {
						ok = true
					}
				}
				return true
			})
			if !ok {
				t.Errorf("%s: %s does not call b.ReportAllocs", f.pos, f.name)
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d benchmarks: the walk misses some", n)
	}
}

// BenchmarkFirstFrame is the dashboard's work from an open database to its
// first frame at 120×35 (issue 11's first-paint row): ui.New reading the
// last known state (Options.LoadFirst), Init, the size Bubble Tea sends at
// start and the first View, on the file one check round leaves (what
// .ci/perf's "empty DB" holds). The process start and the terminal are
// .ci/perf's business; this is the part the dashboard's own code decides.
func BenchmarkFirstFrame(b *testing.B) {
	srv := httptest.NewServer(fakeupstream.NewHandler(fakeupstream.ModeOperational))
	b.Cleanup(srv.Close)
	home := b.TempDir()
	vars := map[string]string{"HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config"}
	getenv := func(k string) string { return vars[k] }
	db := filepath.Join(b.TempDir(), "history.db")
	args := []string{"--db", db, "--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL}
	var out bytes.Buffer
	check := append([]string{"check", "--claude-bin", filepath.Join(b.TempDir(), "no-claude")}, args...)
	if code := run(check, getenv, strings.NewReader(""), &out, &out); code != exitOK {
		b.Fatalf("check exit %d: %s", code, out.Bytes())
	}
	l := config.NewLoader(getenv)
	flags := pflag.NewFlagSet("downforai", pflag.ContinueOnError)
	l.AddGlobalFlags(flags)
	l.AddFlags(flags, config.Probes|config.Incidents|config.Outputs|config.SSH)
	if err := flags.Parse(args); err != nil {
		b.Fatal(err)
	}
	c, err := l.Resolve(flags)
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.OpenRecorder(c.DB, time.Duration(c.Retention), io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	checks := cli.AllChecks(c, getenv, "bench", nil)
	targets := make([]probe.Target, 0, len(checks))
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	b.ReportAllocs()
	for b.Loop() {
		opts := dashboardOptions(c, st.History, targets, logger)
		opts.Renderer, opts.Width, opts.Height = r, 120, 35
		m := ui.New(opts)
		_ = m.Init()
		next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
		if v := next.View(); !strings.Contains(v, "Operational") {
			b.Fatalf("first frame without the recorded round:\n%s", v)
		}
	}
}
