package community

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

func TestPonyFactor(t *testing.T) {
	pc := func(ns ...uint64) []store.PersonCount {
		var out []store.PersonCount
		for i, n := range ns {
			out = append(out, store.PersonCount{Person: uint64(i), Contributions: n})
		}
		return out
	}
	tests := []struct {
		counts []uint64
		want   int
	}{
		{nil, 0},
		{[]uint64{10}, 1},
		{[]uint64{5, 5}, 1},       // exactly half is enough
		{[]uint64{4, 3, 3}, 2},    // 4 < 5, 7 >= 5
		{[]uint64{1, 1, 1, 1}, 2}, // 2 of 4
		{[]uint64{1, 9, 1, 1}, 1}, // order does not matter
		{[]uint64{3, 3, 3, 3, 3}, 3},
	}
	for _, tt := range tests {
		var total uint64
		for _, n := range tt.counts {
			total += n
		}
		if got := ponyFactor(pc(tt.counts...), total); got != tt.want {
			t.Errorf("ponyFactor(%v) = %d, want %d", tt.counts, got, tt.want)
		}
	}
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestComputeOnAKnownHistory checks every metric against a small history
// worked out by hand, from the raw sightings and from the rollup.
func TestComputeOnAKnownHistory(t *testing.T) {
	ctx := context.Background()
	dsn, _ := chtest.Database(t)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const repo = "aws/x"
	c := func(kind contrib.Kind, key, login string, when string) contrib.Contribution {
		ids := map[string]uint64{"alice": 1, "bob": 2, "carol": 3, "dependabot[bot]": 4, "dave": 5}
		return contrib.Contribution{Kind: kind, Key: key, CreatedAt: at(when), ActorID: ids[login], ActorLogin: login,
			RepoID: 9, RepoName: repo, Org: "aws", Via: contrib.ViaGraphQL}
	}
	pr := func(n int) string { return contrib.KeyForNumber(9, int64(n)) }
	cs := []contrib.Contribution{
		// carol: 2022 only; alice: 2023 and 2024 (returning); bob and dave:
		// first in 2024 (new).
		c(contrib.IssueOpened, pr(100), "carol", "2022-05-01 10:00"),
		c(contrib.IssueOpened, pr(101), "alice", "2023-06-01 10:00"),
		c(contrib.IssueComment, "c1", "alice", "2024-01-05 10:00"),
		c(contrib.IssueComment, "c2", "alice", "2024-02-05 10:00"),
		c(contrib.IssueComment, "c3", "alice", "2024-03-05 10:00"),
		c(contrib.IssueComment, "c4", "dave", "2024-03-06 10:00"),
		// PR 1: bob, 2 days. PR 4: opened in 2023, 10 days. PR 5: 4 days.
		c(contrib.PROpened, pr(1), "bob", "2024-01-01 00:00"),
		c(contrib.PRMerged, pr(1), "alice", "2024-01-03 00:00"),
		c(contrib.PROpened, pr(4), "alice", "2023-12-30 00:00"),
		c(contrib.PRMerged, pr(4), "alice", "2024-01-09 00:00"),
		c(contrib.PROpened, pr(5), "bob", "2024-04-01 00:00"),
		c(contrib.PRMerged, pr(5), "alice", "2024-04-05 00:00"),
		// PR 2 was opened by a bot: merged, not measured, not counted.
		c(contrib.PROpened, pr(2), "dependabot[bot]", "2024-02-01 00:00"),
		c(contrib.PRMerged, pr(2), "alice", "2024-02-01 01:00"),
		// PR 3's opening was never seen: counted, not timed.
		c(contrib.PRMerged, pr(3), "alice", "2024-03-01 00:00"),
	}
	// Numbers and responses: issue 101 (2023) is out of the period. Issue
	// 102 (alice, 2024) is answered by dave a day later and by alice
	// herself earlier (not a response). Issue 103 (carol) gets no answer.
	// Issue 104 was opened by a bot. PR 1 (bob) is reviewed by alice after
	// 6 hours, PR 5 (bob) after 2 days, with a bot's comment before; PR 4
	// (alice, 2023) is out of the period.
	num := func(x contrib.Contribution, n int64) contrib.Contribution { x.Number = n; return x }
	for i := range cs {
		if k := cs[i].Kind; k == contrib.PROpened || k == contrib.PRMerged || k == contrib.IssueOpened {
			var n int64
			fmt.Sscanf(cs[i].Key[len("9#"):], "%d", &n)
			cs[i].Number = n
		}
	}
	cs = append(cs,
		c(contrib.IssueOpened, pr(102), "alice", "2024-05-01 00:00"),
		num(c(contrib.IssueComment, "c10", "alice", "2024-05-01 01:00"), 102),
		num(c(contrib.IssueComment, "c11", "dave", "2024-05-02 00:00"), 102),
		c(contrib.IssueOpened, pr(103), "carol", "2024-05-03 00:00"),
		c(contrib.IssueOpened, pr(104), "dependabot[bot]", "2024-05-04 00:00"),
		num(c(contrib.IssueComment, "c12", "alice", "2024-05-04 01:00"), 104),
		num(c(contrib.PRReview, "r1", "alice", "2024-01-01 06:00"), 1),
		num(c(contrib.IssueComment, "c13", "dependabot[bot]", "2024-04-01 01:00"), 5),
		num(c(contrib.PRReviewComment, "rc1", "alice", "2024-04-03 00:00"), 5),
	)
	for i := range cs {
		if k := cs[i].Kind; (k == contrib.IssueOpened) && cs[i].Number == 0 {
			fmt.Sscanf(cs[i].Key[len("9#"):], "%d", &cs[i].Number)
		}
	}
	// An issue stored without its number (before migration 0008) still
	// counts as opened.
	cs = append(cs, c(contrib.IssueOpened, "9#nonum", "carol", "2024-06-01 00:00"))
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	settings := leaderboard.Settings{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()}
	q := leaderboard.Query{Question: store.Question{From: at("2024-01-01 00:00"), To: at("2025-01-01 00:00"), Repo: repo}}
	// 2024: alice 3+2 comments, 5 merges, an issue, a review and a review
	// comment = 13; bob 2 openings; dave 2 comments; carol 2 issues; the
	// bots' contributions are left out.
	want := Metrics{
		From: q.From, To: q.To, Repo: repo,
		ActiveContributors: 4, NewContributors: 2, ReturningContributors: 2,
		Contributions: 13 + 2 + 2 + 2, PonyFactor: 1,
		PullRequestsMerged: 4,
		TimeToMerge:        &Durations{Count: 3, MedianSeconds: (4 * 24 * time.Hour).Seconds(), P90Seconds: (10 * 24 * time.Hour).Seconds()},
		IssuesOpened:       3, PullRequestsOpened: 2,
		TimeToFirstResponseIssues:       &Durations{Count: 1, MedianSeconds: (24 * time.Hour).Seconds(), P90Seconds: (24 * time.Hour).Seconds()},
		TimeToFirstResponsePullRequests: &Durations{Count: 2, MedianSeconds: (2 * 24 * time.Hour).Seconds(), P90Seconds: (2 * 24 * time.Hour).Seconds()},
	}
	for _, path := range []string{"raw sightings", "rollup"} {
		if path == "rollup" {
			if _, err := s.RefreshRollup(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got, err := Compute(ctx, s, q, settings)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: metrics (-want +got):\n%s", path, diff)
		}
	}

	// A quiet period gives zeros, not an error.
	quiet := leaderboard.Query{Question: store.Question{From: at("2030-01-01 00:00"), To: at("2030-02-01 00:00"), Org: "aws"}}
	got, err := Compute(ctx, s, quiet, settings)
	if err != nil {
		t.Fatal(err)
	}
	if got.ActiveContributors != 0 || got.Contributions != 0 || got.PonyFactor != 0 || got.TimeToMerge != nil {
		t.Errorf("quiet period: %+v", got)
	}
}
