package gqlexec

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// fieldError is an error a resolver reports: GitHub's error type (such as
// NOT_FOUND) and message. The executor adds the path and locations.
type fieldError struct {
	Type    string
	Message string
}

func (e *fieldError) Error() string { return e.Message }

func errorf(typ, format string, a ...any) *fieldError {
	return &fieldError{Type: typ, Message: fmt.Sprintf(format, a...)}
}

// args are a field's argument values, variables resolved and schema
// defaults applied.
type args struct {
	m        map[string]any
	explicit map[string]bool // written in the query (not a default, not an unset variable)
}

func (a *args) from(f *ast.Field, vars map[string]any) {
	a.explicit = map[string]bool{}
	if f.Definition != nil && len(f.Definition.Arguments) > 0 {
		a.m = f.ArgumentMap(vars)
	} else {
		a.m = map[string]any{}
		for _, arg := range f.Arguments {
			if v, err := arg.Value.Value(vars); err == nil {
				a.m[arg.Name] = v
			}
		}
	}
	for _, arg := range f.Arguments {
		if v, ok := a.m[arg.Name]; ok && v != nil {
			a.explicit[arg.Name] = true
		}
	}
}

// unsupported fails when the query sets one of names: arguments the test
// server does not implement must not be silently ignored.
func (a args) unsupported(field string, names ...string) error {
	for _, n := range names {
		if a.explicit[n] {
			return errorf("", "gqlexec: argument %s of %s is not implemented by the test server", n, field)
		}
	}
	return nil
}

func (a args) has(name string) bool { return a.m[name] != nil }

func (a args) str(name string) string {
	s, _ := a.m[name].(string)
	return s
}

func (a args) boolean(name string) (v, ok bool) {
	v, ok = a.m[name].(bool)
	return v, ok
}

func (a args) integer(name string) (int, bool) { return toInt(a.m[name]) }

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(n), true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int(n), true
		}
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return int(i), true
		}
	}
	return 0, false
}

// strs returns a list argument of strings (enum values).
func (a args) strs(name string) []string { return toStrs(a.m[name]) }

func toStrs(v any) []string {
	switch l := v.(type) {
	case string:
		return []string{l}
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// obj returns an input-object argument.
func (a args) obj(name string) map[string]any {
	m, _ := a.m[name].(map[string]any)
	return m
}

// order returns orderBy's field and whether its direction is DESC.
func (a args) order() (field string, desc bool, ok bool) {
	o := a.obj("orderBy")
	if o == nil {
		return "", false, false
	}
	f, _ := o["field"].(string)
	d, _ := o["direction"].(string)
	return f, d == "DESC", true
}

// timeArg parses a DateTime or GitTimestamp argument.
func timeArg(v any, name string) (time.Time, bool, error) {
	if v == nil {
		return time.Time{}, false, nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false, errorf("", "Argument '%s' must be an ISO-8601 encoded UTC date string", name)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false, errorf("", "Argument '%s' on field is not a valid ISO-8601 date: %q", name, s)
	}
	return t, true, nil
}

// pageSize checks first and last (GitHub requires 1..100) and returns the
// larger one given.
func (a args) pageSize(conn string) (n int, has bool, err *fieldError) {
	for _, k := range []string{"first", "last"} {
		v, ok := a.m[k]
		if !ok || v == nil {
			continue
		}
		x, ok := toInt(v)
		switch {
		case !ok:
			return 0, false, errorf("", "Argument '%s' on Field '%s' has an invalid value (%v). Expected type 'Int'.", k, conn, v)
		case x > maxPage:
			return 0, false, errorf("EXCESSIVE_PAGINATION",
				"Requesting %d records on the `%s` connection exceeds the `%s` limit of %d records.", x, conn, k, maxPage)
		case x < 1:
			return 0, false, errorf("EXCESSIVE_PAGINATION",
				"Requesting %d records on the `%s` connection is below the `%s` minimum of 1 record.", x, conn, k)
		}
		n, has = max(n, x), true
	}
	return n, has, nil
}
