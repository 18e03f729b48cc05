package community

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// The metrics against a fake of what they are computed from: who is new
// and who returns, the pony factor, the community's share, the durations,
// and which questions are asked with which filter (the store's own tests
// ask ClickHouse).

// fakeSource answers PeopleCounts by the filter's period (during the
// question, which ends at end, or the history before it), and keeps every
// filter it saw.
type fakeSource struct {
	end            time.Time
	during, before []store.PersonCount
	shares         []store.ClassShare
	merges         store.MergeTimes
	responses      map[contrib.Kind]store.FirstResponses
	err            error

	mu    sync.Mutex
	asked map[string][]store.LeaderboardFilter
}

func (f *fakeSource) note(what string, lf store.LeaderboardFilter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.asked == nil {
		f.asked = map[string][]store.LeaderboardFilter{}
	}
	f.asked[what] = append(f.asked[what], lf)
}

func (f *fakeSource) PeopleCounts(_ context.Context, lf store.LeaderboardFilter) ([]store.PersonCount, error) {
	if !lf.To.Equal(f.end) {
		f.note("before", lf)
		return f.before, nil
	}
	f.note("during", lf)
	return f.during, f.err
}

func (f *fakeSource) Share(_ context.Context, lf store.LeaderboardFilter) ([]store.ClassShare, error) {
	f.note("share", lf)
	return f.shares, nil
}

func (f *fakeSource) MergeTimes(_ context.Context, lf store.LeaderboardFilter) (store.MergeTimes, error) {
	f.note("merges", lf)
	return f.merges, nil
}

func (f *fakeSource) FirstResponses(_ context.Context, lf store.LeaderboardFilter) (map[contrib.Kind]store.FirstResponses, error) {
	f.note("responses", lf)
	return f.responses, nil
}

var (
	from = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

func TestMeasureAgainstAFake(t *testing.T) {
	src := &fakeSource{
		end: to,
		// 10 contributions: one person's 5 are half.
		during: []store.PersonCount{{Person: 1, Contributions: 1}, {Person: 2, Contributions: 5}, {Person: 3, Contributions: 3}, {Person: 4, Contributions: 1}},
		before: []store.PersonCount{{Person: 3, Contributions: 9}, {Person: 4, Contributions: 1}, {Person: 99, Contributions: 2}},
		shares: []store.ClassShare{{Class: "community", Contributions: 6, People: 2}, {Class: "vendor", Contributions: 2, People: 1}, {Class: "other", Contributions: 2, People: 1}},
		merges: store.MergeTimes{Merged: 7, Timed: 5, Median: time.Hour, P90: 3 * time.Hour},
		responses: map[contrib.Kind]store.FirstResponses{
			contrib.IssueOpened: {Opened: 4, Responded: 2, Median: time.Minute, P90: 10 * time.Minute},
			contrib.PROpened:    {Opened: 3},
		},
	}
	q := leaderboard.Query{Question: store.Question{From: from, To: to, Org: "aws", Program: "heroes", Affiliation: "community"}}
	m, returning, err := Measure(context.Background(), src, q, leaderboard.Settings{Roster: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := Metrics{
		From: from, To: to, Org: "aws",
		ActiveContributors: 4, NewContributors: 2, ReturningContributors: 2,
		Contributions: 10, PonyFactor: 1, CommunityShare: 0.6,
		PullRequestsMerged: 7, TimeToMerge: &Durations{Count: 5, MedianSeconds: 3600, P90Seconds: 10800},
		IssuesOpened: 4, PullRequestsOpened: 3,
		TimeToFirstResponseIssues: &Durations{Count: 2, MedianSeconds: 60, P90Seconds: 600},
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if !returning[3] || !returning[4] || len(returning) != 2 {
		t.Errorf("returning %v, want people 3 and 4", returning)
	}
	// Returning means any contribution before, whatever its kind and
	// whatever its author's program or employer then; the share is of
	// everyone's contributions, whatever the affiliation asked.
	before := src.asked["before"]
	if len(before) != 1 || !before[0].To.Equal(from) || before[0].Org != "aws" || before[0].Program != "" || before[0].Affiliation != "" ||
		!slices.Equal(before[0].Kinds, contrib.ContributionKinds) {
		t.Errorf("the history asked with %+v", before)
	}
	if during := src.asked["during"]; len(during) != 1 || during[0].Program != "heroes" || during[0].Affiliation != "community" {
		t.Errorf("the period asked with %+v", during)
	}
	if share := src.asked["share"]; len(share) != 1 || share[0].Affiliation != "" || share[0].By != "affiliation" {
		t.Errorf("the share asked with %+v", share)
	}
}

// Without a roster nobody is known to be in the community: no share is
// asked. From the first day on there is no history to return from.
func TestMeasureAsksOnlyWhatItNeeds(t *testing.T) {
	src := &fakeSource{end: to, during: []store.PersonCount{{Person: 1, Contributions: 2}}}
	m, _, err := Measure(context.Background(), src, leaderboard.Query{Question: store.Question{From: contrib.FirstDay, To: to}}, leaderboard.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.asked["share"]) != 0 || len(src.asked["before"]) != 0 {
		t.Errorf("asked for a share %d times and the history %d times; want neither", len(src.asked["share"]), len(src.asked["before"]))
	}
	if m.NewContributors != 1 || m.CommunityShare != 0 || m.TimeToMerge != nil || m.TimeToFirstResponseIssues != nil {
		t.Errorf("metrics %+v", m)
	}
	gone := errors.New("connection refused")
	if _, _, err := Measure(context.Background(), &fakeSource{end: to, err: gone}, leaderboard.Query{Question: store.Question{From: from, To: to}}, leaderboard.Settings{}); !errors.Is(err, gone) {
		t.Errorf("the source's error: %v, want it passed on", err)
	}
	if _, _, err := Measure(context.Background(), &fakeSource{}, leaderboard.Query{Question: store.Question{From: to, To: from}}, leaderboard.Settings{}); err == nil {
		t.Error("a period that ends before it starts: no error")
	}
}
