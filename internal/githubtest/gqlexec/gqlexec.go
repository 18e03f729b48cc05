// Package gqlexec executes GitHub GraphQL API queries over a ghdata
// dataset: it validates each query against GitHub's real schema, prices it
// the way GitHub does, and resolves it field by field.
//
// It is test support: production code never imports it.
package gqlexec

import (
	"context"
	"errors"
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
// was charged; it answers the rateLimit field.
type RateLimit struct {
	Limit, Remaining, Used, Cost int
	ResetAt                      time.Time
}

// Executor runs queries over one dataset.
type Executor struct {
	ds     *ghdata.Dataset
	schema *ast.Schema
}

// New returns an executor over ds. With a nil schema queries are executed
// without validation (the demo when GitHub's schema file is absent).
func New(ds *ghdata.Dataset, schema *ast.Schema) *Executor { return &Executor{ds: ds, schema: schema} }

// LoadSchema loads GitHub's published SDL, dropping the exact duplicate
// field definitions it contains.
func LoadSchema(sdl string) (*ast.Schema, error) { return nil, errors.New("gqlexec: not implemented") }

// Prepared is a parsed, validated query with its cost.
type Prepared struct{ cost int }

// Cost is the query's rate-limit cost in points, as GitHub computes it.
func (p *Prepared) Cost() int { return p.cost }

// Prepare parses and validates req. The error, when not nil, is the JSON
// body GitHub answers an invalid query with (HTTP 200, "errors" list).
func (e *Executor) Prepare(req Request) (*Prepared, []byte) {
	return nil, []byte(`{"errors":[{"message":"not implemented"}]}`)
}

// Run executes p and returns the whole JSON response body ({"data": ...}
// plus "errors" for fields that could not be resolved, such as a missing
// repository).
func (e *Executor) Run(ctx context.Context, p *Prepared, rl RateLimit) []byte {
	return []byte(`{"errors":[{"message":"not implemented"}]}`)
}
