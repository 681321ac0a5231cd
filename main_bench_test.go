package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
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
