// Package gqlexec executes GitHub GraphQL API queries over a ghdata
// dataset: it validates each query against GitHub's real schema, prices it
// the way GitHub does, and resolves it field by field.
//
// It is test support: production code never imports it.
//
// Fields are answered by a table of resolvers keyed by "Type.field" (see
// resolvers and on); a field missing from the table is an error naming
// it, never a silent null. Connections share one pagination path
// (paginate) with GitHub's first/last/after/before rules and opaque
// cursors that carry the position of the last item seen.
package gqlexec

import (
	"context"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"contribtrack/internal/githubtest/ghdata"
)

// Request is a GraphQL request body as clients (githubv4) send it.
type Request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName,omitempty"`
}

// RateLimit is the state of the caller's GraphQL budget after this query
// was charged; it answers the rateLimit field. Cost is what the query was
// charged; zero means Prepared.Cost.
type RateLimit struct {
	Limit, Remaining, Used, Cost int
	ResetAt                      time.Time
}

// Executor runs queries over one dataset. It is safe for concurrent use.
type Executor struct {
	ds     *ghdata.Dataset
	schema *ast.Schema
}

// New returns an executor over ds. With a nil schema queries are executed
// without validation (the demo when GitHub's schema file is absent).
func New(ds *ghdata.Dataset, schema *ast.Schema) *Executor { return &Executor{ds: ds, schema: schema} }

// Prepared is a parsed, validated query with its cost. It is immutable and
// may be run any number of times, concurrently.
type Prepared struct {
	doc       *ast.QueryDocument
	op        *ast.OperationDefinition
	vars      map[string]any
	cost      int
	nodeCount int
}

// Cost is the query's rate-limit cost in points, as GitHub computes it:
// each connection needs as many requests as the product of the first/last
// of the connections enclosing it (one at the top); the sum over all
// connections divided by 100, rounded, is the cost, at least 1. A
// ContributionsCollection's ...ByRepository list is no connection but
// multiplies the connections below it by its maxRepositories.
func (p *Prepared) Cost() int { return p.cost }

// Prepare parses and validates req. The error, when not nil, is the JSON
// body GitHub answers an invalid query with (HTTP 200, "errors" list).
func (e *Executor) Prepare(req Request) (*Prepared, []byte) {
	p, errs := e.prepare(req)
	if errs != nil {
		return nil, body(false, nil, errs)
	}
	return p, nil
}

// Run executes p and returns the whole JSON response body ({"data": ...}
// plus "errors" for fields that could not be resolved, such as a missing
// repository). It holds the dataset's read lock while it runs.
func (e *Executor) Run(ctx context.Context, p *Prepared, rl RateLimit) []byte {
	if ctx == nil {
		ctx = context.Background()
	}
	x := &run{ctx: ctx, e: e, p: p, rl: rl, caches: map[any]any{},
		groups: map[groupKey][]fieldGroup{}, args: map[*ast.Field]args{}}
	e.ds.RLock()
	data, ok := x.selectionSet("Query", queryRoot{}, p.op.SelectionSet, nil, nil)
	e.ds.RUnlock()
	if !ok {
		return body(true, nil, x.errs)
	}
	return body(true, data, x.errs)
}
