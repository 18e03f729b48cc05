package gqlexec

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/githubtest/ghdata"
)

// The collector's issue and history queries, and its queries on a
// repository or organisation that does not exist.

type tIssue struct {
	DatabaseID    int64      `json:"databaseId"`
	Number        int        `json:"number"`
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	ClosedAt      *time.Time `json:"closedAt"`
	Author        *tActor    `json:"author"`
	TimelineItems tClosed    `json:"timelineItems"`
}

func TestCollectorIssues(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	field, desc := orderOf(t, qIssues, "issues")
	type page struct {
		Repository *struct {
			Issues struct {
				TotalCount int       `json:"totalCount"`
				PageInfo   tPageInfo `json:"pageInfo"`
				Nodes      []tIssue  `json:"nodes"`
			} `json:"issues"`
		} `json:"repository"`
		RateLimit tRateLimit `json:"rateLimit"`
	}
	for _, r := range ds.Repos {
		sorted := byTime(r.Issues, func(is *ghdata.Issue) (time.Time, int64) { return is.UpdatedAt, is.ID }, false)
		mid := sorted[len(sorted)/2].UpdatedAt
		for _, since := range []*time.Time{nil, &mid, ptime(ds.Now.Add(time.Hour))} {
			want := []tIssue{}
			for _, is := range byTime(r.Issues, func(is *ghdata.Issue) (time.Time, int64) {
				return timeKey(t, field, is.CreatedAt, is.UpdatedAt), is.ID
			}, desc) {
				if since != nil && is.UpdatedAt.Before(*since) {
					continue
				}
				want = append(want, tIssue{DatabaseID: is.ID, Number: is.Number, CreatedAt: is.CreatedAt, UpdatedAt: is.UpdatedAt,
					ClosedAt: ptime(is.ClosedAt), Author: wantActor(is.Author), TimelineItems: wantClosed(is.ClosedAt, is.ClosedBy)})
			}
			var sinceVar any
			if since != nil {
				sinceVar = since.Format(time.RFC3339)
			}
			for _, size := range []int{pageSize(t, qIssues, "issues"), 7} {
				t.Run(fmt.Sprintf("%s/since:%v/first:%d", r.Name, sinceVar, size), func(t *testing.T) {
					q := withFirst(t, qIssues, "issues", size)
					vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "since": sinceVar}
					pages := pageAll(t, e, q, vars, func(p *page) tPageInfo { return p.Repository.Issues.PageInfo })
					var got []tIssue
					for _, p := range pages {
						got = append(got, p.Repository.Issues.Nodes...)
						if p.Repository.Issues.TotalCount != len(want) {
							t.Errorf("totalCount %d, want %d", p.Repository.Issues.TotalCount, len(want))
						}
					}
					if got == nil {
						got = []tIssue{}
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("issues (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

func TestCollectorCommits(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	type page struct {
		Repository *struct {
			DefaultBranchRef *struct {
				Target struct {
					History struct {
						TotalCount int       `json:"totalCount"`
						PageInfo   tPageInfo `json:"pageInfo"`
						Nodes      []tCommit `json:"nodes"`
					} `json:"history"`
				} `json:"target"`
			} `json:"defaultBranchRef"`
		} `json:"repository"`
		RateLimit tRateLimit `json:"rateLimit"`
	}
	var bots, unlinked, linked int
	for _, r := range ds.Repos {
		var want []tCommit
		for i := len(r.Commits) - 1; i >= 0; i-- { // newest first, like git log
			c := r.Commits[i]
			w := tCommit{Oid: c.SHA, CommittedDate: c.CommittedAt, AuthoredDate: c.AuthoredAt}
			w.Author = &struct {
				Email string `json:"email"`
				User  *struct {
					DatabaseID int64  `json:"databaseId"`
					Login      string `json:"login"`
				} `json:"user"`
			}{Email: c.AuthorEmail}
			switch {
			case c.Author == nil:
				unlinked++
			case c.Author.Type != "User":
				bots++ // GitActor.user is a User: a bot's commit has none
			default:
				linked++
				w.Author.User = &struct {
					DatabaseID int64  `json:"databaseId"`
					Login      string `json:"login"`
				}{c.Author.ID, c.Author.Login}
			}
			want = append(want, w)
		}
		for _, size := range []int{pageSize(t, qCommits, "history"), 9} {
			t.Run(fmt.Sprintf("%s/first:%d", r.Name, size), func(t *testing.T) {
				q := withFirst(t, qCommits, "history", size)
				vars := map[string]any{"owner": r.Owner.Login, "name": r.Name}
				pages := pageAll(t, e, q, vars, func(p *page) tPageInfo { return p.Repository.DefaultBranchRef.Target.History.PageInfo })
				var got []tCommit
				for _, p := range pages {
					h := p.Repository.DefaultBranchRef.Target.History
					got = append(got, h.Nodes...)
					if h.TotalCount != len(r.Commits) {
						t.Errorf("totalCount %d, want %d", h.TotalCount, len(r.Commits))
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("history (-want +got):\n%s", diff)
				}
			})
		}
	}
	if bots == 0 || unlinked == 0 || linked == 0 {
		t.Errorf("the dataset lacks bot (%d), unlinked (%d) or linked (%d) commits: the test proves less", bots, unlinked, linked)
	}
}

func TestCollectorNotFound(t *testing.T) {
	e := New(smallDataset(), schemaOrNil(t))
	for _, q := range collectorQueries {
		t.Run(q.name, func(t *testing.T) {
			vars := map[string]any{"owner": "aws-samples", "name": "no-such-repo", "login": "no-such-org", "number": 1}
			var data map[string]any
			errs := decode(t, exec(t, e, q.query, vars), &data)
			if strings.Contains(q.query, "repositoryOwner(") {
				// GitHub answers an unknown owner with null and no error.
				if v, ok := data["repositoryOwner"]; !ok || v != nil || len(errs) != 0 {
					t.Errorf("repositoryOwner = %v, errors %+v; want null and none", v, errs)
				}
				return
			}
			root, msg := "repository", "Could not resolve to a Repository with the name 'aws-samples/no-such-repo'."
			if strings.Contains(q.query, "organization(") {
				root, msg = "organization", "Could not resolve to an Organization with the login of 'no-such-org'."
			}
			if v, ok := data[root]; !ok || v != nil {
				t.Errorf("data.%s = %v, want null", root, v)
			}
			if _, ok := data["rateLimit"]; !ok {
				t.Errorf("rateLimit missing beside the error")
			}
			if len(errs) != 1 {
				t.Fatalf("errors %+v, want one", errs)
			}
			got := errs[0]
			if got.Type != "NOT_FOUND" || got.Message != msg || !cmp.Equal(got.Path, []any{root}) || len(got.Locations) != 1 {
				t.Errorf("error %+v, want NOT_FOUND at [%s]: %s", got, root, msg)
			}
		})
	}
}
