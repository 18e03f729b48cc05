// Package architecture holds the tests that keep the data flow one way:
// sources → contributions (contrib) → store → questions → API, reports,
// dashboards (docs/architecture.md).
package architecture

import (
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
