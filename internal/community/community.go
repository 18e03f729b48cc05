// Package community computes a project's health metrics for a period, in
// the spirit of CHAOSS: who is active, who is new and who came back, how
// long pull requests wait to be merged, how much of the work the community
// does, and how few people do half of it. The API, reports and dashboards
// share these definitions (docs/metrics.md).
package community

import (
	"context"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// Metrics are a project's numbers for a period. Their JSON form is part
// of the API.
type Metrics struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Org  string    `json:"org,omitempty"`
	Repo string    `json:"repo,omitempty"`

	// People with a contribution in the period (bots left out), and of
	// those, people whose first contribution to the project (within the
	// stored history) is in the period, and people who had contributed
	// before it.
	ActiveContributors    int `json:"active_contributors"`
	NewContributors       int `json:"new_contributors"`
	ReturningContributors int `json:"returning_contributors"`
	// Contributions of the selected kinds in the period.
	Contributions uint64 `json:"contributions"`
	// PonyFactor is the smallest number of people who made at least half
	// of the contributions (0 when there are none).
	PonyFactor int `json:"pony_factor"`
	// CommunityShare is the community's part of the contributions (0..1),
	// with vendor staff and others the rest (see share).
	CommunityShare float64 `json:"community_share"`

	PullRequestsMerged uint64     `json:"pull_requests_merged"`
	TimeToMerge        *Durations `json:"time_to_merge"`

	// Issues and pull requests opened in the period (bots' left out), and
	// how long those that got one waited for a first response from someone
	// else (a comment or review; bots' left out).
	IssuesOpened                    uint64     `json:"issues_opened"`
	PullRequestsOpened              uint64     `json:"pull_requests_opened"`
	TimeToFirstResponseIssues       *Durations `json:"time_to_first_response_issues"`
	TimeToFirstResponsePullRequests *Durations `json:"time_to_first_response_pull_requests"`
}

// Durations summarise how long something took, in seconds.
type Durations struct {
	Count         uint64  `json:"count"` // measured (pull requests whose opening is known)
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
}

// Source is what the metrics are computed from; *store.Store is one.
type Source interface {
	leaderboard.Sharer
	PeopleCounts(ctx context.Context, f store.LeaderboardFilter) ([]store.PersonCount, error)
	MergeTimes(ctx context.Context, f store.LeaderboardFilter) (store.MergeTimes, error)
	FirstResponses(ctx context.Context, f store.LeaderboardFilter) (map[contrib.Kind]store.FirstResponses, error)
}

// Compute returns the metrics of the project (q.Org or q.Repo, everything
// stored when both are empty) for q's period and filters.
func Compute(ctx context.Context, src Source, q leaderboard.Query, s leaderboard.Settings) (Metrics, error) {
	m, _, err := Measure(ctx, src, q, s)
	return m, err
}

// Measure is Compute that also says which of the active contributors are
// returning ones (by leaderboard.Entry.Person); the others are new.
func Measure(ctx context.Context, src Source, q leaderboard.Query, s leaderboard.Settings) (Metrics, map[uint64]bool, error) {
	q.Limit = 1 // not used
	if err := q.Validate(); err != nil {
		return Metrics{}, nil, err
	}
	m := Metrics{From: q.From, To: q.To, Org: q.Org, Repo: q.Repo}
	f, err := leaderboard.Filter(q, s)
	if err != nil {
		return Metrics{}, nil, err
	}
	// The questions are independent: ask them at once.
	var (
		during, earlier []store.PersonCount
		shares          []leaderboard.ClassShare
		mt              store.MergeTimes
		fr              map[contrib.Kind]store.FirstResponses
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { during, err = src.PeopleCounts(gctx, f); return err })
	if q.From.After(contrib.FirstDay) {
		// Returning means any contribution to the project before, whatever
		// its kind and whatever program or employer its author had then.
		before := f
		before.From, before.To = contrib.FirstDay, q.From
		before.Kinds = contrib.ContributionKinds
		before.Program, before.Category, before.Group, before.Region, before.Country, before.Affiliation = "", "", "", "", "", ""
		g.Go(func() (err error) { earlier, err = src.PeopleCounts(gctx, before); return err })
	}
	// The community's share is of everyone's contributions: an
	// affiliation filter would make it 0 or 1. Without a roster nobody is
	// known to be in the community: 0, without asking.
	if s.Roster != 0 {
		all := q
		all.Affiliation = ""
		g.Go(func() (err error) {
			shares, err = leaderboard.ComputeShare(gctx, src, all, s, "affiliation")
			return err
		})
	}
	g.Go(func() (err error) { mt, err = src.MergeTimes(gctx, f); return err })
	g.Go(func() (err error) { fr, err = src.FirstResponses(gctx, f); return err })
	if err := g.Wait(); err != nil {
		return Metrics{}, nil, err
	}

	m.ActiveContributors = len(during)
	for _, p := range during {
		m.Contributions += p.Contributions
	}
	m.PonyFactor = ponyFactor(during, m.Contributions)
	seen := make(map[uint64]bool, len(earlier))
	for _, p := range earlier {
		seen[p.Person] = true
	}
	returning := map[uint64]bool{}
	for _, p := range during {
		if seen[p.Person] {
			returning[p.Person] = true
		}
	}
	m.ReturningContributors = len(returning)
	m.NewContributors = m.ActiveContributors - m.ReturningContributors
	for _, c := range shares {
		if c.Class == "community" {
			m.CommunityShare = c.Share
		}
	}
	m.PullRequestsMerged = mt.Merged
	if mt.Timed > 0 {
		m.TimeToMerge = &Durations{Count: mt.Timed, MedianSeconds: mt.Median.Seconds(), P90Seconds: mt.P90.Seconds()}
	}
	m.IssuesOpened, m.PullRequestsOpened = fr[contrib.IssueOpened].Opened, fr[contrib.PROpened].Opened
	m.TimeToFirstResponseIssues = responses(fr[contrib.IssueOpened])
	m.TimeToFirstResponsePullRequests = responses(fr[contrib.PROpened])
	return m, returning, nil
}

func responses(r store.FirstResponses) *Durations {
	if r.Responded == 0 {
		return nil
	}
	return &Durations{Count: r.Responded, MedianSeconds: r.Median.Seconds(), P90Seconds: r.P90.Seconds()}
}

// ponyFactor is the smallest number of people (most active first) whose
// contributions add up to at least half of total.
func ponyFactor(people []store.PersonCount, total uint64) int {
	if total == 0 {
		return 0
	}
	counts := make([]uint64, len(people))
	for i, p := range people {
		counts[i] = p.Contributions
	}
	// Most first (the store sorts them, but do not rely on it).
	sort.Slice(counts, func(i, j int) bool { return counts[i] > counts[j] })
	var sum uint64
	for i, c := range counts {
		sum += c
		if 2*sum >= total {
			return i + 1
		}
	}
	return len(counts)
}
