package gqlexec

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"contribtrack/internal/githubtest/ghdata"
)

// Following people: User.contributionsCollection, checked against the
// dataset by the route written out here (wantCollection).

type (
	tRepoRef struct {
		DatabaseID    int64  `json:"databaseId"`
		NameWithOwner string `json:"nameWithOwner"`
		IsPrivate     bool   `json:"isPrivate"`
	}
	tPullContrib struct {
		OccurredAt  time.Time `json:"occurredAt"`
		PullRequest struct {
			DatabaseID int64      `json:"databaseId"`
			Number     int        `json:"number"`
			CreatedAt  time.Time  `json:"createdAt"`
			MergedAt   *time.Time `json:"mergedAt"`
			Merged     bool       `json:"merged"`
			Author     *tActor    `json:"author"`
			Repository tRepoRef   `json:"repository"`
		} `json:"pullRequest"`
	}
	tIssueContrib struct {
		OccurredAt time.Time `json:"occurredAt"`
		Issue      struct {
			DatabaseID int64     `json:"databaseId"`
			Number     int       `json:"number"`
			CreatedAt  time.Time `json:"createdAt"`
			Repository tRepoRef  `json:"repository"`
		} `json:"issue"`
	}
	tReviewContrib struct {
		OccurredAt        time.Time `json:"occurredAt"`
		PullRequestReview struct {
			DatabaseID  int64     `json:"databaseId"`
			SubmittedAt time.Time `json:"submittedAt"`
		} `json:"pullRequestReview"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pullRequest"`
		Repository tRepoRef `json:"repository"`
	}
	tDay struct {
		OccurredAt  time.Time `json:"occurredAt"`
		CommitCount int       `json:"commitCount"`
	}
	tBranch struct {
		Name string `json:"name"`
	}
	tRepoCommits struct {
		Repository struct {
			DatabaseID       int64    `json:"databaseId"`
			NameWithOwner    string   `json:"nameWithOwner"`
			IsPrivate        bool     `json:"isPrivate"`
			DefaultBranchRef *tBranch `json:"defaultBranchRef"`
		} `json:"repository"`
		Contributions tConn[tDay] `json:"contributions"`
	}
	tConn[T any] struct {
		TotalCount int       `json:"totalCount"`
		PageInfo   tPageInfo `json:"pageInfo"`
		Nodes      []T       `json:"nodes"`
	}
	tCollection struct {
		StartedAt                       time.Time             `json:"startedAt"`
		EndedAt                         time.Time             `json:"endedAt"`
		PullRequestContributions        tConn[tPullContrib]   `json:"pullRequestContributions"`
		IssueContributions              tConn[tIssueContrib]  `json:"issueContributions"`
		PullRequestReviewContributions  tConn[tReviewContrib] `json:"pullRequestReviewContributions"`
		CommitContributionsByRepository []tRepoCommits        `json:"commitContributionsByRepository"`
	}
	tUserPage struct {
		User *struct {
			DatabaseID              int64       `json:"databaseId"`
			Login                   string      `json:"login"`
			ContributionsCollection tCollection `json:"contributionsCollection"`
		} `json:"user"`
		RateLimit tRateLimit `json:"rateLimit"`
	}
)

func repoRef(r *ghdata.Repo) tRepoRef { return tRepoRef{DatabaseID: r.ID, NameWithOwner: r.FullName()} }

// byAt sorts items by time, then id.
func byAt[T any](items []T, key func(T) (time.Time, int64)) {
	slices.SortStableFunc(items, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		return cmp.Compare(ia, ib)
	})
}

// wantCollection is what contributionsCollection(from, to) must answer for
// u with the connections ordered ASC and the days of commits DESC: what u
// opened in repositories that are not forks, u's latest review of each
// pull request (forks included), u's linked commits by author date in
// repositories that are not forks, most commits first. Both ends of the
// span are included.
func wantCollection(ds *ghdata.Dataset, u *ghdata.User, from, to time.Time) tCollection {
	in := func(t time.Time) bool { return !t.Before(from) && !t.After(to) }
	c := tCollection{StartedAt: from, EndedAt: to}
	var pulls []tPullContrib
	var issues []tIssueContrib
	var reviews []tReviewContrib
	for _, r := range ds.Repos {
		for _, p := range r.Pulls {
			if p.Author == u && in(p.CreatedAt) && !r.Fork {
				var w tPullContrib
				w.OccurredAt = p.CreatedAt
				pr := &w.PullRequest
				pr.DatabaseID, pr.Number, pr.CreatedAt, pr.MergedAt = p.ID, p.Number, p.CreatedAt, ptime(p.MergedAt)
				pr.Merged, pr.Author, pr.Repository = p.Merged(), wantActor(u), repoRef(r)
				pulls = append(pulls, w)
			}
			var last *tReviewContrib
			for _, rv := range p.Reviews {
				if rv.Author == u && in(rv.SubmittedAt) && (last == nil || !rv.SubmittedAt.Before(last.OccurredAt)) {
					last = &tReviewContrib{OccurredAt: rv.SubmittedAt, Repository: repoRef(r)}
					last.PullRequestReview.DatabaseID, last.PullRequestReview.SubmittedAt = rv.ID, rv.SubmittedAt
					last.PullRequest.Number = p.Number
				}
			}
			if last != nil {
				reviews = append(reviews, *last)
			}
		}
		for _, is := range r.Issues {
			if is.Author == u && in(is.CreatedAt) && !r.Fork {
				var w tIssueContrib
				w.OccurredAt = is.CreatedAt
				w.Issue.DatabaseID, w.Issue.Number, w.Issue.CreatedAt, w.Issue.Repository = is.ID, is.Number, is.CreatedAt, repoRef(r)
				issues = append(issues, w)
			}
		}
		days := map[string]int{}
		for _, cm := range r.Commits {
			if cm.Author == u && in(cm.AuthoredAt) && !r.Fork {
				days[cm.AuthoredAt.UTC().Format(time.DateOnly)]++
			}
		}
		if len(days) == 0 {
			continue
		}
		var rc tRepoCommits
		rc.Repository.DatabaseID, rc.Repository.NameWithOwner = r.ID, r.FullName()
		rc.Repository.DefaultBranchRef = &tBranch{r.DefaultBranch}
		for d, n := range days {
			at, _ := time.Parse(time.DateOnly, d)
			rc.Contributions.Nodes = append(rc.Contributions.Nodes, tDay{OccurredAt: at, CommitCount: n})
			rc.Contributions.TotalCount += n
		}
		slices.SortFunc(rc.Contributions.Nodes, func(a, b tDay) int { return b.OccurredAt.Compare(a.OccurredAt) })
		c.CommitContributionsByRepository = append(c.CommitContributionsByRepository, rc)
	}
	byAt(pulls, func(w tPullContrib) (time.Time, int64) { return w.OccurredAt, w.PullRequest.DatabaseID })
	byAt(issues, func(w tIssueContrib) (time.Time, int64) { return w.OccurredAt, w.Issue.DatabaseID })
	byAt(reviews, func(w tReviewContrib) (time.Time, int64) { return w.OccurredAt, w.PullRequestReview.DatabaseID })
	slices.SortStableFunc(c.CommitContributionsByRepository, func(a, b tRepoCommits) int {
		if n := cmp.Compare(b.Contributions.TotalCount, a.Contributions.TotalCount); n != 0 {
			return n
		}
		return cmp.Compare(a.Repository.DatabaseID, b.Repository.DatabaseID)
	})
	c.PullRequestContributions = tConn[tPullContrib]{TotalCount: len(pulls), Nodes: nonNil(pulls)}
	c.IssueContributions = tConn[tIssueContrib]{TotalCount: len(issues), Nodes: nonNil(issues)}
	c.PullRequestReviewContributions = tConn[tReviewContrib]{TotalCount: len(reviews), Nodes: nonNil(reviews)}
	if c.CommitContributionsByRepository == nil {
		c.CommitContributionsByRepository = []tRepoCommits{}
	}
	return c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// dropPageInfo clears a page's pageInfo after checking that endCursor is
// there when nodes are.
func dropPageInfo[T any](t *testing.T, c *tConn[T]) {
	t.Helper()
	if len(c.Nodes) > 0 && c.PageInfo.EndCursor == nil {
		t.Errorf("%d nodes but no endCursor", len(c.Nodes))
	}
	c.PageInfo = tPageInfo{}
}

// activeUsers picks the three people with the most pull requests, issues,
// reviews and commits, and one from the middle of the list.
func activeUsers(ds *ghdata.Dataset) []*ghdata.User {
	score := map[*ghdata.User]int{}
	for _, r := range ds.Repos {
		for _, p := range r.Pulls {
			score[p.Author]++
			for _, rv := range p.Reviews {
				score[rv.Author]++
			}
		}
		for _, is := range r.Issues {
			score[is.Author]++
		}
		for _, c := range r.Commits {
			score[c.Author]++
		}
	}
	var people []*ghdata.User
	for _, u := range ds.Users {
		if u.Type == "User" && score[u] > 0 {
			people = append(people, u)
		}
	}
	slices.SortStableFunc(people, func(a, b *ghdata.User) int { return cmp.Compare(score[b], score[a]) })
	return append(people[:3:3], people[len(people)/2])
}

// yearWindows are the calendar years of the dataset, each ending a second
// before the next begins (to is included).
func yearWindows(ds *ghdata.Dataset) [][2]time.Time {
	var out [][2]time.Time
	for y := 2020; y <= ds.Now.Year(); y++ {
		from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		out = append(out, [2]time.Time{from, from.AddDate(1, 0, 0).Add(-time.Second)})
	}
	return out
}

var reContribFirst = regexp.MustCompile(`\b(pullRequestContributions|issueContributions|pullRequestReviewContributions)\(first: \d+`)

// fetchPaged pages through qUserContributionsPaged with page size n, each
// connection with its own cursor, and returns the collection put together.
func fetchPaged(t *testing.T, e *Executor, login string, from, to time.Time, n int) tCollection {
	t.Helper()
	q := reContribFirst.ReplaceAllString(qUserContributionsPaged, fmt.Sprintf("$1(first: %d", n))
	vars := map[string]any{"login": login, "from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339),
		"pullsAfter": nil, "issuesAfter": nil, "reviewsAfter": nil}
	var all tCollection
	for i := 0; ; i++ {
		if i > 500 {
			t.Fatalf("pagination does not end")
		}
		var page tUserPage
		decodeOK(t, exec(t, e, q, vars), &page)
		c := page.User.ContributionsCollection
		if i == 0 {
			all = c
			all.PullRequestContributions.Nodes, all.IssueContributions.Nodes, all.PullRequestReviewContributions.Nodes = nil, nil, nil
		} else if diff := gocmp.Diff(all.CommitContributionsByRepository, c.CommitContributionsByRepository); diff != "" {
			t.Errorf("page %d: commits differ from the first page's:\n%s", i, diff)
		}
		more := false
		next := func(key string, pi tPageInfo, total, want int) {
			if total != want {
				t.Errorf("page %d: %s totalCount %d, first page said %d", i, key, total, want)
			}
			if pi.HasNextPage {
				more = true
			}
			if pi.EndCursor != nil {
				vars[key] = *pi.EndCursor
			}
		}
		all.PullRequestContributions.Nodes = append(all.PullRequestContributions.Nodes, c.PullRequestContributions.Nodes...)
		all.IssueContributions.Nodes = append(all.IssueContributions.Nodes, c.IssueContributions.Nodes...)
		all.PullRequestReviewContributions.Nodes = append(all.PullRequestReviewContributions.Nodes, c.PullRequestReviewContributions.Nodes...)
		next("pullsAfter", c.PullRequestContributions.PageInfo, c.PullRequestContributions.TotalCount, all.PullRequestContributions.TotalCount)
		next("issuesAfter", c.IssueContributions.PageInfo, c.IssueContributions.TotalCount, all.IssueContributions.TotalCount)
		next("reviewsAfter", c.PullRequestReviewContributions.PageInfo, c.PullRequestReviewContributions.TotalCount, all.PullRequestReviewContributions.TotalCount)
		if !more {
			all.PullRequestContributions.Nodes = nonNil(all.PullRequestContributions.Nodes)
			all.IssueContributions.Nodes = nonNil(all.IssueContributions.Nodes)
			all.PullRequestReviewContributions.Nodes = nonNil(all.PullRequestReviewContributions.Nodes)
			return all
		}
	}
}

// normalize drops the pageInfos (checked by the paging itself).
func normalize(t *testing.T, c *tCollection) {
	dropPageInfo(t, &c.PullRequestContributions)
	dropPageInfo(t, &c.IssueContributions)
	dropPageInfo(t, &c.PullRequestReviewContributions)
	for i := range c.CommitContributionsByRepository {
		rc := &c.CommitContributionsByRepository[i].Contributions
		if rc.PageInfo.HasNextPage {
			t.Errorf("%s: more than a page of days", c.CommitContributionsByRepository[i].Repository.NameWithOwner)
		}
		dropPageInfo(t, rc)
	}
}
