package gqlexec

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/githubtest/ghdata"
)

// pickPull returns a merged pull request by a bot, or any merged one.
func pickPull(ds *ghdata.Dataset) (*ghdata.Repo, *ghdata.Pull) {
	var r0 *ghdata.Repo
	var p0 *ghdata.Pull
	for _, r := range ds.Repos {
		for _, p := range r.Pulls {
			if p.Merged() && len(p.Reviews) > 0 {
				if p.Author.IsBot() {
					return r, p
				}
				r0, p0 = r, p
			}
		}
	}
	return r0, p0
}

func TestFragmentsAliasesTypename(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	r, p := pickPull(ds)
	q := `query($o: String!, $n: String!, $num: Int!, $withTitle: Boolean = true) {
  repo: repository(owner: $o, name: $n) {
    __typename
    pr: pullRequest(number: $num) {
      title @include(if: $withTitle)
      number @skip(if: true)
      who: author { ...A }
      author { __typename ... on Bot { databaseId } }
      timelineItems(first: 10, itemTypes: [MERGED_EVENT, CLOSED_EVENT]) {
        nodes { __typename ...E ... on MergedEvent { mergeRefName } }
      }
    }
  }
}
fragment A on Actor { __typename login ... on User { databaseId } }
fragment E on Node { ... on ClosedEvent { createdAt actor { ...A } } }`
	var data struct {
		Repo struct {
			Typename string `json:"__typename"`
			PR       struct {
				Title  string  `json:"title"`
				Who    tActor  `json:"who"`
				Author tActor  `json:"author"`
				TL     tEvents `json:"timelineItems"`
			} `json:"pr"`
		} `json:"repo"`
	}
	decodeOK(t, exec(t, e, q, map[string]any{"o": r.Owner.Login, "n": r.Name, "num": float64(p.Number)}), &data)
	want := wantActor(p.Author)
	wantWho := *want
	if p.Author.Type != "User" {
		wantWho.DatabaseID = nil // the fragment asks databaseId of Users only
	}
	got := data.Repo
	if got.Typename != "Repository" || got.PR.Title != p.Title {
		t.Errorf("repo %+v", got)
	}
	if diff := cmp.Diff(wantWho, got.PR.Who); diff != "" {
		t.Errorf("aliased author with a named fragment (-want +got):\n%s", diff)
	}
	wantAuthor := tActor{Typename: want.Typename, DatabaseID: nil}
	if p.Author.Type == "Bot" {
		wantAuthor.DatabaseID = want.DatabaseID
	}
	if diff := cmp.Diff(wantAuthor, got.PR.Author); diff != "" {
		t.Errorf("author with an inline fragment (-want +got):\n%s", diff)
	}
	closer := wantActor(p.ClosedBy)
	if p.ClosedBy.Type != "User" {
		closer.DatabaseID = nil
	}
	wantTL := tEvents{Nodes: []tEvent{
		{Typename: "MergedEvent", MergeRefName: r.DefaultBranch},
		{Typename: "ClosedEvent", CreatedAt: ptime(p.ClosedAt), Actor: closer},
	}}
	if diff := cmp.Diff(wantTL, got.PR.TL); diff != "" {
		t.Errorf("timeline union with fragments on an interface (-want +got):\n%s", diff)
	}
}

type tEvent struct {
	Typename     string     `json:"__typename"`
	CreatedAt    *time.Time `json:"createdAt,omitempty"`
	Actor        *tActor    `json:"actor,omitempty"`
	MergeRefName string     `json:"mergeRefName,omitempty"`
}

type tEvents struct {
	Nodes []tEvent `json:"nodes"`
}

func TestTimelineItemTypes(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	r, p := pickPull(ds)
	q := `query($o: String!, $n: String!, $num: Int!) { repository(owner: $o, name: $n) { pullRequest(number: $num) {
  timelineItems(first: 100) { totalCount nodes { __typename
    ... on IssueComment { databaseId } ... on PullRequestReview { databaseId } } }
  none: timelineItems(first: 100, itemTypes: [LABELED_EVENT]) { totalCount nodes { __typename } } } } }`
	var data struct {
		Repository struct {
			PullRequest struct {
				TimelineItems struct {
					TotalCount int `json:"totalCount"`
					Nodes      []struct {
						Typename   string `json:"__typename"`
						DatabaseID int64  `json:"databaseId"`
					} `json:"nodes"`
				} `json:"timelineItems"`
				None struct {
					TotalCount int   `json:"totalCount"`
					Nodes      []any `json:"nodes"`
				} `json:"none"`
			} `json:"pullRequest"`
		} `json:"repository"`
	}
	decodeOK(t, exec(t, e, q, map[string]any{"o": r.Owner.Login, "n": r.Name, "num": p.Number}), &data)
	tl := data.Repository.PullRequest.TimelineItems
	var last time.Time
	counts := map[string]int{}
	for i, n := range tl.Nodes {
		counts[n.Typename]++
		var at time.Time
		switch n.Typename {
		case "PullRequestReview":
			for _, rv := range p.Reviews {
				if rv.ID == n.DatabaseID {
					at = rv.SubmittedAt
				}
			}
		case "IssueComment":
			for _, c := range r.IssueComments {
				if c.ID == n.DatabaseID {
					at = c.CreatedAt
				}
			}
		default:
			at = p.ClosedAt
		}
		if at.IsZero() || at.Before(last) {
			t.Errorf("timeline item %d (%s %d) at %v after %v: not in time order", i, n.Typename, n.DatabaseID, at, last)
		}
		last = at
	}
	if counts["PullRequestReview"] != len(p.Reviews) || counts["MergedEvent"] != 1 || counts["ClosedEvent"] != 1 || tl.TotalCount != len(tl.Nodes) {
		t.Errorf("timeline counts %v (total %d), want %d reviews, a merge and a close", counts, tl.TotalCount, len(p.Reviews))
	}
	if n := data.Repository.PullRequest.None; n.TotalCount != 0 || len(n.Nodes) != 0 {
		t.Errorf("an item type the dataset does not have: %+v, want none", n)
	}
}

func TestFieldErrors(t *testing.T) {
	ds := smallDataset()
	e := New(ds, githubSchema(t))
	r := ds.Repos[0]
	vars := map[string]any{"o": r.Owner.Login, "n": r.Name}
	tests := []struct {
		name     string
		query    string
		wantData string
		wantErr  tError // Locations are checked for presence only
	}{
		{name: "nullable field not implemented",
			query:    `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { name diskUsage } }`,
			wantData: `{"repository":{"name":"` + r.Name + `","diskUsage":null}}`,
			wantErr:  tError{Path: []any{"repository", "diskUsage"}, Message: "gqlexec: field Repository.diskUsage is not implemented by the test server"}},
		{name: "non-null field not implemented nulls its parent",
			query:    `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { name hasIssuesEnabled } }`,
			wantData: `{"repository":null}`,
			wantErr:  tError{Path: []any{"repository", "hasIssuesEnabled"}, Message: "gqlexec: field Repository.hasIssuesEnabled is not implemented by the test server"}},
		{name: "argument not implemented",
			query:    `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { pullRequests(first: 1, labels: ["bug"]) { totalCount } } }`,
			wantData: `{"repository":null}`,
			wantErr:  tError{Path: []any{"repository", "pullRequests"}, Message: "gqlexec: argument labels of pullRequests is not implemented by the test server"}},
		{name: "unknown repository",
			query:    `{ repository(owner: "nobody", name: "nothing") { name } }`,
			wantData: `{"repository":null}`,
			wantErr:  tError{Type: "NOT_FOUND", Path: []any{"repository"}, Message: "Could not resolve to a Repository with the name 'nobody/nothing'."}},
		{name: "unknown organization",
			query:    `{ organization(login: "nobody") { login } }`,
			wantData: `{"organization":null}`,
			wantErr:  tError{Type: "NOT_FOUND", Path: []any{"organization"}, Message: "Could not resolve to an Organization with the login of 'nobody'."}},
		{name: "a user is not an organization",
			query:    `{ organization(login: "maria-garcia") { login } }`,
			wantData: `{"organization":null}`,
			wantErr:  tError{Type: "NOT_FOUND", Path: []any{"organization"}, Message: "Could not resolve to an Organization with the login of 'maria-garcia'."}},
		{name: "unknown user",
			query:    `{ user(login: "nobody") { login } }`,
			wantData: `{"user":null}`,
			wantErr:  tError{Type: "NOT_FOUND", Path: []any{"user"}, Message: "Could not resolve to a User with the login of 'nobody'."}},
		{name: "unknown pull request",
			query:    `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { name pullRequest(number: 99999) { title } } }`,
			wantData: `{"repository":{"name":"` + r.Name + `","pullRequest":null}}`,
			wantErr:  tError{Type: "NOT_FOUND", Path: []any{"repository", "pullRequest"}, Message: "Could not resolve to a PullRequest with the number of 99999."}},
		{name: "invalid cursor",
			query:    `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { pullRequests(first: 1, after: "x") { totalCount } } }`,
			wantData: `{"repository":null}`,
			wantErr:  tError{Type: "INVALID_CURSOR_ARGUMENTS", Path: []any{"repository", "pullRequests"}, Message: "`x` does not appear to be a valid cursor."}},
		{name: "invalid history cursor",
			query:    `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { defaultBranchRef { target { ... on Commit { history(first: 1, after: "Y3Vyc29yOnYyOjE6MTo=") { totalCount } } } } } }`,
			wantData: `{"repository":{"defaultBranchRef":{"target":null}}}`,
			wantErr:  tError{Type: "INVALID_CURSOR_ARGUMENTS", Path: []any{"repository", "defaultBranchRef", "target", "history"}, Message: "`Y3Vyc29yOnYyOjE6MTo=` does not appear to be a valid cursor."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := exec(t, e, tc.query, vars)
			var env struct {
				Data   json.RawMessage `json:"data"`
				Errors []tError        `json:"errors"`
			}
			if err := json.Unmarshal(raw, &env); err != nil {
				t.Fatal(err)
			}
			if string(env.Data) != tc.wantData {
				t.Errorf("data %s, want %s", env.Data, tc.wantData)
			}
			if len(env.Errors) != 1 {
				t.Fatalf("errors %+v, want one", env.Errors)
			}
			got := env.Errors[0]
			if len(got.Locations) != 1 || got.Locations[0].Line < 1 || got.Locations[0].Column < 1 {
				t.Errorf("locations %v", got.Locations)
			}
			got.Locations = nil
			if diff := cmp.Diff(tc.wantErr, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorsComeAfterData(t *testing.T) {
	e := New(smallDataset(), schemaOrNil(t))
	raw := string(exec(t, e, `{ repository(owner: "nobody", name: "x") { name } rateLimit { cost } }`, nil))
	want := `{"data":{"repository":null,"rateLimit":{"cost":1}},"errors":[{"type":"NOT_FOUND","path":["repository"],"locations":[{"line":1,"column":3}],"message":"Could not resolve to a Repository with the name 'nobody/x'."}]}`
	if raw != want {
		t.Errorf("body\n%s\nwant GitHub's layout\n%s", raw, want)
	}
}

func TestCanceledContext(t *testing.T) {
	e := New(smallDataset(), schemaOrNil(t))
	p, b := e.Prepare(Request{Query: `{ rateLimit { cost } }`})
	if b != nil {
		t.Fatal(string(b))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var data map[string]any
	errs := decode(t, e.Run(ctx, p, testRate), &data)
	if len(errs) == 0 || !strings.Contains(errs[0].Message, "canceled") {
		t.Errorf("errors %+v, want context canceled", errs)
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"plain", `quote " back \ slash`, "nl\n tab\t cr\r nul\x00 bell\x07", "<html> & ünïcödé 😀", "bad \xff utf8", "sep \u2028 \u2029"} {
		b := appendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
		}
		want := strings.ToValidUTF8(s, "\ufffd")
		if back != want {
			t.Errorf("%q round-trips to %q", s, back)
		}
	}
}

// TestFieldMerging asks one response key from a field and from fragments:
// their sub-selections merge, as GraphQL requires.
func TestFieldMerging(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	r := ds.Repos[0]
	q := `query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
  prs: pullRequests(first: 2) { nodes { number } }
  ... on Repository { prs: pullRequests(first: 2) { totalCount } }
  ...F
  owner { login ... on Organization { login databaseId } ... on User { login } } } }
fragment F on Repository { prs: pullRequests(first: 2) { nodes { author { login } } } }`
	var data struct {
		Repository struct {
			PRs struct {
				Nodes []struct {
					Number int `json:"number"`
					Author struct {
						Login string `json:"login"`
					} `json:"author"`
				} `json:"nodes"`
				TotalCount int `json:"totalCount"`
			} `json:"prs"`
			Owner struct {
				Login      string `json:"login"`
				DatabaseID int64  `json:"databaseId"`
			} `json:"owner"`
		} `json:"repository"`
	}
	raw := exec(t, e, q, map[string]any{"o": r.Owner.Login, "n": r.Name})
	decodeOK(t, raw, &data)
	got := data.Repository
	if got.PRs.TotalCount != len(r.Pulls) || len(got.PRs.Nodes) != 2 || got.PRs.Nodes[1].Number != r.Pulls[1].Number ||
		got.PRs.Nodes[1].Author.Login != r.Pulls[1].Author.Login && !r.Pulls[1].Author.IsBot() {
		t.Errorf("merged selections: %s", raw)
	}
	if got.Owner.Login != r.Owner.Login || got.Owner.DatabaseID != r.Owner.ID {
		t.Errorf("owner %+v", got.Owner)
	}
	if !strings.Contains(string(raw), `"prs":{"nodes":[{"number":`) || !strings.Contains(string(raw), `,"author":{"login":`) {
		t.Errorf("keys not in selection order: %s", raw)
	}
}
