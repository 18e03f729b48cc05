// Package architecture holds the tests that keep the data flow one way:
// sources → contributions (contrib) → store → questions → API, reports,
// dashboards (docs/architecture.md).
package architecture

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "contribtrack/"

// sources turn a platform's activity into contributions and checkpoints.
var sources = []string{"internal/collector", "internal/gharchive", "internal/ghclient"}

// imports returns the module packages that the non-test Go files of the
// package in dir (relative to the repository) import.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	files := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if rel, ok := strings.CutPrefix(path, module); ok && !slices.Contains(out, rel) {
				out = append(out, rel)
			}
		}
	}
	if files == 0 {
		t.Fatalf("%s: no Go files: is the path right?", dir)
	}
	return out
}

// No source imports the store: a source yields contributions and
// checkpoints (contrib), and whoever runs it stores them.
func TestSourcesDoNotImportTheStore(t *testing.T) {
	for _, src := range sources {
		if got := imports(t, src); slices.Contains(got, "internal/store") {
			t.Errorf("%s imports internal/store; a source hands contributions and checkpoints (contrib) to its caller", src)
		}
	}
}

// The store imports no source: it stores the model's contributions and
// checkpoints, whichever source made them.
func TestStoreImportsNoSource(t *testing.T) {
	got := imports(t, "internal/store")
	for _, src := range sources {
		if slices.Contains(got, src) {
			t.Errorf("internal/store imports %s; the store knows only the model (internal/contrib)", src)
		}
	}
	if !slices.Contains(got, "internal/contrib") {
		t.Errorf("internal/store does not import internal/contrib: the rule above checks the wrong package? imports: %v", got)
	}
}

// The model imports nothing of this module: everything else is built on
// it.
func TestModelImportsNothing(t *testing.T) {
	if got := imports(t, "internal/contrib"); len(got) > 0 {
		t.Errorf("internal/contrib imports %v; the model stands on its own", got)
	}
}

// TestNoPackageStateIsWritten keeps state out of package variables: a
// package-level variable of the product (declared in a non-test file) may
// hold a value fixed at start (a compiled expression, a statement's text,
// a table of names), but no function assigns it, changes it in place (an
// element, a map entry, ++) or takes its address: not its own package's,
// not its tests', not another package's. Test hooks and caches belong to
// a value's fields. (Test files may share fixtures of their own.)
func TestNoPackageStateIsWritten(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	type goFile struct {
		dir  string
		test bool
		ast  *ast.File
	}
	var files []goFile
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		files = append(files, goFile{filepath.ToSlash(rel), strings.HasSuffix(name, "_test.go"), f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found %d Go files under %s: is the root right?", len(files), root)
	}
	// The product's package-level variables, by package directory, and
	// each directory's package name.
	vars, pkgName := map[string]map[string]bool{}, map[string]string{}
	for _, f := range files {
		if f.test {
			continue
		}
		pkgName[f.dir] = f.ast.Name.Name
		if vars[f.dir] == nil {
			vars[f.dir] = map[string]bool{}
		}
		for _, d := range f.ast.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, s := range g.Specs {
					for _, n := range s.(*ast.ValueSpec).Names {
						if n.Name != "_" {
							vars[f.dir][n.Name] = true
						}
					}
				}
			}
		}
	}
	checked := 0
	for _, f := range files {
		// Its own package's variables, when the file is of that package
		// (an external test package sees only the exported ones, below).
		own := map[string]bool{}
		if f.ast.Name.Name == pkgName[f.dir] {
			own = vars[f.dir]
		}
		// Other packages' exported variables, by the name imported under.
		imported := map[string]map[string]bool{}
		for _, imp := range f.ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			rel, ok := strings.CutPrefix(path, module)
			if !ok || vars[rel] == nil {
				continue
			}
			name := pkgName[rel]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			imported[name] = vars[rel]
		}
		for _, d := range f.ast.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
				checked++
				for _, w := range writesIn(fset, fn.Body, own, imported) {
					t.Errorf("%s/%s", f.dir, w)
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("checked %d functions: is the walk right?", checked)
	}
}

// writesIn returns the writes in body to a variable of own, where a local
// of the same name does not hide it, or to an exported variable of an
// imported package (imported: by the name it is imported under).
func writesIn(fset *token.FileSet, body *ast.BlockStmt, own map[string]bool, imported map[string]map[string]bool) []string {
	locals := map[string]bool{} // names declared anywhere in the function (conservative)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						locals[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				locals[id.Name] = true
			}
		case *ast.FuncLit:
			for _, f := range n.Type.Params.List {
				for _, id := range f.Names {
					locals[id.Name] = true
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						locals[id.Name] = true
					}
				}
			}
		}
		return true
	})
	// target names the package variable an expression writes through
	// (x, x.f, x[i], *x, pkg.X), or "".
	var target func(e ast.Expr) string
	target = func(e ast.Expr) string {
		switch e := e.(type) {
		case *ast.Ident:
			if own[e.Name] && !locals[e.Name] {
				return e.Name
			}
		case *ast.SelectorExpr:
			if pkg, ok := e.X.(*ast.Ident); ok && !locals[pkg.Name] && imported[pkg.Name][e.Sel.Name] {
				return pkg.Name + "." + e.Sel.Name
			}
			return target(e.X)
		case *ast.IndexExpr:
			return target(e.X)
		case *ast.StarExpr:
			return target(e.X)
		case *ast.ParenExpr:
			return target(e.X)
		}
		return ""
	}
	var out []string
	report := func(e ast.Expr, how string) {
		if name := target(e); name != "" {
			out = append(out, fmt.Sprintf("%s: %s %s", filepath.Base(fset.Position(e.Pos()).String()), how, name))
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					report(l, "writes")
				}
			}
		case *ast.IncDecStmt:
			report(n.X, "changes")
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				report(n.X, "takes the address of")
			}
		}
		return true
	})
	return out
}

// sourceBuilders are the calls and literals that build or run a source.
var sourceBuilders = []string{"collector.New", "gharchive.Read", "gharchive.Follow", "gharchive.Hours", "gharchive.Files"}

// Only the use cases (internal/ingest) build and run sources: the CLI and
// serve call them, so a source is wired once. (The sources' own packages
// and tests may build themselves.)
func TestOnlyIngestBuildsSources(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	err = filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || !slices.Contains(sourceBuilders, pkg.Name+"."+sel.Sel.Name) {
				return true
			}
			found++
			if rel != "internal/ingest" {
				t.Errorf("%s uses %s.%s: build and run sources through internal/ingest", filepath.Join(rel, filepath.Base(path)), pkg.Name, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Error("no source is built anywhere: does the rule look for the right names?")
	}
}
