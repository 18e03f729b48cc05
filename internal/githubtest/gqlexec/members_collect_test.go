package gqlexec

import (
	"fmt"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"contribtrack/internal/githubtest/ghdata"
)

// TestMemberContributions runs the brief's query verbatim, and its paged
// form with small pages, for active people over every year of the dataset,
// and checks every answer against the dataset. Over the years, every pull
// request and issue a person opened outside forks comes back exactly once,
// and every pull request they reviewed once a year they reviewed it.
func TestMemberContributions(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	var forkItems, dupReviews, pagedMany int
	for _, u := range activeUsers(ds) {
		seenPulls, seenIssues, seenReviews := map[string]int{}, map[string]int{}, map[int64]int{}
		for _, w := range yearWindows(ds) {
			from, to := w[0], w[1]
			want := wantCollection(ds, u, from, to)
			t.Run(fmt.Sprintf("%s/%d/verbatim", u.Login, from.Year()), func(t *testing.T) {
				var page tUserPage
				vars := map[string]any{"login": u.Login, "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "after": nil}
				decodeOK(t, exec(t, e, qUserContributions, vars), &page)
				if page.User == nil || page.User.DatabaseID != u.ID || page.User.Login != u.Login {
					t.Fatalf("user %+v, want %d %s", page.User, u.ID, u.Login)
				}
				got := page.User.ContributionsCollection
				for _, pi := range []tPageInfo{got.PullRequestContributions.PageInfo, got.IssueContributions.PageInfo,
					got.PullRequestReviewContributions.PageInfo} {
					if pi.HasNextPage {
						t.Fatalf("more than 100 contributions: the query's shared $after cannot page them")
					}
				}
				normalize(t, &got)
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Errorf("contributions (-want +got):\n%s", diff)
				}
				if page.RateLimit.Cost != 1 {
					t.Errorf("cost %d, want 1", page.RateLimit.Cost)
				}
			})
			t.Run(fmt.Sprintf("%s/%d/paged", u.Login, from.Year()), func(t *testing.T) {
				got := fetchPaged(t, e, u.Login, from, to, 2)
				normalize(t, &got)
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Errorf("contributions paged by 2 (-want +got):\n%s", diff)
				}
				for _, n := range []int{len(got.PullRequestContributions.Nodes), len(got.IssueContributions.Nodes),
					len(got.PullRequestReviewContributions.Nodes)} {
					if n > 2 {
						pagedMany++
					}
				}
				for _, p := range got.PullRequestContributions.Nodes {
					seenPulls[fmt.Sprint(p.PullRequest.Repository.DatabaseID, "#", p.PullRequest.Number)]++
				}
				for _, is := range got.IssueContributions.Nodes {
					seenIssues[fmt.Sprint(is.Issue.Repository.DatabaseID, "#", is.Issue.Number)]++
				}
				for _, rv := range got.PullRequestReviewContributions.Nodes {
					seenReviews[rv.PullRequestReview.DatabaseID]++
				}
			})
		}
		// Over the years: everything u opened outside forks, once.
		wantPulls, wantIssues := map[string]int{}, map[string]int{}
		for _, r := range ds.Repos {
			for _, p := range r.Pulls {
				if p.Author == u {
					if r.Fork {
						forkItems++
						continue
					}
					wantPulls[fmt.Sprint(r.ID, "#", p.Number)] = 1
				}
				byU := 0
				for _, rv := range p.Reviews {
					if rv.Author == u {
						byU++
					}
				}
				if byU > 1 {
					dupReviews++
				}
			}
			for _, is := range r.Issues {
				if is.Author == u && !r.Fork {
					wantIssues[fmt.Sprint(r.ID, "#", is.Number)] = 1
				}
			}
		}
		if diff := gocmp.Diff(wantPulls, seenPulls); diff != "" {
			t.Errorf("%s: pull requests over the years (-want +got):\n%s", u.Login, diff)
		}
		if diff := gocmp.Diff(wantIssues, seenIssues); diff != "" {
			t.Errorf("%s: issues over the years (-want +got):\n%s", u.Login, diff)
		}
		for id, n := range seenReviews {
			if n != 1 {
				t.Errorf("%s: review %d listed %d times", u.Login, id, n)
			}
		}
	}
	if forkItems == 0 || dupReviews == 0 || pagedMany == 0 {
		t.Errorf("the dataset lacks pull requests in forks (%d), pull requests reviewed twice by one person (%d) "+
			"or connections of several pages (%d): the test proves less", forkItems, dupReviews, pagedMany)
	}
}

// TestCommitContributionDays checks the days of commits and their counts
// on a dataset with many commits a day, in both orders, and pages through
// one repository's days.
func TestCommitContributionDays(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(1))
	ds.AddActivity(ghdata.Activity{Seed: 9, Commits: 60, Over: 72 * time.Hour})
	e := New(ds, schemaOrNil(t))
	from, to := ds.Now.AddDate(0, 0, -20), ds.Now
	u := activeUsers(ds)[0]
	want := wantCollection(ds, u, from, to).CommitContributionsByRepository
	multi := 0
	for _, rc := range want {
		for _, d := range rc.Contributions.Nodes {
			if d.CommitCount > 1 {
				multi++
			}
		}
	}
	if len(want) < 2 || multi == 0 {
		t.Fatalf("want commits in several repositories and days of several commits: %d repositories, %d days", len(want), multi)
	}
	type page struct {
		User struct {
			ContributionsCollection struct {
				TotalCommitContributions int            `json:"totalCommitContributions"`
				ByRepo                   []tRepoCommits `json:"commitContributionsByRepository"`
			} `json:"contributionsCollection"`
		} `json:"user"`
	}
	const q = `query($login: String!, $from: DateTime!, $to: DateTime!, $max: Int!, $first: Int!, $after: String, $order: CommitContributionOrder!) {
  user(login: $login) { contributionsCollection(from: $from, to: $to) { totalCommitContributions
    commitContributionsByRepository(maxRepositories: $max) { repository { databaseId nameWithOwner isPrivate defaultBranchRef { name } }
      contributions(first: $first, after: $after, orderBy: $order) { totalCount pageInfo { hasNextPage endCursor } nodes { occurredAt commitCount } } } } } }`
	vars := func(maxRepos, first int, after any, field, dir string) map[string]any {
		return map[string]any{"login": u.Login, "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339),
			"max": maxRepos, "first": first, "after": after, "order": map[string]any{"field": field, "direction": dir}}
	}
	t.Run("most commits first, days newest first, counts sum to totals", func(t *testing.T) {
		var p page
		decodeOK(t, exec(t, e, q, vars(100, 100, nil, "OCCURRED_AT", "DESC")), &p)
		got, sum := p.User.ContributionsCollection.ByRepo, 0
		for i := range got {
			dropPageInfo(t, &got[i].Contributions)
			n := 0
			for _, d := range got[i].Contributions.Nodes {
				n += d.CommitCount
			}
			if n != got[i].Contributions.TotalCount {
				t.Errorf("%s: days add up to %d commits, totalCount %d", got[i].Repository.NameWithOwner, n, got[i].Contributions.TotalCount)
			}
			sum += n
		}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("commit contributions (-want +got):\n%s", diff)
		}
		if sum != p.User.ContributionsCollection.TotalCommitContributions {
			t.Errorf("totalCommitContributions %d, days add up to %d", p.User.ContributionsCollection.TotalCommitContributions, sum)
		}
	})
	t.Run("maxRepositories keeps the busiest", func(t *testing.T) {
		var p page
		decodeOK(t, exec(t, e, q, vars(1, 100, nil, "OCCURRED_AT", "ASC")), &p)
		got := p.User.ContributionsCollection.ByRepo
		if len(got) != 1 || got[0].Repository.DatabaseID != want[0].Repository.DatabaseID {
			t.Fatalf("maxRepositories 1 gave %+v, want %s", got, want[0].Repository.NameWithOwner)
		}
	})
	t.Run("COMMIT_COUNT order", func(t *testing.T) {
		var p page
		decodeOK(t, exec(t, e, q, vars(100, 100, nil, "COMMIT_COUNT", "DESC")), &p)
		for _, rc := range p.User.ContributionsCollection.ByRepo {
			for i := 1; i < len(rc.Contributions.Nodes); i++ {
				if rc.Contributions.Nodes[i-1].CommitCount < rc.Contributions.Nodes[i].CommitCount {
					t.Fatalf("%s: days not by commit count: %+v", rc.Repository.NameWithOwner, rc.Contributions.Nodes)
				}
			}
		}
	})
	t.Run("paging one repository's days, oldest first", func(t *testing.T) {
		var got []tDay
		var after any
		for i := 0; ; i++ {
			var p page
			decodeOK(t, exec(t, e, q, vars(1, 2, after, "OCCURRED_AT", "ASC")), &p)
			c := p.User.ContributionsCollection.ByRepo[0].Contributions
			got = append(got, c.Nodes...)
			if !c.PageInfo.HasNextPage {
				break
			}
			after = *c.PageInfo.EndCursor
		}
		wantDays := append([]tDay(nil), want[0].Contributions.Nodes...)
		for i, j := 0, len(wantDays)-1; i < j; i, j = i+1, j-1 {
			wantDays[i], wantDays[j] = wantDays[j], wantDays[i]
		}
		if diff := gocmp.Diff(wantDays, got); diff != "" {
			t.Errorf("days paged by 2 (-want +got):\n%s", diff)
		}
	})
}
