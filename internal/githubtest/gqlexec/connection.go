package gqlexec

import (
	"cmp"
	"encoding/base64"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// connection is one page of a connection: what nodes, edges, pageInfo and
// totalCount answer.
type connection struct {
	typ, edgeTyp     string
	total            int
	filtered         int // between after and before, before first/last
	nodes            []any
	cursors          []string
	hasNext, hasPrev bool
	// edgeField answers edge fields other than cursor and node, such as
	// StargazerEdge.starredAt.
	edgeField map[string]func(i int) any
}

func (c *connection) gqlType() string { return c.typ }

// edge is the i-th edge of a connection page.
type edge struct {
	c *connection
	i int
}

func (e *edge) gqlType() string { return e.c.edgeTyp }

type pageInfo struct {
	c *connection
}

func (p *pageInfo) gqlType() string { return "PageInfo" }

// connectionField answers the fields every connection type has.
func connectionField(c *connection, name string) (resolver, bool) {
	switch name {
	case "totalCount":
		return func(*run, any, args) (any, error) { return c.total, nil }, true
	case "filteredCount":
		return func(*run, any, args) (any, error) { return c.filtered, nil }, true
	case "pageCount":
		return func(*run, any, args) (any, error) { return len(c.nodes), nil }, true
	case "nodes":
		return func(*run, any, args) (any, error) { return c.nodes, nil }, true
	case "edges":
		return func(*run, any, args) (any, error) {
			out := make([]any, len(c.nodes))
			for i := range out {
				out[i] = &edge{c, i}
			}
			return out, nil
		}, true
	case "pageInfo":
		return func(*run, any, args) (any, error) { return &pageInfo{c}, nil }, true
	}
	return nil, false
}

func edgeField(e *edge, name string) (resolver, bool) {
	switch name {
	case "cursor":
		return func(*run, any, args) (any, error) { return e.c.cursors[e.i], nil }, true
	case "node":
		return func(*run, any, args) (any, error) { return e.c.nodes[e.i], nil }, true
	}
	if f := e.c.edgeField[name]; f != nil {
		return func(*run, any, args) (any, error) { return f(e.i), nil }, true
	}
	return nil, false
}

func registerConnections(reg map[string]resolver) {
	on(reg, "PageInfo", map[string]func(*run, *pageInfo, args) (any, error){
		"hasNextPage":     plain(func(p *pageInfo) any { return p.c.hasNext }),
		"hasPreviousPage": plain(func(p *pageInfo) any { return p.c.hasPrev }),
		"startCursor": plain(func(p *pageInfo) any {
			if len(p.c.cursors) == 0 {
				return nil
			}
			return p.c.cursors[0]
		}),
		"endCursor": plain(func(p *pageInfo) any {
			if len(p.c.cursors) == 0 {
				return nil
			}
			return p.c.cursors[len(p.c.cursors)-1]
		}),
	})
}

// ckey is an item's position in an ordering: compared by N, then S, then
// ID. It is what a cursor carries, so that a page continues after the
// last item seen even when items were added or moved meanwhile, as with
// GitHub's cursors.
type ckey struct {
	N  int64
	S  string
	ID int64
}

func cmpKey(a, b ckey) int {
	if c := cmp.Compare(a.N, b.N); c != 0 {
		return c
	}
	if c := strings.Compare(a.S, b.S); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func tkey(t time.Time, id int64) ckey { return ckey{N: t.UnixNano(), ID: id} }

const cursorPrefix = "cursor:v2:"

func encodeCursor(k ckey) string {
	s := cursorPrefix + strconv.FormatInt(k.N, 10) + ":" + strconv.FormatInt(k.ID, 10) + ":" + k.S
	return base64.StdEncoding.EncodeToString([]byte(s))
}

func decodeCursor(c string) (ckey, error) {
	bad := errorf("INVALID_CURSOR_ARGUMENTS", "`%s` does not appear to be a valid cursor.", c)
	raw, err := base64.StdEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) {
		return ckey{}, bad
	}
	parts := strings.SplitN(strings.TrimPrefix(string(raw), cursorPrefix), ":", 3)
	if len(parts) != 3 {
		return ckey{}, bad
	}
	n, err1 := strconv.ParseInt(parts[0], 10, 64)
	id, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return ckey{}, bad
	}
	return ckey{N: n, ID: id, S: parts[2]}, nil
}

// window applies first/last to the items between positions start and end
// (after and before already applied), returning the page's bounds.
func window(a args, conn string, start, end int) (int, int, error) {
	if _, has, err := a.pageSize(conn); err != nil {
		return 0, 0, err
	} else if !has {
		return 0, 0, errorf("MISSING_PAGINATION_BOUNDARIES",
			"You must provide a `first` or `last` value to properly paginate the `%s` connection.", conn)
	}
	if end < start {
		end = start
	}
	if n, ok := a.integer("first"); ok {
		end = min(end, start+n)
	}
	if n, ok := a.integer("last"); ok {
		start = max(start, end-n)
	}
	return start, end, nil
}

// paginate sorts items by key (descending when desc), applies after,
// before, first and last from a, and wraps the page's items as nodes.
// conn is the field name, typ the connection type.
func paginate[T any](a args, conn, typ string, items []T, key func(T) ckey, desc bool, wrap func(T) any) (*connection, error) {
	type keyed struct {
		k ckey
		v T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ks[i] = keyed{key(it), it}
	}
	dir := func(a, b ckey) int {
		if desc {
			return cmpKey(b, a)
		}
		return cmpKey(a, b)
	}
	slices.SortStableFunc(ks, func(x, y keyed) int { return dir(x.k, y.k) })
	start, end := 0, len(ks)
	if c := a.str("after"); a.has("after") {
		k, err := decodeCursor(c)
		if err != nil {
			return nil, err
		}
		start = sort.Search(len(ks), func(i int) bool { return dir(ks[i].k, k) > 0 })
	}
	if c := a.str("before"); a.has("before") {
		k, err := decodeCursor(c)
		if err != nil {
			return nil, err
		}
		end = sort.Search(len(ks), func(i int) bool { return dir(ks[i].k, k) >= 0 })
	}
	filtered := max(end-start, 0)
	start, end, err := window(a, conn, start, end)
	if err != nil {
		return nil, err
	}
	c := &connection{typ: typ, edgeTyp: edgeType(typ), total: len(ks), filtered: filtered,
		hasPrev: start > 0, hasNext: end < len(ks)}
	for _, kv := range ks[start:end] {
		c.nodes = append(c.nodes, wrap(kv.v))
		c.cursors = append(c.cursors, encodeCursor(kv.k))
	}
	if c.nodes == nil {
		c.nodes = []any{}
	}
	return c, nil
}

// edgeType names a connection's edge type: FooConnection -> FooEdge.
func edgeType(conn string) string { return strings.TrimSuffix(conn, "Connection") + "Edge" }
