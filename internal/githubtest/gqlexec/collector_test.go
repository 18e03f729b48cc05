package gqlexec

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"contribtrack/internal/githubtest/ghdata"
)

// Each collector query runs against ghdata.SmallSpec(1), verbatim and
// with a small page size (so that every connection pages many times), and
// what comes back is compared with the dataset itself.

// byTime sorts items by a time (then database id), descending when desc:
// the order GitHub's orderBy gives.
func byTime[T any](items []T, key func(T) (time.Time, int64), desc bool) []T {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		c := ta.Compare(tb)
		if c == 0 {
			c = int(ia - ib)
		}
		if desc {
			return -c
		}
		return c
	})
	return out
}

// timeKey returns the key for orderBy field f of a pull request or issue.
func timeKey(t *testing.T, f string, created, updated time.Time) time.Time {
	switch f {
	case "CREATED_AT", "":
		return created
	case "UPDATED_AT":
		return updated
	}
	t.Fatalf("the test does not know orderBy field %s", f)
	return time.Time{}
}

// pageSize reads the first: value of connection conn in query.
func pageSize(t *testing.T, query, conn string) int {
	m := regexp.MustCompile(`\b` + conn + `\((?:[^)]*, )?(?:first|last): (\d+)`).FindStringSubmatch(query)
	if m == nil {
		t.Fatalf("no page size for %s in %s", conn, query)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// wantCost is GitHub's cost of a prepared query, checked against rateLimit.
func wantCost(t *testing.T, e *Executor, q string, vars map[string]any) int {
	p, b := e.Prepare(Request{Query: q, Variables: vars})
	if b != nil {
		t.Fatalf("%s", b)
	}
	return p.Cost()
}

type tUpdatedNode = struct {
	DatabaseID *int64    `json:"databaseId"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// wantFirst is a probe connection (first: 1) of items: their count and
// the first in the order the query asks for conn (a time, descending).
// created, updated and id read an item; withID adds databaseId.
func wantFirst[T any](t *testing.T, q, conn string, items []T, created, updated func(T) time.Time, id func(T) int64, withID bool) tUpdated {
	f, desc := orderOf(t, q, conn)
	if (f != "UPDATED_AT" && f != "CREATED_AT") || !desc {
		t.Fatalf("the test expects %s ordered by a time DESC, the query has %s desc=%v", conn, f, desc)
	}
	u := tUpdated{TotalCount: len(items)}
	sorted := byTime(items, func(x T) (time.Time, int64) { return timeKey(t, f, created(x), updated(x)), id(x) }, true)
	for _, x := range sorted[:min(len(sorted), pageSize(t, q, conn))] {
		n := tUpdatedNode{UpdatedAt: updated(x)}
		if withID {
			v := id(x)
			n.DatabaseID = &v
		}
		u.Nodes = append(u.Nodes, n)
	}
	return u
}

func wantProbe(t *testing.T, q string, r *ghdata.Repo) tProbe {
	p := tProbe{DatabaseID: r.ID, NameWithOwner: r.FullName(), IsArchived: r.Archived, IsFork: r.Fork,
		StargazerCount: len(r.Stars), ForkCount: len(r.Forks)}
	if h := r.Head(); h != nil {
		p.DefaultBranchRef = &struct {
			Name   string `json:"name"`
			Target struct {
				Oid string `json:"oid"`
			} `json:"target"`
		}{Name: r.DefaultBranch}
		p.DefaultBranchRef.Target.Oid = h.SHA
	}
	p.PullRequests = wantFirst(t, q, "pullRequests", r.Pulls, func(x *ghdata.Pull) time.Time { return x.CreatedAt },
		func(x *ghdata.Pull) time.Time { return x.UpdatedAt }, func(x *ghdata.Pull) int64 { return x.ID }, false)
	p.Issues = wantFirst(t, q, "issues", r.Issues, func(x *ghdata.Issue) time.Time { return x.CreatedAt },
		func(x *ghdata.Issue) time.Time { return x.UpdatedAt }, func(x *ghdata.Issue) int64 { return x.ID }, false)
	// A release's updatedAt is its publication time.
	p.Releases = wantFirst(t, q, "releases", r.Releases, func(x *ghdata.Release) time.Time { return x.CreatedAt },
		func(x *ghdata.Release) time.Time { return x.PublishedAt }, func(x *ghdata.Release) int64 { return x.ID }, true)
	return p
}

func TestCollectorOrgRepos(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	if f, desc := orderOf(t, qOrgRepos, "repositories"); f != "NAME" || desc {
		t.Fatalf("the test expects repositories by NAME ASC, the query has %s desc=%v", f, desc)
	}
	type page struct {
		RepositoryOwner *struct {
			Repositories struct {
				TotalCount int       `json:"totalCount"`
				PageInfo   tPageInfo `json:"pageInfo"`
				Nodes      []tProbe  `json:"nodes"`
			} `json:"repositories"`
		} `json:"repositoryOwner"`
		RateLimit tRateLimit `json:"rateLimit"`
	}
	for _, org := range ds.Orgs {
		repos := slices.Clone(ds.OrgRepos(org.Login))
		slices.SortFunc(repos, func(a, b *ghdata.Repo) int { return strings.Compare(a.Name, b.Name) })
		var want []tProbe
		for _, r := range repos {
			want = append(want, wantProbe(t, qOrgRepos, r))
		}
		for _, size := range []int{pageSize(t, qOrgRepos, "repositories"), 1} {
			t.Run(fmt.Sprintf("%s/first:%d", org.Login, size), func(t *testing.T) {
				q := withFirst(t, qOrgRepos, "repositories", size)
				vars := map[string]any{"login": org.Login}
				pages := pageAll(t, e, q, vars, func(p *page) tPageInfo { return p.RepositoryOwner.Repositories.PageInfo })
				if wantPages := (len(repos) + size - 1) / size; len(pages) != wantPages {
					t.Errorf("%d pages, want %d", len(pages), wantPages)
				}
				var got []tProbe
				cost := wantCost(t, e, q, vars)
				for _, p := range pages {
					got = append(got, p.RepositoryOwner.Repositories.Nodes...)
					if p.RepositoryOwner.Repositories.TotalCount != len(repos) {
						t.Errorf("totalCount %d, want %d", p.RepositoryOwner.Repositories.TotalCount, len(repos))
					}
					if p.RateLimit.Cost != cost || p.RateLimit.Remaining != testRate.Remaining || !p.RateLimit.ResetAt.Equal(testRate.ResetAt) {
						t.Errorf("rateLimit %+v, want cost %d and the budget given to Run", p.RateLimit, cost)
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("repositories (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestCollectorRepoProbe(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	for _, r := range ds.Repos {
		var data struct {
			Repository *tProbe    `json:"repository"`
			RateLimit  tRateLimit `json:"rateLimit"`
		}
		decodeOK(t, exec(t, e, qRepoProbe, map[string]any{"owner": r.Owner.Login, "name": r.Name}), &data)
		if diff := cmp.Diff(wantProbe(t, qRepoProbe, r), *data.Repository); diff != "" {
			t.Errorf("%s (-want +got):\n%s", r.FullName(), diff)
		}
	}
}

type tPull struct {
	DatabaseID    int64      `json:"databaseId"`
	Number        int        `json:"number"`
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	ClosedAt      *time.Time `json:"closedAt"`
	MergedAt      *time.Time `json:"mergedAt"`
	Merged        bool       `json:"merged"`
	Author        *tActor    `json:"author"`
	TimelineItems tClosed    `json:"timelineItems"`
	Reviews       tReviews   `json:"reviews"`
}

func wantClosed(at time.Time, by *ghdata.User) tClosed {
	var c tClosed
	c.Nodes = []struct {
		CreatedAt time.Time `json:"createdAt"`
		Actor     *tActor   `json:"actor"`
	}{}
	if !at.IsZero() {
		c.Nodes = append(c.Nodes, struct {
			CreatedAt time.Time `json:"createdAt"`
			Actor     *tActor   `json:"actor"`
		}{at, wantActor(by)})
	}
	return c
}

func wantReviews(rvs []*ghdata.Review, n int) tReviews {
	w := tReviews{TotalCount: len(rvs), PageInfo: tPageInfo{HasNextPage: len(rvs) > n}, Nodes: []tReview{}}
	for _, rv := range rvs[:min(n, len(rvs))] {
		w.Nodes = append(w.Nodes, tReview{DatabaseID: rv.ID, State: rv.State, SubmittedAt: ptime(rv.SubmittedAt), Author: wantActor(rv.Author)})
	}
	return w
}

// ignoreCursors leaves cursor values out of comparisons (they are
// opaque); checkCursor checks their presence instead.
var ignoreCursors = cmpopts.IgnoreFields(tPageInfo{}, "EndCursor")

func TestCollectorPulls(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	field, desc := orderOf(t, qPulls, "pullRequests")
	nReviews := pageSize(t, qPulls, "reviews")
	type page struct {
		Repository *struct {
			PullRequests struct {
				TotalCount int       `json:"totalCount"`
				PageInfo   tPageInfo `json:"pageInfo"`
				Nodes      []tPull   `json:"nodes"`
			} `json:"pullRequests"`
		} `json:"repository"`
		RateLimit tRateLimit `json:"rateLimit"`
	}
	var bots, closedByOthers, manyReviews int
	for _, r := range ds.Repos {
		want := []tPull{}
		for _, p := range byTime(r.Pulls, func(p *ghdata.Pull) (time.Time, int64) {
			return timeKey(t, field, p.CreatedAt, p.UpdatedAt), p.ID
		}, desc) {
			want = append(want, tPull{DatabaseID: p.ID, Number: p.Number, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
				ClosedAt: ptime(p.ClosedAt), MergedAt: ptime(p.MergedAt), Merged: p.Merged(), Author: wantActor(p.Author),
				TimelineItems: wantClosed(p.ClosedAt, p.ClosedBy), Reviews: wantReviews(p.Reviews, nReviews)})
			if p.Author.IsBot() {
				bots++
			}
			if p.ClosedBy != nil && p.ClosedBy != p.Author {
				closedByOthers++
			}
			if len(p.Reviews) > nReviews {
				manyReviews++
			}
		}
		for _, size := range []int{pageSize(t, qPulls, "pullRequests"), 4} {
			t.Run(fmt.Sprintf("%s/first:%d", r.Name, size), func(t *testing.T) {
				q := withFirst(t, qPulls, "pullRequests", size)
				vars := map[string]any{"owner": r.Owner.Login, "name": r.Name}
				pages := pageAll(t, e, q, vars, func(p *page) tPageInfo { return p.Repository.PullRequests.PageInfo })
				var got []tPull
				for _, p := range pages {
					got = append(got, p.Repository.PullRequests.Nodes...)
					if p.Repository.PullRequests.TotalCount != len(r.Pulls) {
						t.Errorf("totalCount %d, want %d", p.Repository.PullRequests.TotalCount, len(r.Pulls))
					}
				}
				if wantPages := max(1, int(math.Ceil(float64(len(r.Pulls))/float64(size)))); len(pages) != wantPages {
					t.Errorf("%d pages, want %d", len(pages), wantPages)
				}
				if diff := cmp.Diff(want, got, ignoreCursors); diff != "" {
					t.Errorf("pull requests in %s order (-want +got):\n%s", field, diff)
				}
				for _, p := range got {
					if (p.Reviews.PageInfo.EndCursor == nil) != (len(p.Reviews.Nodes) == 0) {
						t.Errorf("#%d: reviews endCursor %v with %d nodes", p.Number, p.Reviews.PageInfo.EndCursor, len(p.Reviews.Nodes))
					}
				}
			})
		}
	}
	if bots == 0 || closedByOthers == 0 {
		t.Errorf("the dataset lacks bot-authored (%d) or closed-by-others (%d) pull requests: the test proves less", bots, closedByOthers)
	}
	t.Logf("%d bot pull requests, %d closed by someone else, %d with more than %d reviews", bots, closedByOthers, manyReviews, nReviews)
}

func TestCollectorReviews(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	type page struct {
		Repository *struct {
			PullRequest *struct {
				Reviews tReviews `json:"reviews"`
			} `json:"pullRequest"`
		} `json:"repository"`
		RateLimit tRateLimit `json:"rateLimit"`
	}
	for _, r := range ds.Repos {
		var most *ghdata.Pull
		for _, p := range r.Pulls {
			if most == nil || len(p.Reviews) > len(most.Reviews) {
				most = p
			}
		}
		if len(most.Reviews) < 3 {
			t.Fatalf("%s: no pull request with 3 reviews", r.FullName())
		}
		for _, size := range []int{pageSize(t, qReviews, "reviews"), 2} {
			t.Run(fmt.Sprintf("%s#%d/first:%d", r.Name, most.Number, size), func(t *testing.T) {
				q := withFirst(t, qReviews, "reviews", size)
				vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "number": most.Number}
				pages := pageAll(t, e, q, vars, func(p *page) tPageInfo { return p.Repository.PullRequest.Reviews.PageInfo })
				var got []tReview
				for _, p := range pages {
					got = append(got, p.Repository.PullRequest.Reviews.Nodes...)
				}
				if diff := cmp.Diff(wantReviews(most.Reviews, len(most.Reviews)).Nodes, got); diff != "" {
					t.Errorf("reviews (-want +got):\n%s", diff)
				}
			})
		}
	}
}
