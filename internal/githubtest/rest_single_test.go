package githubtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-github/v60/github"

	"contribtrack/internal/githubtest/ghdata"
)

// TestRESTSingleObjects checks the single-object endpoints and the
// per-pull-request reviews against the dataset.
func TestRESTSingleObjects(t *testing.T) {
	t.Parallel()
	ds := small()
	s := start(t, Options{})
	c := client(t, s, tokenA)
	ctx := context.Background()
	r := ds.Repos[0]
	o, n := r.Owner.Login, r.Name

	t.Run("repository", func(t *testing.T) {
		got, _, err := c.Repositories.Get(ctx, o, n)
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, it := range allIssues(r) {
			if it.closed.IsZero() {
				open++
			}
		}
		want := fmt.Sprintf("%d %s fork=%v archived=%v branch=%s stars=%d forks=%d open=%d owner=%s org=%s",
			r.ID, r.FullName(), r.Fork, r.Archived, r.DefaultBranch, len(r.Stars), len(r.Forks), open, dsUser(r.Owner), r.Owner.Login)
		g := fmt.Sprintf("%d %s fork=%v archived=%v branch=%s stars=%d forks=%d open=%d owner=%s org=%s",
			got.GetID(), got.GetFullName(), got.GetFork(), got.GetArchived(), got.GetDefaultBranch(), got.GetStargazersCount(),
			got.GetForksCount(), got.GetOpenIssuesCount(), userKey(got.Owner), got.GetOrganization().GetLogin())
		if diff := gocmp.Diff(want, g); diff != "" {
			t.Error(diff)
		}
	})

	t.Run("users by type", func(t *testing.T) {
		for _, login := range []string{"dependabot[bot]", o, ds.Users[0].Login, "aws-cdk-automation"} {
			u, _, err := c.Users.Get(ctx, login)
			if err != nil {
				t.Fatalf("%s: %v", login, err)
			}
			if want := dsUser(ds.Account(login)); userKey(u) != want || u.GetID() != ds.Account(login).ID {
				t.Errorf("%s: got %s id %d, want %s", login, userKey(u), u.GetID(), want)
			}
		}
	})

	t.Run("every pull request and its reviews", func(t *testing.T) {
		for _, p := range r.Pulls {
			got, _, err := c.PullRequests.Get(ctx, o, n, p.Number)
			if err != nil {
				t.Fatal(err)
			}
			wantMergedBy := "-"
			if p.Merged() {
				wantMergedBy = dsUser(p.ClosedBy)
			}
			if got.GetMerged() != p.Merged() || userKey(got.MergedBy) != wantMergedBy || got.GetID() != p.ID ||
				tsKey(got.ClosedAt) != dsTime(p.ClosedAt) {
				t.Errorf("#%d: merged=%v by %s id %d closed %s; want %v by %s id %d closed %s", p.Number, got.GetMerged(),
					userKey(got.MergedBy), got.GetID(), tsKey(got.ClosedAt), p.Merged(), wantMergedBy, p.ID, dsTime(p.ClosedAt))
			}
			reviews, _ := collect(t, func(ctx context.Context, pg int) ([]*github.PullRequestReview, *github.Response, error) {
				return c.PullRequests.ListReviews(ctx, o, n, p.Number, &github.ListOptions{PerPage: 2, Page: pg})
			})
			g := mapSlice(reviews, func(x *github.PullRequestReview) string {
				return fmt.Sprintf("%d %s %s %s", x.GetID(), userKey(x.User), x.GetState(), tsKey(x.SubmittedAt))
			})
			w := mapSlice(p.Reviews, func(x *ghdata.Review) string {
				return fmt.Sprintf("%d %s %s %s", x.ID, dsUser(x.Author), x.State, dsTime(x.SubmittedAt))
			})
			if diff := gocmp.Diff(w, g, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("#%d reviews (-dataset +server):\n%s", p.Number, diff)
			}
		}
	})

	t.Run("not found", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			call func() (*github.Response, error)
		}{
			{"unknown repository", func() (*github.Response, error) {
				_, r, err := c.Repositories.Get(ctx, o, "no-such-repo")
				return r, err
			}},
			{"unknown org", func() (*github.Response, error) {
				_, r, err := c.Repositories.ListByOrg(ctx, "no-such-org", nil)
				return r, err
			}},
			{"an issue number as a pull", func() (*github.Response, error) {
				_, r, err := c.PullRequests.Get(ctx, o, n, ds.Repos[0].Issues[0].Number)
				return r, err
			}},
			{"an endpoint the server does not have", func() (*github.Response, error) {
				_, r, err := c.Repositories.ListContributors(ctx, o, n, nil)
				return r, err
			}},
		} {
			resp, err := tc.call()
			var er *github.ErrorResponse
			if !errors.As(err, &er) || resp.StatusCode != http.StatusNotFound || er.Message != "Not Found" {
				t.Errorf("%s: got %v, want a 404 Not Found", tc.name, err)
			}
		}
	})
}

// Compare lists the commits reachable from head and not from base, those a
// merge commit brings in included, although git log lists them after base.
func TestCompareListsMergedCommits(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(1))
	r := ds.Repos[0]
	base := r.Head().SHA
	before := len(r.Commits)
	ds.AddActivity(ghdata.Activity{Seed: 2, Commits: 2, MergedBranchCommits: 3, OnlyRepos: []string{r.FullName()}})
	head := r.Head().SHA
	srv := NewServer(Options{Dataset: ds})
	defer srv.Close()
	gh, err := github.NewClient(nil).WithAuthToken(DemoToken).WithEnterpriseURLs(srv.URL, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for page := 1; page != 0; {
		cmp, resp, err := gh.Repositories.CompareCommits(context.Background(), r.Owner.Login, r.Name, base, head, &github.ListOptions{Page: page, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		if cmp.GetTotalCommits() != len(r.Commits)-before || cmp.GetStatus() != "ahead" {
			t.Errorf("total_commits %d status %q, want %d ahead", cmp.GetTotalCommits(), cmp.GetStatus(), len(r.Commits)-before)
		}
		for _, c := range cmp.Commits {
			got = append(got, c.GetSHA())
		}
		page = resp.NextPage
	}
	var want []string
	for _, c := range r.Commits[before:] {
		want = append(want, c.SHA)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("compare listed %d commits %v, want %d %v", len(got), got, len(want), want)
	}
	// The branch commits are older than base: git log puts them after it.
	log := r.LogOrder(len(r.Commits) - 1)
	pos := map[int]int{}
	for p, i := range log {
		pos[i] = p
	}
	after := 0
	for i := before; i < len(r.Commits); i++ {
		if pos[i] > pos[before-1] {
			after++
		}
	}
	if after == 0 {
		t.Errorf("no new commit comes after the old head in git log order: the test shows nothing")
	}
	if _, _, err := gh.Repositories.CompareCommits(context.Background(), r.Owner.Login, r.Name, strings.Repeat("0", 40), head, nil); err == nil {
		t.Errorf("compare from an unknown commit succeeded")
	}
}
