package gqlexec

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// GitHub's documented limits: first/last within 1..100 on every
// connection, at most 500,000 nodes per call.
const (
	maxPage  = 100
	maxNodes = 500000
)

// prepare does Prepare's work; the error is the list GitHub would answer.
func (e *Executor) prepare(req Request) (*Prepared, []gqlError) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: req.Query})
	if err != nil {
		return nil, parseErrors(err)
	}
	if e.schema != nil {
		if errs := validator.ValidateWithRules(e.schema, doc, nil); len(errs) > 0 {
			return nil, validationErrors(errs)
		}
	}
	op, gerr := pickOperation(doc, req.OperationName)
	if gerr != nil {
		return nil, []gqlError{*gerr}
	}
	vars, gerr := e.variables(op, req.Variables)
	if gerr != nil {
		return nil, []gqlError{*gerr}
	}
	p := &Prepared{doc: doc, op: op, vars: vars}
	w := costWalker{doc: doc, vars: vars, schema: e.schema, seen: map[string]bool{}}
	w.walk(op.SelectionSet, 1, nil)
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	if w.nodes > maxNodes {
		return nil, []gqlError{{Type: "MAX_NODE_LIMIT_EXCEEDED", Message: fmt.Sprintf(
			"This query requests up to %d possible nodes which exceeds the maximum limit of %d.", w.nodes, maxNodes)}}
	}
	p.cost = max(1, int(math.Round(float64(w.requests)/100)))
	p.nodeCount = w.nodes
	return p, nil
}

func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, *gqlError) {
	var op *ast.OperationDefinition
	switch {
	case name != "":
		op = doc.Operations.ForName(name)
		if op == nil {
			return nil, &gqlError{Message: fmt.Sprintf("No operation named %q", name)}
		}
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	case len(doc.Operations) == 0:
		return nil, &gqlError{Message: "No operations in query document"}
	default:
		return nil, &gqlError{Message: "An operation name is required"}
	}
	if op.Operation != ast.Query {
		return nil, &gqlError{Message: fmt.Sprintf("gqlexec: %s operations are not supported by the test server", op.Operation),
			Locations: []location{loc(op.Position)}}
	}
	return op, nil
}

// variables coerces the request's variables, applying defaults.
func (e *Executor) variables(op *ast.OperationDefinition, in map[string]any) (map[string]any, *gqlError) {
	cp := make(map[string]any, len(in))
	for k, v := range in {
		cp[k] = v
	}
	if e.schema != nil {
		out, err := validator.VariableValues(e.schema, op, cp)
		if err == nil {
			return out, nil
		}
		var ge *gqlerror.Error
		msg := err.Error()
		name := ""
		if errors.As(err, &ge) {
			msg = ge.Message
			if len(ge.Path) > 1 {
				if pn, ok := ge.Path[1].(ast.PathName); ok {
					name = string(pn)
				}
			}
		}
		g := &gqlError{Message: "Variables are invalid: " + err.Error()}
		if vd := op.VariableDefinitions.ForName(name); vd != nil {
			g.Message = fmt.Sprintf("Variable $%s of type %s was provided invalid value", name, vd.Type)
			g.Locations = []location{loc(vd.Position)}
			g.Extensions = map[string]any{"value": in[name],
				"problems": []map[string]any{{"path": []any{}, "explanation": msg}}}
		}
		return nil, g
	}
	for _, vd := range op.VariableDefinitions {
		if _, ok := cp[vd.Variable]; ok || vd.DefaultValue == nil {
			continue
		}
		v, err := vd.DefaultValue.Value(nil)
		if err != nil {
			return nil, &gqlError{Message: err.Error(), Locations: []location{loc(vd.Position)}}
		}
		cp[vd.Variable] = v
	}
	return cp, nil
}

// costWalker adds up GitHub's cost and node count over a selection tree
// and checks the pagination arguments of every connection.
type costWalker struct {
	doc      *ast.QueryDocument
	vars     map[string]any
	schema   *ast.Schema
	seen     map[string]bool // fragment spreads on the current path
	requests int
	nodes    int
	errs     []gqlError
}

// walk visits sels, each connection below being fetched mult times.
func (w *costWalker) walk(sels ast.SelectionSet, mult int, path []any) {
	for _, s := range sels {
		switch s := s.(type) {
		case *ast.Field:
			w.field(s, mult, append(path[:len(path):len(path)], s.Alias))
		case *ast.InlineFragment:
			w.walk(s.SelectionSet, mult, path)
		case *ast.FragmentSpread:
			def := s.Definition
			if def == nil {
				def = w.doc.Fragments.ForName(s.Name)
			}
			if def == nil || w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			w.walk(def.SelectionSet, mult, path)
			delete(w.seen, s.Name)
		}
	}
}

func (w *costWalker) field(f *ast.Field, mult int, path []any) {
	if f.Name == "rateLimit" && len(path) == 1 {
		return // free, as GitHub documents
	}
	var a args
	a.from(f, w.vars)
	n, has, err := a.pageSize(f.Name)
	if err != nil {
		w.errs = append(w.errs, gqlError{Type: err.Type, Path: path, Locations: []location{loc(f.Position)},
			Message: err.Message})
		return
	}
	if !has && isConnection(f) {
		w.errs = append(w.errs, gqlError{Type: "MISSING_PAGINATION_BOUNDARIES", Path: path,
			Locations: []location{loc(f.Position)},
			Message:   fmt.Sprintf("You must provide a `first` or `last` value to properly paginate the `%s` connection.", f.Name)})
		return
	}
	if has {
		w.requests += mult
		mult *= n
		w.nodes += mult
	} else if n, ok := repositoryList(f, a); ok {
		mult *= n
		w.nodes += mult
	}
	w.walk(f.SelectionSet, mult, path)
}

// repositoryList reports whether f is one of ContributionsCollection's
// ...ContributionsByRepository lists and how long it may be. GitHub does
// not document their price: they are not connections and cost no request
// themselves, but maxRepositories (default 25, at most 100) multiplies the
// connections below them as first would, and counts as that many nodes.
func repositoryList(f *ast.Field, a args) (int, bool) {
	if !strings.HasSuffix(f.Name, "ContributionsByRepository") {
		return 0, false
	}
	if d := f.Definition; d != nil && d.Arguments.ForName("maxRepositories") == nil {
		return 0, false
	}
	n, ok := a.integer("maxRepositories")
	if !ok {
		n = defaultMaxRepositories
	}
	return min(max(n, 1), maxPage), true
}

// isConnection reports whether the schema says f is a paginated
// connection (its type is a ...Connection taking first and last).
func isConnection(f *ast.Field) bool {
	d := f.Definition
	if d == nil || d.Arguments.ForName("first") == nil || d.Arguments.ForName("last") == nil {
		return false
	}
	return strings.HasSuffix(d.Type.Name(), "Connection")
}

func loc(p *ast.Position) location {
	if p == nil {
		return location{}
	}
	return location{Line: p.Line, Column: p.Column}
}

func parseErrors(err error) []gqlError {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		g := gqlError{Message: "Parse error: " + ge.Message}
		for _, l := range ge.Locations {
			g.Locations = append(g.Locations, location{Line: l.Line, Column: l.Column})
		}
		return []gqlError{g}
	}
	return []gqlError{{Message: "Parse error: " + err.Error()}}
}

var (
	reUndefinedField = regexp.MustCompile(`^Cannot query field "([^"]+)" on type "([^"]+)"`)
	reUnknownArg     = regexp.MustCompile(`^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"`)
)

// validationErrors words gqlparser's findings the way GitHub (graphql-ruby)
// does for the common cases and keeps gqlparser's wording otherwise.
func validationErrors(list gqlerror.List) []gqlError {
	var out []gqlError
	for _, e := range list {
		g := gqlError{Message: e.Message, Extensions: map[string]any{"code": strings.TrimSuffix(e.Rule, "Rule")}}
		if m := reUndefinedField.FindStringSubmatch(e.Message); m != nil {
			g.Message = fmt.Sprintf("Field '%s' doesn't exist on type '%s'", m[1], m[2])
			g.Extensions = map[string]any{"code": "undefinedField", "typeName": m[2], "fieldName": m[1]}
		} else if m := reUnknownArg.FindStringSubmatch(e.Message); m != nil {
			g.Message = fmt.Sprintf("Field '%s' doesn't accept argument '%s'", m[3], m[1])
			g.Extensions = map[string]any{"code": "argumentNotAccepted", "name": m[3], "typeName": "Field", "argumentName": m[1]}
		}
		for _, l := range e.Locations {
			g.Locations = append(g.Locations, location{Line: l.Line, Column: l.Column})
		}
		out = append(out, g)
	}
	return out
}
