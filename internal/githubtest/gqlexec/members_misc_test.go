package gqlexec

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/shurcooL/githubv4"
)

// The members queries against GitHub's schema, the span rules, errors,
// organizationID, default order, and githubv4.

func TestMemberQueriesValidate(t *testing.T) {
	e := New(smallDataset(), githubSchema(t))
	for _, q := range memberQueries {
		t.Run(q.name, func(t *testing.T) {
			p, errBody := e.Prepare(Request{Query: q.query, Variables: q.vars})
			if errBody != nil {
				t.Fatalf("GitHub's schema rejects the query: %s", errBody)
			}
			if p.Cost() != q.cost || p.nodeCount != q.nodes {
				t.Errorf("cost %d, nodes %d; want %d, %d", p.Cost(), p.nodeCount, q.cost, q.nodes)
			}
		})
	}
}

func TestContributionsSpanAndErrors(t *testing.T) {
	ds := smallDataset()
	e := New(ds, githubSchema(t))
	u := activeUsers(ds)[0]
	now := ds.Now.Format(time.RFC3339)
	yearAgo := ds.Now.AddDate(-1, 0, 0).Format(time.RFC3339)
	span := func(args string) string {
		return `{ user(login: "` + u.Login + `") { contributionsCollection` + args + ` { startedAt endedAt } } }`
	}
	tooLong := tError{Path: []any{"user", "contributionsCollection"},
		Message: "The total time spanned by 'from' and 'to' must not exceed 1 year"}
	tests := []struct {
		name     string
		query    string
		wantData string
		wantErr  *tError
	}{
		{name: "a calendar year",
			query:    span(`(from: "2022-01-01T00:00:00Z", to: "2023-01-01T00:00:00Z")`),
			wantData: `{"user":{"contributionsCollection":{"startedAt":"2022-01-01T00:00:00Z","endedAt":"2023-01-01T00:00:00Z"}}}`},
		{name: "366 days",
			query:    span(`(from: "2022-01-01T00:00:00Z", to: "2023-01-02T00:00:00Z")`),
			wantData: `{"user":{"contributionsCollection":{"startedAt":"2022-01-01T00:00:00Z","endedAt":"2023-01-02T00:00:00Z"}}}`},
		{name: "366 days and a second", query: span(`(from: "2022-01-01T00:00:00Z", to: "2023-01-02T00:00:01Z")`),
			wantData: `{"user":null}`, wantErr: &tooLong},
		{name: "more than a year backwards", query: span(`(from: "2023-06-01T00:00:00Z", to: "2022-01-01T00:00:00Z")`),
			wantData: `{"user":null}`, wantErr: &tooLong},
		{name: "from alone: a year from it",
			query:    span(`(from: "2021-03-04T05:06:07+02:00")`),
			wantData: `{"user":{"contributionsCollection":{"startedAt":"2021-03-04T03:06:07Z","endedAt":"2022-03-04T03:06:07Z"}}}`},
		{name: "to alone: the year before it",
			query:    span(`(to: "2024-02-29T12:00:00Z")`),
			wantData: `{"user":{"contributionsCollection":{"startedAt":"2023-02-28T12:00:00Z","endedAt":"2024-02-29T12:00:00Z"}}}`},
		{name: "neither: the year up to now",
			query:    span(``),
			wantData: `{"user":{"contributionsCollection":{"startedAt":"` + yearAgo + `","endedAt":"` + now + `"}}}`},
		{name: "unknown user", query: `{ user(login: "nobody-at-all") { contributionsCollection { startedAt } } }`,
			wantData: `{"user":null}`, wantErr: &tError{Type: "NOT_FOUND", Path: []any{"user"},
				Message: "Could not resolve to a User with the login of 'nobody-at-all'."}},
		{name: "maxRepositories above 100",
			query:    `{ user(login: "` + u.Login + `") { contributionsCollection { commitContributionsByRepository(maxRepositories: 101) { url } } } }`,
			wantData: `{"user":null}`, wantErr: &tError{Path: []any{"user", "contributionsCollection", "commitContributionsByRepository"},
				Message: "maxRepositories must be between 1 and 100 (was 101)"}},
		{name: "unknown organizationID",
			query:    `{ user(login: "` + u.Login + `") { contributionsCollection(organizationID: "O_nope") { startedAt } } }`,
			wantData: `{"user":null}`, wantErr: &tError{Type: "NOT_FOUND", Path: []any{"user", "contributionsCollection"},
				Message: "Could not resolve to a node with the global id of 'O_nope'"}},
		{name: "excludeFirst is not implemented",
			query:    `{ user(login: "` + u.Login + `") { contributionsCollection { totalIssueContributions(excludeFirst: true) } } }`,
			wantData: `{"user":null}`, wantErr: &tError{Path: []any{"user", "contributionsCollection", "totalIssueContributions"},
				Message: "gqlexec: argument excludeFirst of totalIssueContributions is not implemented by the test server"}},
		{name: "history by an unknown author id",
			query:    `{ repository(owner: "` + ds.Repos[0].Owner.Login + `", name: "` + ds.Repos[0].Name + `") { defaultBranchRef { target { ... on Commit { history(first: 1, author: {id: "U_nope"}) { totalCount } } } } } }`,
			wantData: `{"repository":{"defaultBranchRef":{"target":null}}}`,
			wantErr: &tError{Type: "NOT_FOUND", Path: []any{"repository", "defaultBranchRef", "target", "history"},
				Message: "Could not resolve to a node with the global id of 'U_nope'"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var env struct {
				Data   json.RawMessage `json:"data"`
				Errors []tError        `json:"errors"`
			}
			if err := json.Unmarshal(exec(t, e, tc.query, nil), &env); err != nil {
				t.Fatal(err)
			}
			if string(env.Data) != tc.wantData {
				t.Errorf("data %s, want %s", env.Data, tc.wantData)
			}
			var want []tError
			if tc.wantErr != nil {
				want = []tError{*tc.wantErr}
			}
			for i := range env.Errors {
				if len(env.Errors[i].Locations) != 1 {
					t.Errorf("error without its location: %+v", env.Errors[i])
				}
				env.Errors[i].Locations = nil
			}
			if diff := gocmp.Diff(want, env.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestContributionsOrganizationAndOrder checks organizationID and the
// default order (DESC) against the ASC answers of wantCollection.
func TestContributionsOrganizationAndOrder(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	u := activeUsers(ds)[0]
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
	all := wantCollection(ds, u, from, to)
	q := `query($login: String!, $from: DateTime!, $to: DateTime!, $org: ID) { user(login: $login) {
  contributionsCollection(from: $from, to: $to, organizationID: $org) { totalPullRequestContributions totalIssueContributions
    pullRequestContributions(first: 100) { nodes { pullRequest { databaseId repository { nameWithOwner } } } }
    issueContributions(first: 100) { nodes { issue { databaseId repository { nameWithOwner } } } } } } }`
	type ids struct {
		Pulls, Issues []int64
	}
	for _, org := range append(ds.Orgs, nil) {
		name, orgID := "every organisation", any(nil)
		if org != nil {
			name, orgID = org.Login, org.NodeID
		}
		t.Run(name, func(t *testing.T) {
			var want ids
			for _, p := range slices.Backward(all.PullRequestContributions.Nodes) {
				if org == nil || strings.HasPrefix(p.PullRequest.Repository.NameWithOwner, org.Login+"/") {
					want.Pulls = append(want.Pulls, p.PullRequest.DatabaseID)
				}
			}
			for _, is := range slices.Backward(all.IssueContributions.Nodes) {
				if org == nil || strings.HasPrefix(is.Issue.Repository.NameWithOwner, org.Login+"/") {
					want.Issues = append(want.Issues, is.Issue.DatabaseID)
				}
			}
			var data struct {
				User struct {
					C struct {
						TotalPulls  int `json:"totalPullRequestContributions"`
						TotalIssues int `json:"totalIssueContributions"`
						Pulls       struct {
							Nodes []struct {
								PullRequest struct{ DatabaseID int64 } `json:"pullRequest"`
							} `json:"nodes"`
						} `json:"pullRequestContributions"`
						Issues struct {
							Nodes []struct {
								Issue struct{ DatabaseID int64 } `json:"issue"`
							} `json:"nodes"`
						} `json:"issueContributions"`
					} `json:"contributionsCollection"`
				} `json:"user"`
			}
			raw := exec(t, e, q, map[string]any{"login": u.Login, "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "org": orgID})
			if err := json.Unmarshal(raw, &struct{ Data any }{&data}); err != nil {
				t.Fatal(err)
			}
			var got ids
			for _, n := range data.User.C.Pulls.Nodes {
				got.Pulls = append(got.Pulls, n.PullRequest.DatabaseID)
			}
			for _, n := range data.User.C.Issues.Nodes {
				got.Issues = append(got.Issues, n.Issue.DatabaseID)
			}
			if diff := gocmp.Diff(want, got); diff != "" || data.User.C.TotalPulls != len(want.Pulls) || data.User.C.TotalIssues != len(want.Issues) {
				t.Errorf("newest first (-want +got):\n%s\ntotals %d %d\n%s", diff, data.User.C.TotalPulls, data.User.C.TotalIssues, raw)
			}
		})
	}
}

// TestMemberQueriesWithoutSchema: without GitHub's schema (no argument
// defaults) the answers are byte for byte the same.
func TestMemberQueriesWithoutSchema(t *testing.T) {
	ds := smallDataset()
	with, without := New(ds, githubSchema(t)), New(ds, nil)
	u := activeUsers(ds)[0]
	defaults := `query($login: String!) { user(login: $login) { contributionsCollection { startedAt endedAt hasAnyContributions
  totalCommitContributions totalRepositoriesWithContributedCommits pullRequestContributions(first: 5) { nodes { occurredAt url resourcePath } }
  pullRequestReviewContributions(last: 5) { nodes { occurredAt url } } commitContributionsByRepository { url repository { name }
  contributions(first: 5) { totalCount nodes { occurredAt commitCount url } } } } } }`
	vars := map[string]any{"login": u.Login, "from": "2024-01-01T00:00:00Z", "to": "2024-12-31T23:59:59Z", "after": nil,
		"owner": ds.Repos[0].Owner.Login, "name": ds.Repos[0].Name, "author": u.NodeID,
		"since": "2024-01-01T00:00:00Z", "until": "2024-12-31T23:59:59Z"}
	for _, q := range []string{qUserContributions, qUserCommits, defaults} {
		a, b := exec(t, with, q, vars), exec(t, without, q, vars)
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ without the schema:\n%s\n%s", a, b)
		}
	}
}

// TestGithubv4DecodesContributions runs githubv4 itself, as the collector
// will, on the contributions collection.
func TestGithubv4DecodesContributions(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	client := githubv4.NewEnterpriseClient(graphqlServer(t, e).URL, http.DefaultClient)
	u := activeUsers(ds)[0]
	var q struct {
		User *struct {
			DatabaseID              int64 `graphql:"databaseId"`
			ContributionsCollection struct {
				StartedAt, EndedAt       githubv4.DateTime
				PullRequestContributions struct {
					TotalCount int
					Nodes      []struct {
						OccurredAt  githubv4.DateTime
						PullRequest struct {
							Number     int
							Repository struct{ NameWithOwner string }
						}
					}
				} `graphql:"pullRequestContributions(first: 100, orderBy: {direction: ASC})"`
				CommitContributionsByRepository []struct {
					Repository    struct{ NameWithOwner string }
					Contributions struct {
						TotalCount int
						Nodes      []struct {
							OccurredAt  githubv4.DateTime
							CommitCount int
						}
					} `graphql:"contributions(first: 100)"`
				} `graphql:"commitContributionsByRepository(maxRepositories: 100)"`
			} `graphql:"contributionsCollection(from: $from, to: $to)"`
		} `graphql:"user(login: $login)"`
	}
	from := githubv4.DateTime{Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	to := githubv4.DateTime{Time: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)}
	err := client.Query(context.Background(), &q, map[string]any{"login": githubv4.String(u.Login), "from": from, "to": to})
	if err != nil {
		t.Fatal(err)
	}
	want := wantCollection(ds, u, from.Time, to.Time)
	c := q.User.ContributionsCollection
	if q.User.DatabaseID != u.ID || c.PullRequestContributions.TotalCount != want.PullRequestContributions.TotalCount ||
		len(c.CommitContributionsByRepository) != len(want.CommitContributionsByRepository) {
		t.Errorf("githubv4 decoded %+v, want %d pull requests and %d repositories", q.User,
			want.PullRequestContributions.TotalCount, len(want.CommitContributionsByRepository))
	}
	for i, rc := range c.CommitContributionsByRepository {
		if w := want.CommitContributionsByRepository[i]; rc.Contributions.TotalCount != w.Contributions.TotalCount {
			t.Errorf("%s: %d commits, want %d", rc.Repository.NameWithOwner, rc.Contributions.TotalCount, w.Contributions.TotalCount)
		}
	}
}

// TestContributionsSpanEnds: both ends of the span are included, to the
// second, for pull requests, issues, reviews and commits alike.
func TestContributionsSpanEnds(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	q := `query($login: String!, $from: DateTime!, $to: DateTime!) { user(login: $login) { contributionsCollection(from: $from, to: $to) {
  totalPullRequestContributions totalIssueContributions totalPullRequestReviewContributions totalCommitContributions } } }`
	type totals struct {
		Pulls   int `json:"totalPullRequestContributions"`
		Issues  int `json:"totalIssueContributions"`
		Reviews int `json:"totalPullRequestReviewContributions"`
		Commits int `json:"totalCommitContributions"`
	}
	count := func(login string, from, to time.Time) totals {
		var data struct {
			User struct {
				C totals `json:"contributionsCollection"`
			} `json:"user"`
		}
		decodeOK(t, exec(t, e, q, map[string]any{"login": login, "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339)}), &data)
		return data.User.C
	}
	r := ds.Repos[0] // not a fork
	p, is, c := r.Pulls[0], r.Issues[0], r.Commits[len(r.Commits)/2]
	rv := r.Pulls[1].Reviews[0]
	for _, tc := range []struct {
		name  string
		login string
		at    time.Time
		pick  func(totals) int
	}{
		{"pull request", p.Author.Login, p.CreatedAt, func(x totals) int { return x.Pulls }},
		{"issue", is.Author.Login, is.CreatedAt, func(x totals) int { return x.Issues }},
		{"review", rv.Author.Login, rv.SubmittedAt, func(x totals) int { return x.Reviews }},
		{"commit", c.Author.Login, c.AuthoredAt, func(x totals) int { return x.Commits }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, sec := tc.at, time.Second
			if n := tc.pick(count(tc.login, at, at)); n != 1 {
				t.Errorf("from = to = %v: %d, want it counted", at, n)
			}
			if a, b := tc.pick(count(tc.login, at.Add(-sec), at.Add(-sec))), tc.pick(count(tc.login, at.Add(sec), at.Add(sec))); a != 0 || b != 0 {
				t.Errorf("a second before and after: %d and %d, want none", a, b)
			}
		})
	}
}
