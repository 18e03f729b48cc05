package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/metrics"
	"contribtrack/internal/roster"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

func TestCommunityPeriod(t *testing.T) {
	from, to := metrics.CommunityPeriod(time.Date(2024, 3, 15, 23, 59, 0, 0, time.FixedZone("X", -5*3600)))
	// 23:59 at UTC-5 is 04:59 on the 16th, UTC.
	if want := time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC); !from.Equal(want) {
		t.Errorf("from = %v, want %v", from, want)
	}
	if want := time.Date(2024, 3, 17, 0, 0, 0, 0, time.UTC); !to.Equal(want) {
		t.Errorf("to = %v, want %v", to, want)
	}
}

func TestRefreshCommunityCountsTheLast30Days(t *testing.T) {
	ctx := context.Background()
	dsn, _ := chtest.Database(t)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := roster.Load("../../examples/roster.yaml", "../../examples/identities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportRoster(ctx, r, "examples", nil)
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2024, 3, d, 10, 0, 0, 0, time.UTC) }
	mk := func(key string, kind contrib.Kind, at time.Time, actor uint64, login, repo string) contrib.Contribution {
		return contrib.Contribution{Kind: kind, Key: key, CreatedAt: at, ActorID: actor, ActorLogin: login,
			RepoID: uint64(len(repo)), RepoName: repo, Org: contrib.OrgOf(repo), Via: contrib.ViaGraphQL}
	}
	cs := []contrib.Contribution{
		// Ana, an AWS Hero since 2022, twice in aws.
		mk("a1", contrib.Commit, day(10), 501, "ana-ferreira-dev", "aws/aws-cdk"),
		mk("a2", contrib.PROpened, day(1), 501, "ana-ferreira-dev", "aws/aws-cdk"),
		// Kenji, a Community Builder from 2024-03-01, once in aws.
		mk("k1", contrib.IssueOpened, day(12), 502, "kwatanabe", "aws/jsii"),
		// Someone else, once in another org today, and before the window.
		mk("b1", contrib.PROpened, day(15), 503, "bob", "other/tool"),
		mk("b2", contrib.PROpened, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), 503, "bob", "other/tool"),
		// A star is a signal, not a contribution.
		mk("s1", contrib.Star, day(10), 504, "carol", "aws/aws-cdk"),
	}
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	m := metrics.NewWithoutRuntime()
	now := time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC)
	base := store.LeaderboardFilter{Roster: imp.ID}
	if err := m.RefreshCommunity(ctx, s, base, []string{"aws", "other"}, []string{"aws-heroes", "aws-community-builders"}, now); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, m)
	for _, want := range []string{
		`contribtrack_community_active_contributors{name="",scope="all"} 3`,
		`contribtrack_community_contributions{name="",scope="all"} 4`,
		`contribtrack_community_active_contributors{name="aws",scope="org"} 2`,
		`contribtrack_community_contributions{name="aws",scope="org"} 3`,
		`contribtrack_community_active_contributors{name="other",scope="org"} 1`,
		`contribtrack_community_contributions{name="other",scope="org"} 1`,
		`contribtrack_community_active_contributors{name="aws-heroes",scope="program"} 1`,
		`contribtrack_community_contributions{name="aws-heroes",scope="program"} 2`,
		`contribtrack_community_active_contributors{name="aws-community-builders",scope="program"} 1`,
		`contribtrack_community_contributions{name="aws-community-builders",scope="program"} 1`,
	} {
		if !strings.Contains(body, "\n"+want+"\n") {
			t.Errorf("the scrape lacks %s:\n%s", want, body)
		}
	}

	// An org no longer listed disappears; a failed refresh leaves the
	// gauges as they were.
	if err := m.RefreshCommunity(ctx, s, base, []string{"aws"}, nil, now); err != nil {
		t.Fatal(err)
	}
	if body := scrape(t, m); strings.Contains(body, `name="other"`) || strings.Contains(body, `scope="program"`) ||
		!strings.Contains(body, `contribtrack_community_contributions{name="aws",scope="org"} 3`) {
		t.Errorf("after a refresh with org aws only:\n%s", body)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := m.RefreshCommunity(cancelled, s, base, []string{"other"}, nil, now); err == nil {
		t.Fatal("refresh with a cancelled context succeeded")
	}
	if body := scrape(t, m); !strings.Contains(body, `contribtrack_community_contributions{name="aws",scope="org"} 3`) {
		t.Errorf("a failed refresh changed the gauges:\n%s", body)
	}
}
