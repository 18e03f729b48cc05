package roster

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// decoder reads a YAML tree into the file's structs field by field, so
// that each unknown field and each value of the wrong type is a problem
// of its own and the rest of the file is still read and checked (a
// strict decode of the whole file stops at the first).
type decoder struct {
	file    string
	ps      Problems
	anchors map[string]ast.Node
}

func (d *decoder) problem(line int, field, format string, args ...any) {
	d.ps = append(d.ps, Problem{File: d.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// resolve returns the node n stands for: the value of an anchor (which it
// remembers), of an alias, or of a tag. Nil is null.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case nil, *ast.NullNode:
			return nil
		case *ast.AnchorNode:
			if v.Name != nil {
				d.anchors[v.Name.GetToken().Value] = v.Value
			}
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if v.Value != nil {
				name = v.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			if !ok {
				d.problem(tokenLine(v), "", "alias *%s names no anchor defined before it", name)
				return nil
			}
			n = target
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// pairs returns a mapping's key-value pairs, with the pairs of merge keys
// (<<: *base) first, so that the mapping's own keys override them.
func (d *decoder) pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	var own []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		own = m.Values
	case *ast.MappingValueNode:
		own = []*ast.MappingValueNode{m}
	default:
		return nil, false
	}
	var merged, rest []*ast.MappingValueNode
	for _, p := range own {
		if p.Key == nil || !p.Key.IsMergeKey() {
			rest = append(rest, p)
			continue
		}
		bases := []ast.Node{d.resolve(p.Value)}
		if s, ok := bases[0].(*ast.SequenceNode); ok {
			bases = s.Values
		}
		for _, b := range bases {
			ps, ok := d.pairs(d.resolve(b))
			if !ok {
				d.problem(tokenLine(p), "<<", "a merge key takes a mapping or a list of mappings")
				continue
			}
			merged = append(merged, ps...)
		}
	}
	return append(merged, rest...), true
}

// keyName is a mapping key as written.
func keyName(p *ast.MappingValueNode) string {
	if p.Key == nil || p.Key.GetToken() == nil {
		return ""
	}
	return p.Key.GetToken().Value
}

// fieldsOf maps a struct type's yaml names to field indexes.
func fieldsOf(t reflect.Type) (map[string]int, []string) {
	byName := map[string]int{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		byName[name] = i
		names = append(names, name)
	}
	return byName, names
}

// join names a field below path (path "" is the entry itself).
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// value decodes n into dst, a settable value, as the field path of the
// entry w locates (memberships[0].from). It records the line of every
// field and list element in w, and marks those it could not read bad, so
// that the checks do not report them a second time.
func (d *decoder) value(n ast.Node, dst reflect.Value, path string, w *where) {
	line := tokenLine(n)
	n = d.resolve(n)
	if n == nil {
		return // null or nothing: the zero value, as if left out
	}
	if path != "" {
		w.lines[path] = tokenLine(n)
	}
	switch {
	case dst.Kind() == reflect.Struct:
		ps, ok := d.pairs(n)
		if !ok {
			d.bad(w, path, tokenLine(n), "want a mapping of fields (%s), got %s", strings.Join(knownFields(dst.Type()), ", "), describe(n))
			return
		}
		byName, names := fieldsOf(dst.Type())
		seen := map[string]bool{}
		for _, p := range ps {
			name := keyName(p)
			field := join(path, name)
			i, known := byName[name]
			switch {
			case !known:
				d.problem(tokenLine(p.Key), field, "unknown field%s (known: %s)", didYouMean(name, names), strings.Join(names, ", "))
				continue
			case seen[name] && !p.Key.IsMergeKey():
				d.problem(tokenLine(p.Key), field, "listed twice in one entry")
			}
			seen[name] = true
			d.value(p.Value, dst.Field(i), field, w)
		}
	case dst.Kind() == reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.bad(w, path, tokenLine(n), "want a list such as [a, b], got %s", describe(n))
			return
		}
		out := reflect.MakeSlice(dst.Type(), 0, len(seq.Values))
		for i, e := range seq.Values {
			// A bad element stays as a zero value, so that the others keep
			// their index in problems.
			elem := reflect.New(dst.Type().Elem()).Elem()
			ep := fmt.Sprintf("%s[%d]", path, i)
			if e := d.resolve(e); e != nil {
				w.lines[ep] = tokenLine(e)
			}
			d.value(e, elem, ep, w)
			out = reflect.Append(out, elem)
		}
		dst.Set(out)
	default:
		if _, scalar := n.(ast.ScalarNode); !scalar {
			d.bad(w, path, line, "want %s, got %s", wantOf(dst.Type()), describe(n))
			return
		}
		if err := yaml.NodeToValue(n, dst.Addr().Interface()); err != nil {
			d.bad(w, path, tokenLine(n), "want %s, got %s", wantOf(dst.Type()), describe(n))
		}
	}
}

// bad reports a value that could not be read and marks its field.
func (d *decoder) bad(w *where, path string, line int, format string, args ...any) {
	d.problem(line, path, format, args...)
	w.bad[path] = true
}

func knownFields(t reflect.Type) []string {
	_, names := fieldsOf(t)
	return names
}

// describe says what a node holds, for problems.
func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	s := n.String()
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// wantOf says what a Go type of the file's structs takes.
func wantOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Float64:
		return "a number"
	}
	return "a text value"
}

// didYouMean suggests the known name closest to an unknown one.
func didYouMean(name string, known []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	for _, k := range sorted {
		if d := editDistance(strings.ToLower(name), k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(": did you mean %s?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
