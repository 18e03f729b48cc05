package gqlexec

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"contribtrack/internal/githubtest/ghdata"
)

// resolver answers one field of one object: obj is the parent object,
// a the field's arguments. It returns a scalar (string, bool, int, int64,
// time.Time), an object (see typeName), []any, or nil for null. An error
// is reported at the field's path and the field becomes null.
type resolver func(x *run, obj any, a args) (any, error)

// resolvers is the table of implemented fields, keyed by "Type.field"
// where Type is the parent object's concrete GraphQL type. Fields every
// connection and edge type has are answered by connectionField and
// edgeField instead.
var resolvers = newResolvers()

// newResolvers returns every object type's field resolvers, by
// "Type.field".
func newResolvers() map[string]resolver {
	reg := map[string]resolver{}
	registerQuery(reg)
	registerConnections(reg)
	registerContributions(reg)
	registerIssues(reg)
	registerRepository(reg)
	registerCommitComments(reg)
	return reg
}

// on registers the fields of GraphQL object type typ, whose Go values
// are of type T.
func on[T any](reg map[string]resolver, typ string, fields map[string]func(*run, T, args) (any, error)) {
	for name, f := range fields {
		key := typ + "." + name
		if _, dup := reg[key]; dup {
			panic("gqlexec: " + key + " registered twice")
		}
		reg[key] = func(x *run, obj any, a args) (any, error) {
			o, ok := obj.(T)
			if !ok {
				return nil, fmt.Errorf("gqlexec: %s resolved on a %T", key, obj)
			}
			return f(x, o, a)
		}
	}
}

// plain adapts a resolver that needs neither arguments nor the run.
func plain[T any](f func(T) any) func(*run, T, args) (any, error) {
	return func(_ *run, o T, _ args) (any, error) { return f(o), nil }
}

// typed is implemented by the executor's own object wrappers.
type typed interface{ gqlType() string }

// typeName is the concrete GraphQL object type of a resolved value.
func typeName(v any) string {
	switch o := v.(type) {
	case *ghdata.User:
		switch o.Type {
		case "Bot":
			return "Bot"
		case "Organization":
			return "Organization"
		}
		return "User"
	case *ghdata.Repo:
		return "Repository"
	case typed:
		return o.gqlType()
	}
	return ""
}

// queryRoot is the Query object.
type queryRoot struct{}

func (queryRoot) gqlType() string { return "Query" }

// run is the state of one execution.
type run struct {
	ctx    context.Context
	e      *Executor
	p      *Prepared
	rl     RateLimit
	errs   []gqlError
	caches map[any]any // per-run indexes (see cached)

	// Field collection and argument values depend only on the query, not
	// on the object: computed once per run, not once per node.
	groups map[groupKey][]fieldGroup
	args   map[*ast.Field]args
}

// groupKey identifies a selection on a type: the merged fields whose
// sub-selections it is (none for the operation's own).
type groupKey struct {
	typ    string
	fields [maxKeyed]*ast.Field
}

// maxKeyed is how many merged fields a cached selection may come from;
// larger merges (rare) are collected every time.
const maxKeyed = 4

// cached returns the value built by build for key, once per run.
func cached[V any](x *run, key any, build func() V) V {
	if v, ok := x.caches[key]; ok {
		return v.(V)
	}
	v := build()
	x.caches[key] = v
	return v
}

// fieldGroup is the fields of one response key, merged.
type fieldGroup struct {
	key    string
	fields []*ast.Field
}

// collect gathers the fields of sels that apply to concrete type typ,
// following fragments whose type condition matches.
func (x *run) collect(typ string, sels ast.SelectionSet, groups []fieldGroup, index map[string]int, visited map[string]bool) []fieldGroup {
	for _, s := range sels {
		switch s := s.(type) {
		case *ast.Field:
			if !x.included(s.Directives) {
				continue
			}
			if i, ok := index[s.Alias]; ok {
				groups[i].fields = append(groups[i].fields, s)
				continue
			}
			index[s.Alias] = len(groups)
			groups = append(groups, fieldGroup{key: s.Alias, fields: []*ast.Field{s}})
		case *ast.InlineFragment:
			if x.included(s.Directives) && (s.TypeCondition == "" || x.matches(typ, s.TypeCondition)) {
				groups = x.collect(typ, s.SelectionSet, groups, index, visited)
			}
		case *ast.FragmentSpread:
			if visited[s.Name] || !x.included(s.Directives) {
				continue
			}
			visited[s.Name] = true
			def := s.Definition
			if def == nil {
				def = x.p.doc.Fragments.ForName(s.Name)
			}
			if def != nil && x.matches(typ, def.TypeCondition) {
				groups = x.collect(typ, def.SelectionSet, groups, index, visited)
			}
		}
	}
	return groups
}

// included evaluates @skip and @include.
func (x *run) included(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		a := d.Arguments.ForName("if")
		if a == nil {
			continue
		}
		v, _ := a.Value.Value(x.p.vars)
		if b, _ := v.(bool); b == (d.Name == "skip") {
			return false
		}
	}
	return true
}

// noSchemaImplements says which abstract types an object type belongs to
// when the executor runs without GitHub's schema.
var noSchemaImplements = map[string][]string{
	"User":              {"Actor", "Node", "RepositoryOwner"},
	"Organization":      {"Actor", "Node", "RepositoryOwner"},
	"Bot":               {"Actor", "Node"},
	"Commit":            {"GitObject", "Node"},
	"ClosedEvent":       {"PullRequestTimelineItems", "IssueTimelineItems", "Node"},
	"MergedEvent":       {"PullRequestTimelineItems", "Node"},
	"IssueComment":      {"PullRequestTimelineItems", "IssueTimelineItems", "Node", "Comment"},
	"PullRequestReview": {"PullRequestTimelineItems", "Node", "Comment"},
	"PullRequest":       {"Node"},
	"Issue":             {"Node"},
	"Repository":        {"Node"},
	"Release":           {"Node"},

	"CreatedPullRequestContribution":       {"Contribution", "CreatedPullRequestOrRestrictedContribution"},
	"CreatedIssueContribution":             {"Contribution", "CreatedIssueOrRestrictedContribution"},
	"CreatedPullRequestReviewContribution": {"Contribution"},
	"CreatedCommitContribution":            {"Contribution"},
}

// matches reports whether a fragment on cond applies to concrete type typ.
func (x *run) matches(typ, cond string) bool {
	if typ == cond {
		return true
	}
	if s := x.e.schema; s != nil {
		def := s.Types[cond]
		if def == nil || (def.Kind != ast.Interface && def.Kind != ast.Union) {
			return false
		}
		for _, pt := range s.GetPossibleTypes(def) {
			if pt.Name == typ {
				return true
			}
		}
		return false
	}
	for _, c := range noSchemaImplements[typ] {
		if c == cond {
			return true
		}
	}
	return false
}

// selectionSet resolves sels (the sub-selections of fields from, or the
// operation's when from is nil) on obj, of concrete type typ. It returns
// false when a non-null field became null: the object itself is then null.
func (x *run) selectionSet(typ string, obj any, sels ast.SelectionSet, from []*ast.Field, path []any) (*object, bool) {
	key := groupKey{typ: typ}
	copy(key.fields[:], from)
	groups, ok := x.groups[key]
	if !ok || len(from) > maxKeyed {
		groups = x.collect(typ, sels, nil, map[string]int{}, map[string]bool{})
		if len(from) <= maxKeyed {
			x.groups[key] = groups
		}
	}
	o := &object{keys: make([]string, 0, len(groups)), vals: make([]any, 0, len(groups))}
	for _, g := range groups {
		v, ok := x.field(typ, obj, g, append(path[:len(path):len(path)], g.key))
		if !ok {
			return nil, false
		}
		o.set(g.key, v)
	}
	return o, true
}

// lookup finds the resolver of typ.name for obj.
func lookup(typ string, obj any, name string) resolver {
	if r := resolvers[typ+"."+name]; r != nil {
		return r
	}
	switch o := obj.(type) {
	case *connection:
		r, _ := connectionField(o, name)
		return r
	case *edge:
		r, _ := edgeField(o, name)
		return r
	}
	return nil
}

// field resolves one response key and completes its value.
func (x *run) field(typ string, obj any, g fieldGroup, path []any) (any, bool) {
	f := g.fields[0]
	var t *ast.Type
	if f.Definition != nil {
		t = f.Definition.Type
	}
	if f.Name == "__typename" {
		return typ, true
	}
	if err := x.ctx.Err(); err != nil {
		return x.fail(f, path, t, err)
	}
	r := lookup(typ, obj, f.Name)
	if r == nil {
		return x.fail(f, path, t, errorf("", "gqlexec: field %s.%s is not implemented by the test server", typ, f.Name))
	}
	a, ok := x.args[f]
	if !ok {
		a.from(f, x.p.vars)
		x.args[f] = a
	}
	v, err := r(x, obj, a)
	if err != nil {
		return x.fail(f, path, t, err)
	}
	return x.complete(t, g.fields, v, path)
}

// fail records err at path and nulls the field.
func (x *run) fail(f *ast.Field, path []any, t *ast.Type, err error) (any, bool) {
	g := gqlError{Path: path, Locations: []location{loc(f.Position)}, Message: err.Error()}
	var fe *fieldError
	if errors.As(err, &fe) {
		g.Type = fe.Type
	}
	x.errs = append(x.errs, g)
	return nil, t == nil || !t.NonNull
}

// complete turns a resolved value into its response form following the
// field's type t (nil without a schema).
func (x *run) complete(t *ast.Type, fields []*ast.Field, v any, path []any) (any, bool) {
	nullable := t == nil || !t.NonNull
	if isNil(v) {
		if !nullable {
			x.errs = append(x.errs, gqlError{Path: path, Locations: []location{loc(fields[0].Position)},
				Message: fmt.Sprintf("gqlexec: cannot return null for non-nullable field %s", fields[0].Name)})
		}
		return nil, nullable
	}
	if list, ok := v.([]any); ok {
		var elem *ast.Type
		if t != nil {
			elem = t.Elem
		}
		out := make([]any, len(list))
		for i, item := range list {
			c, ok := x.complete(elem, fields, item, append(path[:len(path):len(path)], i))
			if !ok {
				return nil, nullable
			}
			out[i] = c
		}
		return out, true
	}
	switch v.(type) {
	case string, bool, int, int64, float64:
		return v, true
	case time.Time:
		return formatTime(v.(time.Time)), true
	}
	typ := typeName(v)
	if typ == "" {
		x.errs = append(x.errs, gqlError{Path: path, Message: fmt.Sprintf("gqlexec: no GraphQL type for %T", v)})
		return nil, nullable
	}
	sels := fields[0].SelectionSet
	if len(fields) > 1 {
		sels = nil
		for _, f := range fields {
			sels = append(sels, f.SelectionSet...)
		}
	}
	o, ok := x.selectionSet(typ, v, sels, fields, path)
	if !ok {
		return nil, nullable
	}
	return o, true
}

// isNil reports nil, including a nil pointer in an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
