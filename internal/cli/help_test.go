package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// apiRoutes reads the routes internal/api registers ("GET /healthz"):
// the patterns of its mux.Handle and mux.HandleFunc calls that name a
// method (the catch-all "/" answers 404s).
func apiRoutes(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join("..", "api")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			pattern, err := strconv.Unquote(lit.Value)
			if err == nil && strings.Contains(pattern, " ") {
				routes = append(routes, pattern)
			}
			return true
		})
	}
	slices.Sort(routes)
	return routes
}

// TestServeHelpListsEveryRoute: serve --help lists the endpoints the API
// serves, no more and no fewer.
func TestServeHelpListsEveryRoute(t *testing.T) {
	routes := apiRoutes(t)
	if len(routes) < 5 {
		t.Fatalf("found only %d routes in internal/api: %v", len(routes), routes)
	}
	code, stdout, stderr := lbRun(t, "serve", "--help")
	if code != exitOK {
		t.Fatalf("serve --help: exit %d\n%s", code, stderr)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^\s+((?:GET|POST|PUT|DELETE) /\S*)`).FindAllStringSubmatch(stdout, -1) {
		listed = append(listed, m[1])
	}
	slices.Sort(listed)
	if diff := cmp.Diff(routes, listed); diff != "" {
		t.Errorf("serve --help's endpoints (-api +help):\n%s", diff)
	}
}
