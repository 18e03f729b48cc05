package gqlexec

import (
	"context"
	"encoding/json"
	"testing"
)

func TestCost(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		vars      map[string]any
		wantCost  int
		wantNodes int
	}{
		{name: "brief example: 1 + 100 + 100 requests",
			query:    `{ organization(login: "a") { repositories(first: 100) { nodes { pullRequests(first: 1) { totalCount } issues(first: 1) { totalCount } } } } }`,
			wantCost: 2, wantNodes: 300},
		{name: "pull requests with timeline and reviews: 1 + 50 + 50",
			query:    `{ repository(owner: "a", name: "b") { pullRequests(first: 50) { nodes { timelineItems(last: 1) { totalCount } reviews(first: 20) { totalCount } } } } }`,
			wantCost: 1, wantNodes: 50 + 50 + 1000},
		{name: "first:100 inside first:100 is 101 requests, 1 point",
			query:    `{ organization(login: "a") { repositories(first: 100) { nodes { issues(first: 100) { totalCount } } } } }`,
			wantCost: 1, wantNodes: 100 + 10000},
		{name: "three levels of first:100 is 10,101 requests, 101 points",
			query:    `{ organization(login: "a") { repositories(first: 100) { nodes { issues(first: 100) { nodes { comments(first: 1) { totalCount } } } } } } }`,
			wantCost: 101, wantNodes: 100 + 10000 + 10000},
		{name: "GitHub's documented example: 5,101 requests, 51 points",
			query:    `{ viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`,
			wantCost: 51, wantNodes: 100 + 5000 + 300000},
		{name: "page sizes from variables",
			query:    `query($a: Int!, $b: Int = 100) { organization(login: "a") { repositories(first: $a) { nodes { issues(last: $b) { totalCount } } } } }`,
			vars:     map[string]any{"a": 60.0},
			wantCost: 1, wantNodes: 60 + 6000},
		{name: "round to nearest: 1 + 100 + 100 + 100 = 301",
			query:    `{ organization(login: "a") { repositories(first: 100) { nodes { a: issues(first: 1) { totalCount } b: issues(first: 1) { totalCount } c: issues(first: 1) { totalCount } } } } }`,
			wantCost: 3, wantNodes: 400},
		{name: "connections in named and inline fragments count",
			query:    `query { repository(owner: "a", name: "b") { ...R } } fragment R on Repository { pullRequests(first: 100) { nodes { ... on PullRequest { reviews(first: 100) { totalCount } } comments(first: 100) { totalCount } } } }`,
			wantCost: 2, wantNodes: 100 + 10000 + 10000},
		{name: "maxRepositories multiplies the connections below it: 100 + 1 + 1",
			query:    `{ user(login: "a") { contributionsCollection { commitContributionsByRepository(maxRepositories: 100) { contributions(first: 100) { totalCount } } pullRequestContributions(first: 100) { totalCount } issueContributions(first: 50) { totalCount } } } }`,
			wantCost: 1, wantNodes: 100 + 10000 + 100 + 50},
		{name: "maxRepositories defaults to 25",
			query:    `{ user(login: "a") { contributionsCollection { commitContributionsByRepository { contributions(first: 100) { nodes { commitCount } } } } } }`,
			wantCost: 1, wantNodes: 25 + 2500},
		{name: "reviews of 100 pull request contributions: 1 + 100 + 100",
			query:    `{ user(login: "a") { contributionsCollection { pullRequestContributions(first: 100) { nodes { pullRequest { reviews(first: 10) { totalCount } comments(first: 10) { totalCount } } } } } } }`,
			wantCost: 2, wantNodes: 100 + 1000 + 1000},
		{name: "no connection costs the minimum", query: `{ repository(owner: "a", name: "b") { name } }`, wantCost: 1},
		{name: "rateLimit alone is free but the minimum is 1", query: `{ rateLimit { cost remaining } }`, wantCost: 1},
	}
	e := New(smallDataset(), schemaOrNil(t))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, b := e.Prepare(Request{Query: tc.query, Variables: tc.vars})
			if b != nil {
				t.Fatalf("rejected: %s", b)
			}
			if p.Cost() != tc.wantCost {
				t.Errorf("cost %d, want %d", p.Cost(), tc.wantCost)
			}
			if p.nodeCount != tc.wantNodes {
				t.Errorf("nodeCount %d, want %d", p.nodeCount, tc.wantNodes)
			}
		})
	}
}

func TestRateLimitField(t *testing.T) {
	e := New(smallDataset(), schemaOrNil(t))
	q := `{ rateLimit { cost remaining resetAt limit used nodeCount } organization(login: "aws-samples") { repositories(first: 100) { nodes { a: issues(first: 100) { totalCount } b: issues(first: 100) { totalCount } } } } }`
	var data struct {
		RateLimit struct {
			Cost, Remaining, Limit, Used, NodeCount int
			ResetAt                                 string
		}
		Organization json.RawMessage
	}
	decodeOK(t, exec(t, e, q, nil), &data)
	rl := data.RateLimit
	if rl.Cost != 2 || rl.Remaining != testRate.Remaining || rl.Limit != testRate.Limit || rl.Used != testRate.Used ||
		rl.NodeCount != 100+2*10000 || rl.ResetAt != "2026-11-01T01:00:00Z" {
		t.Errorf("rateLimit = %+v", rl)
	}
	// The server may say what it charged.
	p, _ := e.Prepare(Request{Query: `{ rateLimit { cost } }`})
	charged := testRate
	charged.Cost = 7
	if got := string(e.Run(context.Background(), p, charged)); got != `{"data":{"rateLimit":{"cost":7}}}` {
		t.Errorf("with RateLimit.Cost 7: %s", got)
	}
}
