package gqlexec

import (
	"context"
	"sync"
	"testing"

	"contribtrack/internal/githubtest/ghdata"
)

// benchDataset is the cost benchmark's dataset, generated once.
var benchDataset = sync.OnceValue(func() *ghdata.Dataset { return ghdata.Generate(ghdata.BenchSpec(1)) })

// benchCollect runs one full collection over ghdata.BenchSpec: every
// collector query on every repository, paging to the end. It returns the
// number of requests served.
func benchCollect(b testing.TB, e *Executor) int {
	n := 0
	ds := e.ds
	run := func(q string, vars map[string]any, cursor func(map[string]any) (string, bool)) {
		vars["after"] = nil
		for {
			p, errBody := e.Prepare(Request{Query: q, Variables: vars})
			if errBody != nil {
				b.Fatalf("%s", errBody)
			}
			var data map[string]any
			decodeOK(b, e.Run(context.Background(), p, testRate), &data)
			n++
			c, more := cursor(data)
			if !more {
				return
			}
			vars["after"] = c
		}
	}
	// pageInfo follows a path of object keys to a connection's pageInfo.
	pageInfo := func(path ...string) func(map[string]any) (string, bool) {
		return func(d map[string]any) (string, bool) {
			var v any = d
			for _, k := range path {
				v = v.(map[string]any)[k]
			}
			pi := v.(map[string]any)["pageInfo"].(map[string]any)
			c, _ := pi["endCursor"].(string)
			return c, pi["hasNextPage"] == true
		}
	}
	for _, org := range ds.Orgs {
		run(qOrgRepos, map[string]any{"login": org.Login}, pageInfo("repositoryOwner", "repositories"))
	}
	for _, r := range ds.Repos {
		v := func() map[string]any { return map[string]any{"owner": r.Owner.Login, "name": r.Name} }
		run(qPulls, v(), pageInfo("repository", "pullRequests"))
		run(qIssues, v(), pageInfo("repository", "issues"))
		run(qCommits, v(), pageInfo("repository", "defaultBranchRef", "target", "history"))
	}
	return n
}

// BenchmarkCollectorQueries serves a whole collection of the cost
// benchmark's dataset (20 repositories, 2,000 pull requests).
func BenchmarkCollectorQueries(b *testing.B) {
	e := New(benchDataset(), schemaOrNil(b))
	b.ResetTimer()
	requests := 0
	for i := 0; i < b.N; i++ {
		requests = benchCollect(b, e)
	}
	b.ReportMetric(float64(requests), "requests/op")
}
