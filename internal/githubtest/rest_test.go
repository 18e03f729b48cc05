package githubtest

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"slices"
	"strconv"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-github/v60/github"

	"contribtrack/internal/githubtest/ghdata"
)

// lastNumber is the number at the end of a URL such as .../issues/12.
func lastNumber(u string) int {
	n, _ := strconv.Atoi(path.Base(u))
	return n
}

func userKey(u *github.User) string {
	if u == nil {
		return "-"
	}
	return u.GetLogin() + "(" + u.GetType() + ")"
}

func dsUser(u *ghdata.User) string {
	if u == nil {
		return "-"
	}
	return u.Login + "(" + u.Type + ")"
}

func tsKey(t *github.Timestamp) string {
	if t == nil {
		return "null"
	}
	return t.UTC().Format(time.RFC3339)
}

func dsTime(t time.Time) string {
	if t.IsZero() {
		return "null"
	}
	return t.UTC().Format(time.RFC3339)
}

// page is one page of a list call rendered as comparable strings.
type page func(ctx context.Context, c *github.Client, n int) ([]string, *github.Response, error)

// mapPage renders a list call's items with key.
func mapPage[T any](items []T, resp *github.Response, err error, key func(T) string) ([]string, *github.Response, error) {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out, resp, err
}

// TestRESTListsMatchTheDataset pages through every list endpoint with
// go-github and compares what it got with the dataset.
func TestRESTListsMatchTheDataset(t *testing.T) {
	t.Parallel()
	ds := small()
	s := start(t, Options{})
	r := ds.Repos[0] // the busiest repository
	o, n := r.Owner.Login, r.Name
	lo := func(per int, p int) github.ListOptions { return github.ListOptions{PerPage: per, Page: p} }

	since := r.Issues[len(r.Issues)/2].UpdatedAt
	mid := len(r.Commits) / 2
	pullKey := func(p *github.PullRequest) string {
		return fmt.Sprintf("#%d %s %s merged=%s", p.GetNumber(), userKey(p.User), p.GetState(), tsKey(p.MergedAt))
	}
	dsPull := func(p *ghdata.Pull) string {
		state := "open"
		if !p.ClosedAt.IsZero() {
			state = "closed"
		}
		return fmt.Sprintf("#%d %s %s merged=%s", p.Number, dsUser(p.Author), state, dsTime(p.MergedAt))
	}
	issueKey := func(is *github.Issue) string {
		return fmt.Sprintf("#%d pr=%v %s %s %s", is.GetNumber(), is.IsPullRequest(), is.GetState(), userKey(is.User), tsKey(is.UpdatedAt))
	}
	dsIssues := func(keep func(issueLike) bool, less func(a, b issueLike) int) []string {
		var items []issueLike
		for _, it := range allIssues(r) {
			if keep(it) {
				items = append(items, it)
			}
		}
		slices.SortStableFunc(items, less)
		return mapSlice(items, func(it issueLike) string {
			state := "open"
			if !it.closed.IsZero() {
				state = "closed"
			}
			return fmt.Sprintf("#%d pr=%v %s %s %s", it.number, it.pull, state, dsUser(it.author), dsTime(it.updated))
		})
	}
	byCreatedDesc := func(a, b issueLike) int { return cmp.Or(b.created.Compare(a.created), b.number-a.number) }

	tests := []struct {
		name     string
		page     page
		want     func() []string
		minPages int
	}{
		{"org repos, sources by full name", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			rs, resp, err := c.Repositories.ListByOrg(ctx, o, &github.RepositoryListByOrgOptions{Type: "sources", Sort: "full_name", ListOptions: lo(2, p)})
			return mapPage(rs, resp, err, func(x *github.Repository) string {
				return fmt.Sprintf("%s fork=%v archived=%v owner=%s", x.GetFullName(), x.GetFork(), x.GetArchived(), userKey(x.Owner))
			})
		}, func() []string {
			var out []string
			for _, x := range ds.OrgRepos(o) {
				if !x.Fork {
					out = append(out, fmt.Sprintf("%s fork=false archived=%v owner=%s", x.FullName(), x.Archived, dsUser(x.Owner)))
				}
			}
			slices.Sort(out)
			return out
		}, 1},
		{"org repos, default order (created, newest first)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			rs, resp, err := c.Repositories.ListByOrg(ctx, o, &github.RepositoryListByOrgOptions{ListOptions: lo(1, p)})
			return mapPage(rs, resp, err, func(x *github.Repository) string { return x.GetFullName() + " " + tsKey(x.CreatedAt) })
		}, func() []string {
			rs := slices.Clone(ds.OrgRepos(o))
			slices.SortStableFunc(rs, func(a, b *ghdata.Repo) int { return b.CreatedAt.Compare(a.CreatedAt) })
			return mapSlice(rs, func(x *ghdata.Repo) string { return x.FullName() + " " + dsTime(x.CreatedAt) })
		}, 3},
		{"pulls, all, created ascending", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			ps, resp, err := c.PullRequests.List(ctx, o, n, &github.PullRequestListOptions{State: "all", Sort: "created", Direction: "asc", ListOptions: lo(5, p)})
			return mapPage(ps, resp, err, pullKey)
		}, func() []string {
			ps := slices.Clone(r.Pulls)
			slices.SortStableFunc(ps, func(a, b *ghdata.Pull) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), a.Number-b.Number) })
			return mapSlice(ps, dsPull)
		}, 2},
		{"pulls, closed, updated (default ascending)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			ps, resp, err := c.PullRequests.List(ctx, o, n, &github.PullRequestListOptions{State: "closed", Sort: "updated", ListOptions: lo(4, p)})
			return mapPage(ps, resp, err, pullKey)
		}, func() []string {
			var ps []*ghdata.Pull
			for _, p := range r.Pulls {
				if !p.ClosedAt.IsZero() {
					ps = append(ps, p)
				}
			}
			slices.SortStableFunc(ps, func(a, b *ghdata.Pull) int { return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), a.Number-b.Number) })
			return mapSlice(ps, dsPull)
		}, 2},
		{"pulls, default (open, newest first)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			ps, resp, err := c.PullRequests.List(ctx, o, n, &github.PullRequestListOptions{ListOptions: lo(30, p)})
			return mapPage(ps, resp, err, pullKey)
		}, func() []string {
			var ps []*ghdata.Pull
			for _, p := range r.Pulls {
				if p.ClosedAt.IsZero() {
					ps = append(ps, p)
				}
			}
			slices.SortStableFunc(ps, func(a, b *ghdata.Pull) int { return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), b.Number-a.Number) })
			return mapSlice(ps, dsPull)
		}, 1},
		{"repo-wide review comments, default order (by id)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.PullRequests.ListComments(ctx, o, n, 0, &github.PullRequestListCommentsOptions{ListOptions: lo(3, p)})
			return mapPage(cs, resp, err, func(x *github.PullRequestComment) string {
				return fmt.Sprintf("%d review=%d #%d %s %s %s", x.GetID(), x.GetPullRequestReviewID(), lastNumber(x.GetPullRequestURL()), userKey(x.User), x.GetPath(), tsKey(x.CreatedAt))
			})
		}, func() []string {
			return mapSlice(r.ReviewComments, func(x *ghdata.ReviewComment) string {
				return fmt.Sprintf("%d review=%d #%d %s %s %s", x.ID, x.ReviewID, x.Number, dsUser(x.Author), x.Path, dsTime(x.CreatedAt))
			})
		}, 2},
		{"repo-wide review comments, updated since, descending", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.PullRequests.ListComments(ctx, o, n, 0, &github.PullRequestListCommentsOptions{Sort: "updated", Direction: "desc",
				Since: r.ReviewComments[len(r.ReviewComments)/2].UpdatedAt, ListOptions: lo(3, p)})
			return mapPage(cs, resp, err, func(x *github.PullRequestComment) string { return fmt.Sprintf("%d %s", x.GetID(), tsKey(x.UpdatedAt)) })
		}, func() []string {
			cut := r.ReviewComments[len(r.ReviewComments)/2].UpdatedAt
			var cs []*ghdata.ReviewComment
			for _, x := range r.ReviewComments {
				if !x.UpdatedAt.Before(cut) {
					cs = append(cs, x)
				}
			}
			slices.SortStableFunc(cs, func(a, b *ghdata.ReviewComment) int {
				return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(b.ID, a.ID))
			})
			return mapSlice(cs, func(x *ghdata.ReviewComment) string { return fmt.Sprintf("%d %s", x.ID, dsTime(x.UpdatedAt)) })
		}, 1},
		{"issues and pulls, all states, default order", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			is, resp, err := c.Issues.ListByRepo(ctx, o, n, &github.IssueListByRepoOptions{State: "all", ListOptions: lo(7, p)})
			return mapPage(is, resp, err, issueKey)
		}, func() []string { return dsIssues(func(issueLike) bool { return true }, byCreatedDesc) }, 3},
		{"issues, closed, updated since, ascending", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			is, resp, err := c.Issues.ListByRepo(ctx, o, n, &github.IssueListByRepoOptions{State: "closed", Sort: "updated", Direction: "asc", Since: since, ListOptions: lo(4, p)})
			return mapPage(is, resp, err, issueKey)
		}, func() []string {
			return dsIssues(func(it issueLike) bool { return !it.closed.IsZero() && !it.updated.Before(since) },
				func(a, b issueLike) int { return cmp.Or(a.updated.Compare(b.updated), a.number-b.number) })
		}, 2},
		{"issues, default (open)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			is, resp, err := c.Issues.ListByRepo(ctx, o, n, &github.IssueListByRepoOptions{ListOptions: lo(100, p)})
			return mapPage(is, resp, err, issueKey)
		}, func() []string {
			return dsIssues(func(it issueLike) bool { return it.closed.IsZero() }, byCreatedDesc)
		}, 1},
		{"commit comments (ascending by id)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.Repositories.ListComments(ctx, o, n, &github.ListOptions{PerPage: 1, Page: p})
			return mapPage(cs, resp, err, func(x *github.RepositoryComment) string {
				return fmt.Sprintf("%d %s %s path=%q %s", x.GetID(), x.GetCommitID(), userKey(x.User), x.GetPath(), tsKey(x.CreatedAt))
			})
		}, func() []string {
			return mapSlice(r.CommitComments, func(x *ghdata.CommitComment) string {
				return fmt.Sprintf("%d %s %s path=%q %s", x.ID, x.CommitSHA, dsUser(x.Author), x.Path, dsTime(x.CreatedAt))
			})
		}, 2},
		{"repo-wide issue comments, default order (by id)", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.Issues.ListComments(ctx, o, n, 0, &github.IssueListCommentsOptions{ListOptions: lo(10, p)})
			return mapPage(cs, resp, err, func(x *github.IssueComment) string {
				return fmt.Sprintf("%d #%d %s %s", x.GetID(), lastNumber(x.GetIssueURL()), userKey(x.User), tsKey(x.CreatedAt))
			})
		}, func() []string {
			return mapSlice(r.IssueComments, func(x *ghdata.Comment) string {
				return fmt.Sprintf("%d #%d %s %s", x.ID, x.Number, dsUser(x.Author), dsTime(x.CreatedAt))
			})
		}, 3},
		{"repo-wide issue comments, updated since, descending", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.Issues.ListComments(ctx, o, n, 0, &github.IssueListCommentsOptions{Sort: github.String("updated"),
				Direction: github.String("desc"), Since: &since, ListOptions: lo(10, p)})
			return mapPage(cs, resp, err, func(x *github.IssueComment) string { return fmt.Sprintf("%d %s", x.GetID(), tsKey(x.UpdatedAt)) })
		}, func() []string {
			var cs []*ghdata.Comment
			for _, x := range r.IssueComments {
				if !x.UpdatedAt.Before(since) {
					cs = append(cs, x)
				}
			}
			slices.SortStableFunc(cs, func(a, b *ghdata.Comment) int {
				return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(b.ID, a.ID))
			})
			return mapSlice(cs, func(x *ghdata.Comment) string { return fmt.Sprintf("%d %s", x.ID, dsTime(x.UpdatedAt)) })
		}, 1},
		{"issue events, newest first", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			es, resp, err := c.Issues.ListRepositoryEvents(ctx, o, n, &github.ListOptions{PerPage: 8, Page: p})
			return mapPage(es, resp, err, func(e *github.IssueEvent) string {
				return fmt.Sprintf("%s #%d pr=%v %s %s", e.GetEvent(), e.GetIssue().GetNumber(), e.GetIssue().IsPullRequest(), userKey(e.Actor), tsKey(e.CreatedAt))
			})
		}, func() []string {
			type ev struct {
				event  string
				it     issueLike
				sortBy int
			}
			var evs []ev
			for _, it := range allIssues(r) {
				if it.closed.IsZero() {
					continue
				}
				if it.merged {
					evs = append(evs, ev{"merged", it, 0})
				}
				evs = append(evs, ev{"closed", it, 1})
			}
			slices.SortStableFunc(evs, func(a, b ev) int {
				return cmp.Or(b.it.closed.Compare(a.it.closed), b.it.number-a.it.number, b.sortBy-a.sortBy)
			})
			return mapSlice(evs, func(e ev) string {
				return fmt.Sprintf("%s #%d pr=%v %s %s", e.event, e.it.number, e.it.pull, dsUser(e.it.closedBy), dsTime(e.it.closed))
			})
		}, 2},
		{"commits of the default branch, newest first", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.Repositories.ListCommits(ctx, o, n, &github.CommitsListOptions{SHA: r.DefaultBranch, ListOptions: lo(16, p)})
			return mapPage(cs, resp, err, commitKey)
		}, func() []string {
			cs := slices.Clone(r.Commits)
			slices.Reverse(cs)
			return mapSlice(cs, dsCommit)
		}, 3},
		{"commits from a sha, since and until", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			cs, resp, err := c.Repositories.ListCommits(ctx, o, n, &github.CommitsListOptions{SHA: r.Commits[mid].SHA,
				Since: r.Commits[mid/2].CommittedAt, Until: r.Commits[mid-1].CommittedAt, ListOptions: lo(5, p)})
			return mapPage(cs, resp, err, commitKey)
		}, func() []string {
			cs := slices.Clone(r.Commits[mid/2 : mid])
			slices.Reverse(cs)
			return mapSlice(cs, dsCommit)
		}, 2},
		{"releases, newest first", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			rs, resp, err := c.Repositories.ListReleases(ctx, o, n, &github.ListOptions{PerPage: 1, Page: p})
			return mapPage(rs, resp, err, func(x *github.RepositoryRelease) string {
				return fmt.Sprintf("%d %s %s draft=%v pre=%v %s %s", x.GetID(), x.GetTagName(), userKey(x.Author), x.GetDraft(), x.GetPrerelease(), tsKey(x.CreatedAt), tsKey(x.PublishedAt))
			})
		}, func() []string {
			rs := slices.Clone(r.Releases)
			slices.Reverse(rs)
			return mapSlice(rs, func(x *ghdata.Release) string {
				return fmt.Sprintf("%d %s %s draft=false pre=%v %s %s", x.ID, x.TagName, dsUser(x.Author), x.Prerelease, dsTime(x.CreatedAt), dsTime(x.PublishedAt))
			})
		}, 2},
		{"stargazers with starred_at, oldest first", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			ss, resp, err := c.Activity.ListStargazers(ctx, o, n, &github.ListOptions{PerPage: 4, Page: p})
			return mapPage(ss, resp, err, func(x *github.Stargazer) string { return tsKey(x.StarredAt) + " " + userKey(x.User) })
		}, func() []string {
			return mapSlice(r.Stars, func(x *ghdata.Star) string { return dsTime(x.StarredAt) + " " + dsUser(x.User) })
		}, 2},
		{"forks, oldest first", func(ctx context.Context, c *github.Client, p int) ([]string, *github.Response, error) {
			fs, resp, err := c.Repositories.ListForks(ctx, o, n, &github.RepositoryListForksOptions{Sort: "oldest", ListOptions: lo(1, p)})
			return mapPage(fs, resp, err, func(x *github.Repository) string {
				return fmt.Sprintf("%d %s fork=%v %s %s", x.GetID(), x.GetFullName(), x.GetFork(), userKey(x.Owner), tsKey(x.CreatedAt))
			})
		}, func() []string {
			return mapSlice(r.Forks, func(x *ghdata.Fork) string {
				return fmt.Sprintf("%d %s/%s fork=true %s %s", x.ID, x.Owner.Login, x.Name, dsUser(x.Owner), dsTime(x.CreatedAt))
			})
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := client(t, s, tokenA)
			got, pages := collect(t, func(ctx context.Context, p int) ([]string, *github.Response, error) { return tc.page(ctx, c, p) })
			want := tc.want()
			if len(want) == 0 {
				t.Fatal("the dataset has nothing to compare with: pick another repository")
			}
			if diff := gocmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("mismatch (-dataset +server):\n%s", diff)
			}
			if pages < tc.minPages {
				t.Errorf("%d pages, want at least %d", pages, tc.minPages)
			}
		})
	}
}

func commitKey(x *github.RepositoryCommit) string {
	return fmt.Sprintf("%s %s %s <%s> %s", x.GetSHA()[:12], tsKey(x.Commit.Committer.Date), x.Commit.Author.GetName(), x.Commit.Author.GetEmail(), userKey(x.Author))
}

func dsCommit(x *ghdata.Commit) string {
	return fmt.Sprintf("%s %s %s <%s> %s", x.SHA[:12], dsTime(x.CommittedAt), x.AuthorName, x.AuthorEmail, dsUser(x.Author))
}

func mapSlice[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// issueLike is an issue or pull request as the tests see the dataset.
type issueLike struct {
	number                   int
	pull, merged             bool
	author, closedBy         *ghdata.User
	created, updated, closed time.Time
}

func allIssues(r *ghdata.Repo) []issueLike {
	var out []issueLike
	for _, is := range r.Issues {
		out = append(out, issueLike{is.Number, false, false, is.Author, is.ClosedBy, is.CreatedAt, is.UpdatedAt, is.ClosedAt})
	}
	for _, p := range r.Pulls {
		out = append(out, issueLike{p.Number, true, p.Merged(), p.Author, p.ClosedBy, p.CreatedAt, p.UpdatedAt, p.ClosedAt})
	}
	return out
}
