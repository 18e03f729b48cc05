package gqlexec

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shurcooL/githubv4"
)

// graphqlServer serves e the way the GitHub test server does: Prepare,
// then Run.
func graphqlServer(t *testing.T, e *Executor) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req Request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		p, errBody := e.Prepare(req)
		if errBody != nil {
			w.Write(errBody)
			return
		}
		w.Write(e.Run(r.Context(), p, testRate))
	}))
	t.Cleanup(srv.Close)
	return srv
}

type v4Actor struct {
	Typename string `graphql:"__typename"`
	Login    string
	User     struct {
		DatabaseID int64 `graphql:"databaseId"`
	} `graphql:"... on User"`
	Bot struct {
		DatabaseID int64 `graphql:"databaseId"`
	} `graphql:"... on Bot"`
}

// TestGithubv4DecodesAnswers runs githubv4 itself against the executor:
// its strict decoder must accept every answer.
func TestGithubv4DecodesAnswers(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	client := githubv4.NewEnterpriseClient(graphqlServer(t, e).URL, http.DefaultClient)
	r := ds.Repos[0]
	var q struct {
		Repository *struct {
			NameWithOwner string
			PullRequests  struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   githubv4.String
				}
				Nodes []struct {
					Number    int
					CreatedAt githubv4.DateTime
					ClosedAt  *githubv4.DateTime
					Merged    bool
					State     githubv4.PullRequestState
					Author    *v4Actor
					Reviews   *struct {
						Nodes []struct {
							State       githubv4.PullRequestReviewState
							SubmittedAt *githubv4.DateTime
							Author      *v4Actor
						}
					} `graphql:"reviews(first: 5)"`
				}
			} `graphql:"pullRequests(first: 7, after: $after, orderBy: {field: CREATED_AT, direction: ASC})"`
			DefaultBranchRef *struct {
				Target struct {
					Commit struct {
						History struct {
							Nodes []struct {
								Oid          githubv4.GitObjectID
								AuthoredDate githubv4.GitTimestamp
								Author       *struct {
									Email string
									User  *struct{ Login string }
								}
							}
						} `graphql:"history(first: 5)"`
					} `graphql:"... on Commit"`
				}
			}
		} `graphql:"repository(owner: $owner, name: $name)"`
		RateLimit struct {
			Cost      int
			Remaining int
			ResetAt   githubv4.DateTime
		}
	}
	vars := map[string]any{"owner": githubv4.String(r.Owner.Login), "name": githubv4.String(r.Name), "after": (*githubv4.String)(nil)}
	var numbers []int
	for page := 0; page < 50; page++ {
		if err := client.Query(context.Background(), &q, vars); err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, p := range q.Repository.PullRequests.Nodes {
			numbers = append(numbers, p.Number)
			want := r.Pulls[len(numbers)-1]
			if p.Author == nil || p.Author.Typename != want.Author.Type || !p.CreatedAt.Equal(want.CreatedAt) ||
				string(p.State) != pullState(want) || p.Reviews == nil || len(p.Reviews.Nodes) != min(5, len(want.Reviews)) {
				t.Errorf("#%d decoded as %+v", p.Number, p)
			}
			// The answer has one databaseId key and githubv4 copies it into
			// both fragments, whatever the __typename.
			if p.Author.User.DatabaseID != want.Author.ID || p.Author.Bot.DatabaseID != want.Author.ID {
				t.Errorf("#%d: author ids %d/%d, want %d", p.Number, p.Author.User.DatabaseID, p.Author.Bot.DatabaseID, want.Author.ID)
			}
		}
		if h := q.Repository.DefaultBranchRef.Target.Commit.History.Nodes; len(h) != 5 || string(h[0].Oid) != r.Head().SHA {
			t.Errorf("history %+v", h)
		}
		if q.RateLimit.Cost != 1 || q.RateLimit.Remaining != testRate.Remaining || !q.RateLimit.ResetAt.Equal(testRate.ResetAt) {
			t.Errorf("rateLimit %+v", q.RateLimit)
		}
		if !q.Repository.PullRequests.PageInfo.HasNextPage {
			break
		}
		vars["after"] = githubv4.NewString(q.Repository.PullRequests.PageInfo.EndCursor)
	}
	var want []int
	for _, p := range r.Pulls {
		want = append(want, p.Number)
	}
	if diff := cmp.Diff(want, numbers); diff != "" {
		t.Errorf("pull requests through githubv4 (-want +got):\n%s", diff)
	}

	// A missing repository: githubv4 reports GitHub's message.
	vars["name"], vars["after"] = githubv4.String("no-such-repo"), (*githubv4.String)(nil)
	err := client.Query(context.Background(), &q, vars)
	if err == nil || !strings.Contains(err.Error(), "Could not resolve to a Repository with the name") {
		t.Errorf("err = %v, want NOT_FOUND's message", err)
	}
	if e.schema == nil {
		return
	}
	// A query GitHub's schema rejects: githubv4 reports the validation error.
	var bad struct {
		Repository struct{ StarCount int } `graphql:"repository(owner: \"a\", name: \"b\")"`
	}
	if err := client.Query(context.Background(), &bad, nil); err == nil || !strings.Contains(err.Error(), "starCount") {
		t.Errorf("err = %v, want the undefined field named", err)
	}
}
