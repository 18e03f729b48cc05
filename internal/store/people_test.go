package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/roster"
)

func TestMondayAndBuckets(t *testing.T) {
	for _, tt := range []struct{ in, want time.Time }{
		{day(2024, 1, 1), day(2024, 1, 1)}, // a Monday
		{day(2024, 1, 7), day(2024, 1, 1)}, // Sunday
		{day(2024, 1, 3).Add(13 * time.Hour), day(2024, 1, 1)},
		{day(2023, 3, 1), day(2023, 2, 27)},
	} {
		if got := monday(tt.in); !got.Equal(tt.want) {
			t.Errorf("monday(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if b := uint32(peopleBase + 202401); !isPeopleBucket(b) || partitionOf(b) != 202401 || isPeopleBucket(202401) || yearBucket(b) {
		t.Errorf("people bucket %d: isPeople %v, partition %d", b, isPeopleBucket(b), partitionOf(b))
	}
}

// peopleVersusIdentity asks a leaderboard of the people rollup (which must
// be able to answer it) and of the identity rollup, and returns both.
func peopleVersusIdentity(t *testing.T, s *Store, f LeaderboardFilter) (people, identity []ActorScore) {
	t.Helper()
	ctx := context.Background()
	if !s.peopleAnswers(f) {
		t.Fatalf("%v..%v: the people rollup does not take this question", f.From, f.To)
	}
	// It answers every period that starts before its last snapshot (after
	// it, nothing is stored).
	st, err := s.peopleState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.peopleLeaderboardAnswer(ctx, f); err != nil || ok != f.From.Before(st.end) {
		t.Fatalf("%v..%v: the people rollup answers: %v (%v); its last snapshot is %v", f.From, f.To, ok, err, st.end)
	}
	if people, err = s.Leaderboard(ctx, f); err != nil {
		t.Fatal(err)
	}
	s.identityReads = true
	defer func() { s.identityReads = false }()
	if identity, err = s.Leaderboard(ctx, f); err != nil {
		t.Fatal(err)
	}
	return people, identity
}

// peoplePeriods are periods whose ends fall on Mondays and on other days,
// before, inside and after the data (2022-2024), and on month and year
// boundaries.
func peoplePeriods() [][2]time.Time {
	var out [][2]time.Time
	for _, from := range []time.Time{
		day(2023, 1, 1), day(2023, 1, 2), day(2023, 1, 5), day(2023, 1, 6), day(2023, 3, 15),
		day(2021, 6, 1), day(2022, 1, 1), day(2024, 11, 20), day(2024, 12, 30), day(2026, 2, 2),
	} {
		for _, length := range []int{28, 45, 365, 1000} {
			out = append(out, [2]time.Time{from, from.AddDate(0, 0, length)})
		}
	}
	return out
}

// TestPeopleRollupAnswersEqualTheIdentityRollup: leaderboards read from the
// people rollup equal those read from the identity rollup and the raw
// sightings, and the answer computed in Go, with renamed logins, email
// identities, bots, and a roster that joins identities into people; and
// they stay equal after the roster changes and after new contributions
// (later ones, ones after a gap of months, and older ones).
func TestPeopleRollupAnswersEqualTheIdentityRollup(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	if !s.hasPeopleRollup() {
		t.Skip("this server has no people rollup (a cluster or an old release)")
	}
	d := makeRollupData(11, 5000)
	// A bot among the people, with work in every month.
	var bot []contrib.Contribution
	for m := day(2022, 1, 3); m.Before(day(2025, 1, 1)); m = m.AddDate(0, 0, 9) {
		bot = append(bot, contrib.Contribution{Kind: contrib.PROpened, Key: fmt.Sprintf("9#%d", m.Unix()), CreatedAt: m.Add(5 * time.Hour),
			ActorID: 900, ActorLogin: "renovate-bot", RepoID: 9, RepoName: "org0/repo9", Org: "org0", Via: contrib.ViaGHArchive})
	}
	d.batches = append(d.batches, bot)
	insertBatches(t, s, d.batches)
	st, err := s.RefreshRollup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.People == 0 {
		t.Fatalf("refresh %+v built no people rollup", st)
	}
	weights := map[contrib.Kind]float64{}
	for i, k := range contrib.Kinds {
		weights[k] = float64(1+i%4) / 2
	}
	compare := func(stage string, withExpect bool) {
		t.Helper()
		for _, p := range peoplePeriods() {
			for _, f := range []LeaderboardFilter{
				{Question: Question{Kinds: contrib.ContributionKinds}, BotRegex: `(?i)-bot$`},
				{Question: Question{Kinds: []contrib.Kind{contrib.Commit, contrib.PRReview}, Limit: 3}},
				{Question: Question{Kinds: contrib.Kinds}, BotRegex: `(?i)-bot$`, HumanRegex: `^renovate-bot$`},
			} {
				f.From, f.To, f.Weights = p[0], p[1], weights
				if f.Limit == 0 {
					f.Limit = 1000
				}
				if active, err := s.ActiveRoster(ctx); err != nil {
					t.Fatal(err)
				} else {
					f.Roster = active.ID
				}
				name := fmt.Sprintf("%s: %s..%s kinds=%d limit=%d bots=%q", stage, p[0].Format("2006-01-02"), p[1].Format("2006-01-02"), len(f.Kinds), f.Limit, f.BotRegex)
				people, identity := peopleVersusIdentity(t, s, f)
				if diff := cmp.Diff(identity, people); diff != "" {
					t.Errorf("%s: the people rollup differs from the identity rollup (-identity +people):\n%s", name, diff)
				}
				s.rawReads = true
				raw, err := s.Leaderboard(ctx, f)
				s.rawReads = false
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(raw, people); diff != "" {
					t.Errorf("%s: the people rollup differs from the raw sightings (-raw +people):\n%s", name, diff)
				}
				if withExpect && f.BotRegex == "" {
					want := d.expect(f)
					if len(want) > f.Limit {
						want = want[:f.Limit]
					}
					if diff := cmp.Diff(want, people); diff != "" {
						t.Errorf("%s: the people rollup differs from the expected answer (-want +got):\n%s", name, diff)
					}
				}
			}
		}
	}
	compare("no roster", true)

	// A roster joins two accounts into one member, names a member by a
	// login only, and another by an email: everyone is someone else now.
	r := &roster.Roster{Members: []*roster.Member{
		{Key: "pat", Logins: []string{"user3", "user4"}, GitHubIDs: []int64{3, 4}},
		{Key: "sam", Logins: []string{"user7"}},
		{Key: "kim", Logins: []string{"user12"}, Emails: []string{"dev12@example.com"}},
	}}
	if _, err := s.ImportRoster(ctx, r, "test", nil); err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		t.Fatalf("the rollup is fresh (%v, %v) after a roster import", fresh, err)
	}
	f := LeaderboardFilter{
		Question: Question{
			From:  day(2023, 1, 1),
			To:    day(2024, 1, 1),
			Kinds: contrib.ContributionKinds,
			Limit: 10,
		},
		Weights: weights,
	}
	if _, ok, err := s.peopleLeaderboardAnswer(ctx, f); err != nil || ok {
		t.Fatalf("the people rollup answers (%v, %v) while it is behind the roster", ok, err)
	}
	if st, err := s.RefreshRollup(ctx); err != nil || st.People == 0 || st.Months != 0 {
		t.Fatalf("refresh after a roster import: %+v, %v; want the people rollup alone rebuilt", st, err)
	}
	compare("with a roster", false)

	// Later contributions, some after a gap of a year; then older ones.
	later := []contrib.Contribution{}
	for i, at := range []time.Time{day(2025, 1, 2), day(2025, 1, 8), day(2026, 3, 4), day(2026, 3, 4).Add(time.Hour)} {
		later = append(later, contrib.Contribution{Kind: contrib.Commit, Key: fmt.Sprintf("later%d", i), CreatedAt: at,
			ActorID: uint64(3 + i), ActorLogin: fmt.Sprintf("renamed%d", 3+i), RepoID: 1, RepoName: "org1/repo1", Org: "org1", Via: contrib.ViaGraphQL})
	}
	older := []contrib.Contribution{{Kind: contrib.Commit, Key: "older", CreatedAt: day(2021, 7, 7),
		ActorID: 7, ActorLogin: "user7", RepoID: 1, RepoName: "org1/repo1", Org: "org1", Via: contrib.ViaGraphQL}}
	for _, batch := range [][]contrib.Contribution{later, older} {
		insertBatches(t, s, [][]contrib.Contribution{batch})
		if _, ok, err := s.peopleLeaderboardAnswer(ctx, f); err != nil || ok {
			t.Fatalf("the people rollup answers (%v, %v) while it is behind new contributions", ok, err)
		}
		if _, err := s.RefreshRollup(ctx); err != nil {
			t.Fatal(err)
		}
		compare(fmt.Sprintf("after %d contributions from %s", len(batch), batch[0].CreatedAt.Format("2006-01-02")), false)
	}
}

// TestPeopleRollupSkipsWhatItCannotAnswer: questions the people rollup
// does not hold (an org, a repository, a program, one member, a short
// period, times within a day) go to the identity rollup.
func TestPeopleRollupSkipsWhatItCannotAnswer(t *testing.T) {
	s := &Store{}
	year := LeaderboardFilter{Question: Question{From: day(2023, 1, 1), To: day(2024, 1, 1), Kinds: contrib.ContributionKinds}}
	if !s.peopleAnswers(year) {
		t.Fatal("a year of everything does not go to the people rollup")
	}
	for name, change := range map[string]func(*LeaderboardFilter){
		"org":         func(f *LeaderboardFilter) { f.Org = "org1" },
		"repo":        func(f *LeaderboardFilter) { f.Repo = "org1/repo1" },
		"set":         func(f *LeaderboardFilter) { f.Set = RepoSet{Orgs: []string{"org1"}} },
		"program":     func(f *LeaderboardFilter) { f.Program = "heroes" },
		"affiliation": func(f *LeaderboardFilter) { f.Affiliation = "vendor" },
		"member":      func(f *LeaderboardFilter) { f.Member = "pat" },
		"short":       func(f *LeaderboardFilter) { f.To = f.From.AddDate(0, 0, 27) },
		"hours":       func(f *LeaderboardFilter) { f.To = f.To.Add(time.Hour) },
	} {
		f := year
		change(&f)
		if s.peopleAnswers(f) {
			t.Errorf("%s: the people rollup takes a question it cannot answer", name)
		}
	}
}

// TestPeopleRollupSpansMoreThanAHundredMonths: a build covers every month
// from the first contribution on, each a partition of one INSERT, more
// than ClickHouse allows in one INSERT by default (100); it still builds,
// and answers as the identity rollup does.
func TestPeopleRollupSpansMoreThanAHundredMonths(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	if !s.hasPeopleRollup() {
		t.Skip("this server has no people rollup (a cluster or an old release)")
	}
	var cs []contrib.Contribution
	for i, at := range []time.Time{day(2011, 2, 12), day(2016, 8, 3), day(2024, 5, 20), day(2024, 6, 1)} {
		cs = append(cs, contrib.Contribution{Kind: contrib.Commit, Key: fmt.Sprintf("c%d", i), CreatedAt: at,
			ActorID: uint64(1 + i%2), ActorLogin: fmt.Sprintf("user%d", 1+i%2), RepoID: 1, RepoName: "org1/repo1", Org: "org1", Via: contrib.ViaGraphQL})
	}
	insertBatches(t, s, [][]contrib.Contribution{cs})
	st, err := s.RefreshRollup(ctx)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if st.People == 0 {
		t.Fatalf("refresh %+v built no people rollup", st)
	}
	weights := map[contrib.Kind]float64{contrib.Commit: 1}
	for _, p := range [][2]time.Time{{day(2011, 1, 1), day(2012, 1, 1)}, {day(2016, 1, 1), day(2024, 5, 25)}, {day(2010, 1, 1), day(2030, 1, 1)}} {
		f := LeaderboardFilter{Question: Question{From: p[0], To: p[1], Kinds: []contrib.Kind{contrib.Commit}, Limit: 10}, Weights: weights}
		people, identity := peopleVersusIdentity(t, s, f)
		if diff := cmp.Diff(identity, people); diff != "" || len(people) == 0 {
			t.Errorf("%v..%v: people rollup %v, identity rollup %v", p[0], p[1], people, identity)
		}
	}
}
