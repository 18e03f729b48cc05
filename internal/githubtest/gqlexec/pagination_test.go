package gqlexec

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/githubtest/ghdata"
)

type tNumConn struct {
	TotalCount int `json:"totalCount"`
	PageInfo   struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		StartCursor     *string `json:"startCursor"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
	Edges []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			Number int `json:"number"`
		} `json:"node"`
	} `json:"edges"`
}

func TestBackwardPagination(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	r := ds.Repos[0]
	q := `query($o: String!, $n: String!, $before: String) { repository(owner: $o, name: $n) {
  pullRequests(last: 3, before: $before, orderBy: {field: CREATED_AT, direction: ASC}) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { number } } } } }`
	var got []int
	var before any
	for i := 0; ; i++ {
		var data struct {
			Repository struct {
				PullRequests tNumConn `json:"pullRequests"`
			} `json:"repository"`
		}
		decodeOK(t, exec(t, e, q, map[string]any{"o": r.Owner.Login, "n": r.Name, "before": before}), &data)
		c := data.Repository.PullRequests
		var page []int
		for _, ed := range c.Edges {
			page = append(page, ed.Node.Number)
		}
		got = append(page, got...)
		if len(c.Edges) == 0 || *c.PageInfo.StartCursor != c.Edges[0].Cursor || *c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor {
			t.Fatalf("page %d: pageInfo cursors do not match the edges: %+v", i, c)
		}
		if c.PageInfo.HasNextPage != (i > 0) {
			t.Errorf("page %d: hasNextPage %v", i, c.PageInfo.HasNextPage)
		}
		if !c.PageInfo.HasPreviousPage {
			break
		}
		before = *c.PageInfo.StartCursor
	}
	var want []int
	for _, p := range r.Pulls { // by number, which follows creation
		want = append(want, p.Number)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pull requests paged backwards (-want +got):\n%s", diff)
	}
}

func TestFilters(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	r := ds.Repos[0]
	count := func(pred func(st string) bool, states []string) int {
		n := 0
		for _, s := range states {
			if pred(s) {
				n++
			}
		}
		return n
	}
	var pullStates, issueStates []string
	for _, p := range r.Pulls {
		pullStates = append(pullStates, pullState(p))
	}
	for _, is := range r.Issues {
		issueStates = append(issueStates, issueState(is))
	}
	forks := 0
	for _, x := range ds.OrgRepos(r.Owner.Login) {
		if x.Fork {
			forks++
		}
	}
	head := r.Commits[len(r.Commits)-1]
	since, until := r.Commits[5].CommittedAt, r.Commits[len(r.Commits)-5].CommittedAt
	tests := []struct {
		name  string
		query string
		want  int
	}{
		{"merged pull requests", `pullRequests(first: 100, states: [MERGED]) { totalCount }`, count(func(s string) bool { return s == "MERGED" }, pullStates)},
		{"open or closed pull requests", `pullRequests(first: 100, states: [OPEN, CLOSED]) { totalCount }`, count(func(s string) bool { return s != "MERGED" }, pullStates)},
		{"open issues", `issues(first: 100, states: [OPEN]) { totalCount }`, count(func(s string) bool { return s == "OPEN" }, issueStates)},
		{"closed issues by filterBy", `issues(first: 100, filterBy: {states: [CLOSED]}) { totalCount }`, count(func(s string) bool { return s == "CLOSED" }, issueStates)},
		{"issues are not pull requests", `issues(first: 100) { totalCount }`, len(r.Issues)},
		{"history since and until", fmt.Sprintf(`defaultBranchRef { target { ... on Commit { history(first: 100, since: %q, until: %q) { totalCount } } } }`,
			since.Format(time.RFC3339), until.Format(time.RFC3339)), len(r.Commits) - 5 - 4},
		{"whole history", `defaultBranchRef { target { ... on Commit { history(first: 1) { totalCount } } } }`, len(r.Commits)},
		{"history from the head's date", fmt.Sprintf(`defaultBranchRef { target { ... on Commit { history(first: 1, since: %q) { totalCount } } } }`,
			head.CommittedAt.Format(time.RFC3339)), 1},
		{"forks of the organisation", `owner { ... on Organization { repositories(first: 100, isFork: true) { totalCount } } }`, forks},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { ` + tc.query + ` } }`
			var data map[string]any
			decodeOK(t, exec(t, e, q, map[string]any{"o": r.Owner.Login, "n": r.Name}), &data)
			got := findNumber(data, "totalCount")
			if got != tc.want {
				t.Errorf("totalCount %d, want %d in %v", got, tc.want, data)
			}
		})
	}
}

// findNumber returns the first number under key k anywhere in v.
func findNumber(v any, k string) int {
	switch v := v.(type) {
	case map[string]any:
		if n, ok := v[k].(float64); ok {
			return int(n)
		}
		for _, x := range v {
			if n := findNumber(x, k); n >= 0 {
				return n
			}
		}
	case []any:
		for _, x := range v {
			if n := findNumber(x, k); n >= 0 {
				return n
			}
		}
	}
	return -1
}

func TestStargazers(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	r := ds.Repos[1]
	q := `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { stargazers(first: 100, orderBy: {field: STARRED_AT, direction: DESC}) {
  totalCount edges { starredAt node { login databaseId } } } } }`
	type star struct {
		StarredAt time.Time `json:"starredAt"`
		Node      struct {
			Login      string `json:"login"`
			DatabaseID int64  `json:"databaseId"`
		} `json:"node"`
	}
	var data struct {
		Repository struct {
			Stargazers struct {
				TotalCount int    `json:"totalCount"`
				Edges      []star `json:"edges"`
			} `json:"stargazers"`
		} `json:"repository"`
	}
	decodeOK(t, exec(t, e, q, map[string]any{"o": r.Owner.Login, "n": r.Name}), &data)
	var want []star
	for _, s := range slices.Backward(r.Stars) {
		var w star
		w.StarredAt, w.Node.Login, w.Node.DatabaseID = s.StarredAt, s.User.Login, s.User.ID
		want = append(want, w)
	}
	if diff := cmp.Diff(want, data.Repository.Stargazers.Edges); diff != "" || data.Repository.Stargazers.TotalCount != len(r.Stars) {
		t.Errorf("stargazers newest first (-want +got):\n%s", diff)
	}
}

// TestCursorKeepsItsPlace pages through pull requests while new ones are
// opened: a cursor marks the last item seen, as on GitHub, so nothing is
// seen twice and the new ones come last.
func TestCursorKeepsItsPlace(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(2))
	e := New(ds, schemaOrNil(t))
	r := ds.Repos[0]
	q := `query($o: String!, $n: String!, $after: String) { repository(owner: $o, name: $n) {
  pullRequests(first: 4, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) { pageInfo { hasNextPage endCursor } nodes { number } } } }`
	type page struct {
		Repository struct {
			PullRequests struct {
				PageInfo tPageInfo              `json:"pageInfo"`
				Nodes    []struct{ Number int } `json:"nodes"`
			} `json:"pullRequests"`
		} `json:"repository"`
	}
	var seen []int
	vars := map[string]any{"o": r.Owner.Login, "n": r.Name, "after": nil}
	for i := 0; i < 100; i++ {
		var p page
		decodeOK(t, exec(t, e, q, vars), &p)
		for _, n := range p.Repository.PullRequests.Nodes {
			seen = append(seen, n.Number)
		}
		if i == 1 {
			ds.AddActivity(ghdata.Activity{Seed: 5, Pulls: 3, OnlyRepos: []string{r.FullName()}})
		}
		if !p.Repository.PullRequests.PageInfo.HasNextPage {
			break
		}
		vars["after"] = *p.Repository.PullRequests.PageInfo.EndCursor
	}
	var want []int
	for _, p := range r.Pulls {
		want = append(want, p.Number)
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("pull requests seen while new ones were opened (-want +got):\n%s", diff)
	}
}

// TestConcurrentRuns runs queries while the dataset grows (go test -race).
func TestConcurrentRuns(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(3))
	e := New(ds, schemaOrNil(t))
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				ds.RLock()
				r := ds.Repos[(g+i)%len(ds.Repos)]
				owner, name := r.Owner.Login, r.Name
				ds.RUnlock()
				for _, q := range collectorQueries {
					vars := map[string]any{"owner": owner, "name": name, "login": owner, "number": 1}
					p, b := e.Prepare(Request{Query: q.query, Variables: vars})
					if b != nil {
						t.Error(string(b))
						return
					}
					e.Run(context.Background(), p, testRate)
				}
			}
		}()
	}
	for i := 0; i < 5; i++ {
		ds.AddActivity(ghdata.Activity{Seed: uint64(i), Pulls: 1, Issues: 1, Commits: 2, CommentsOnOld: 2, ReviewsOnOld: 1, CloseOld: 1})
	}
	wg.Wait()
}

// TestWithoutSchemaSameAnswers runs the collector's queries with and
// without GitHub's schema: the answers must be byte for byte the same.
func TestWithoutSchemaSameAnswers(t *testing.T) {
	ds := smallDataset()
	with, without := New(ds, githubSchema(t)), New(ds, nil)
	for _, r := range ds.Repos {
		for _, q := range collectorQueries {
			vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "login": r.Owner.Login, "number": r.Pulls[0].Number}
			a, b := exec(t, with, q.query, vars), exec(t, without, q.query, vars)
			if !bytes.Equal(a, b) {
				t.Errorf("%s on %s differs without the schema:\n%s\n%s", q.name, r.FullName(), a, b)
			}
		}
	}
}
