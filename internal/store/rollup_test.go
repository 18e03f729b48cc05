package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSplitPeriodCoversThePeriodOnce(t *testing.T) {
	tests := []struct {
		from, to time.Time
		coarsest int
		years    int // whole years expected
	}{
		{day(2023, 1, 1), day(2024, 1, 1), levelYears, 1},
		{day(2022, 12, 15), day(2025, 2, 3), levelYears, 2},
		{day(2022, 12, 15), day(2025, 2, 3), levelMonths, 0},
		{day(2023, 3, 1), day(2023, 9, 1), levelYears, 0},
		{day(2023, 3, 5), day(2023, 3, 20), levelYears, 0},
		{day(2023, 3, 5), day(2023, 4, 2), levelYears, 0},
		{day(2023, 1, 1), day(2024, 1, 1), levelDays, 0},
		{day(2023, 1, 1), day(2023, 1, 1), levelYears, 0},
	}
	for _, tt := range tests {
		r := splitPeriod(tt.from, tt.to, tt.coarsest)
		covered := map[time.Time]int{}
		years := 0
		for _, rg := range []struct {
			level  string
			bounds [2]time.Time
		}{{"day", r.d1}, {"day", r.d2}, {"month", r.m1}, {"month", r.m2}, {"year", r.y}} {
			for d := rg.bounds[0]; d.Before(rg.bounds[1]); d = d.AddDate(0, 0, 1) {
				covered[d]++
			}
			if !rg.bounds[0].Before(rg.bounds[1]) {
				continue // empty
			}
			switch rg.level {
			case "month":
				for _, b := range rg.bounds {
					if b.Day() != 1 {
						t.Errorf("%v..%v: month range bound %v is not a month start", tt.from, tt.to, b)
					}
				}
			case "year":
				for _, b := range rg.bounds {
					if b.Day() != 1 || b.Month() != 1 {
						t.Errorf("%v..%v: year range bound %v is not a year start", tt.from, tt.to, b)
					}
				}
				years = (rg.bounds[1].Year() - rg.bounds[0].Year())
			}
		}
		for d := tt.from; d.Before(tt.to); d = d.AddDate(0, 0, 1) {
			if covered[d] != 1 {
				t.Errorf("%v..%v: day %v covered %d times", tt.from, tt.to, d, covered[d])
			}
			delete(covered, d)
		}
		if len(covered) != 0 {
			t.Errorf("%v..%v: days outside the period covered: %v", tt.from, tt.to, covered)
		}
		if years != tt.years {
			t.Errorf("%v..%v: %d whole years read as years, want %d", tt.from, tt.to, years, tt.years)
		}
	}
}

// rollupData is a deterministic history with everything that makes the
// rollup hard: the same key delivered twice by GH Archive, then seen by
// the API with another time (often another month or year) and another
// actor (an email identity becoming an account), renamed logins, and
// email-only identities.
type rollupData struct {
	batches [][]contrib.Contribution
	winners map[string]contrib.Contribution // kind+key -> the sighting that counts
}

func makeRollupData(seed int64, n int) rollupData {
	rng := rand.New(rand.NewSource(seed))
	start := day(2022, 1, 1)
	span := day(2025, 1, 1).Sub(start)
	login := func(actor uint64, at time.Time) string {
		if actor%5 == 0 && at.After(day(2023, 6, 15)) {
			return fmt.Sprintf("renamed%d", actor)
		}
		return fmt.Sprintf("user%d", actor)
	}
	d := rollupData{winners: map[string]contrib.Contribution{}}
	var archive, api []contrib.Contribution
	for i := 0; i < n; i++ {
		kind := contrib.Kinds[rng.Intn(len(contrib.Kinds))]
		repo := uint64(1 + rng.Intn(6))
		at := start.Add(time.Duration(rng.Int63n(int64(span)))).Truncate(time.Second)
		c := contrib.Contribution{Kind: kind, Key: fmt.Sprintf("%d#%d", repo, i), CreatedAt: at,
			RepoID: repo, RepoName: fmt.Sprintf("org%d/repo%d", repo%3, repo), Org: fmt.Sprintf("org%d", repo%3),
			Via: contrib.ViaGHArchive}
		actor := uint64(1 + rng.Intn(40))
		if kind == contrib.Commit && rng.Intn(4) == 0 {
			c.ActorID, c.EmailDomain = contrib.EmailActorID(fmt.Sprintf("dev%d@example.com", actor)), "example.com"
		} else {
			c.ActorID, c.ActorLogin = actor, login(actor, at)
		}
		d.winners[string(kind)+c.Key] = c
		archive = append(archive, c)
		if rng.Intn(10) == 0 {
			archive = append(archive, c) // delivered twice
		}
		if rng.Intn(5) == 0 {
			// The API sees it too, up to 40 days away, credited to an
			// account: it wins wherever it lands.
			seen := c
			seen.Via = contrib.ViaGraphQL
			seen.CreatedAt = at.Add(time.Duration(rng.Int63n(int64(80*24*time.Hour))) - 40*24*time.Hour)
			seen.ActorID = uint64(1 + rng.Intn(40))
			seen.ActorLogin, seen.EmailDomain = login(seen.ActorID, seen.CreatedAt), ""
			d.winners[string(kind)+c.Key] = seen
			api = append(api, seen)
		}
	}
	rng.Shuffle(len(archive), func(i, j int) { archive[i], archive[j] = archive[j], archive[i] })
	for len(archive) > 0 {
		k := min(len(archive), 700)
		d.batches = append(d.batches, archive[:k])
		archive = archive[k:]
	}
	d.batches = append(d.batches, api)
	return d
}

// expect computes a leaderboard from the winners in Go: everyone with a
// selected contribution in [from, to), counts per kind, score by weight.
func (d rollupData) expect(f LeaderboardFilter) []ActorScore {
	type acc struct {
		ActorScore
		lastAt time.Time
	}
	by := map[uint64]*acc{}
	sel := map[contrib.Kind]bool{}
	for _, k := range f.Kinds {
		sel[k] = true
	}
	for _, c := range d.winners {
		if c.CreatedAt.Before(f.From) || !c.CreatedAt.Before(f.To) || (f.Org != "" && c.Org != f.Org) || (f.Repo != "" && c.RepoName != f.Repo) {
			continue
		}
		a := by[c.ActorID]
		if a == nil {
			a = &acc{ActorScore: ActorScore{ActorID: c.ActorID, Counts: map[contrib.Kind]uint64{}}}
			by[c.ActorID] = a
		}
		if sel[c.Kind] {
			a.Counts[c.Kind]++
			a.Score += f.Weights[c.Kind]
		}
		if c.CreatedAt.After(a.lastAt) {
			a.lastAt, a.Login = c.CreatedAt, c.ActorLogin
		}
	}
	var out []ActorScore
	for _, a := range by {
		if len(a.Counts) == 0 {
			continue
		}
		if a.Login == "" {
			a.Login = contrib.EmailLabel(a.ActorID)
		}
		out = append(out, a.ActorScore)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].Login != out[j].Login {
			return out[i].Login < out[j].Login
		}
		return out[i].ActorID < out[j].ActorID
	})
	return out
}

func insertBatches(t *testing.T, s *Store, batches [][]contrib.Contribution) {
	t.Helper()
	for _, b := range batches {
		if err := s.Insert(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
}

func leaderboardBoth(t *testing.T, s *Store, f LeaderboardFilter) (rollup, raw []ActorScore) {
	t.Helper()
	ctx := context.Background()
	fresh, err := s.RollupFresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !fresh {
		t.Fatal("the rollup is stale after a refresh")
	}
	if rollup, err = s.Leaderboard(ctx, f); err != nil {
		t.Fatal(err)
	}
	s.rawReads = true
	defer func() { s.rawReads = false }()
	if raw, err = s.Leaderboard(ctx, f); err != nil {
		t.Fatal(err)
	}
	return rollup, raw
}

// TestRollupAnswersEqualTheRawSightings checks leaderboards read from the
// rollup against the same leaderboards computed from the raw sightings and
// against the answer computed in Go, over periods that use every level.
func TestRollupAnswersEqualTheRawSightings(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	d := makeRollupData(7, 6000)
	insertBatches(t, s, d.batches)
	st, err := s.RefreshRollup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("refresh: %+v", st)
	if st.Months == 0 || st.Years == 0 {
		t.Fatalf("refresh rebuilt %d months and %d years", st.Months, st.Years)
	}
	weights := map[contrib.Kind]float64{}
	for i, k := range contrib.Kinds {
		weights[k] = float64(1 + i%4)
	}
	periods := [][2]time.Time{
		{day(2023, 1, 1), day(2024, 1, 1)},
		{day(2022, 12, 15), day(2025, 1, 1)},
		{day(2023, 3, 1), day(2023, 9, 1)},
		{day(2023, 3, 5), day(2023, 3, 6)},
		{day(2022, 11, 20), day(2023, 2, 10)},
		{day(2021, 1, 1), day(2030, 1, 1)},
		{day(2023, 3, 5).Add(7 * time.Hour), day(2023, 4, 2).Add(30 * time.Minute)}, // times within days: raw sightings
	}
	for _, p := range periods {
		for _, f := range []LeaderboardFilter{
			{Question: Question{Kinds: contrib.ContributionKinds}},
			{Question: Question{Kinds: []contrib.Kind{contrib.Commit, contrib.PRReview}}},
			{Question: Question{Kinds: contrib.Kinds, Org: "org1"}},
			{Question: Question{Kinds: contrib.ContributionKinds, Repo: "org2/repo5"}},
			{
				Question: Question{
					Kinds: contrib.ContributionKinds,
					Set:   RepoSet{Orgs: []string{"ORG1"}, Repos: []string{"org2/repo5"}},
				},
			},
		} {
			f.From, f.To, f.Weights, f.Limit = p[0], p[1], weights, 1000
			name := fmt.Sprintf("%s..%s kinds=%d org=%q repo=%q", p[0].Format("2006-01-02"), p[1].Format("2006-01-02"), len(f.Kinds), f.Org, f.Repo)
			rollup, raw := leaderboardBoth(t, s, f)
			if diff := cmp.Diff(raw, rollup); diff != "" {
				t.Errorf("%s: rollup differs from the raw sightings (-raw +rollup):\n%s", name, diff)
			}
			if f.Set.Empty() {
				if diff := cmp.Diff(d.expect(f), rollup); diff != "" {
					t.Errorf("%s: rollup differs from the expected answer (-want +got):\n%s", name, diff)
				}
			} else {
				// The set is org1 and org2/repo5: their leaderboards merged.
				parts := map[uint64]uint64{}
				for _, g := range []LeaderboardFilter{{Question: Question{Org: "org1"}}, {Question: Question{Repo: "org2/repo5"}}} {
					g.From, g.To, g.Kinds, g.Weights, g.Limit = f.From, f.To, f.Kinds, f.Weights, f.Limit
					for _, a := range d.expect(g) {
						for _, n := range a.Counts {
							parts[a.ActorID] += n
						}
					}
				}
				got := map[uint64]uint64{}
				for _, a := range rollup {
					for _, n := range a.Counts {
						got[a.ActorID] += n
					}
				}
				if diff := cmp.Diff(parts, got); diff != "" {
					t.Errorf("%s: the set's counts differ from its org's and repository's (-want +got):\n%s", name, diff)
				}
			}
			// Activity in every unit adds up to the leaderboard, and reads
			// the same from the rollup as from the raw sightings.
			var total uint64
			for _, a := range rollup {
				for _, n := range a.Counts {
					total += n
				}
			}
			for _, unit := range ActivityUnits {
				act, err := s.Activity(ctx, f, unit)
				if err != nil {
					t.Fatal(err)
				}
				s.rawReads = true
				actRaw, err := s.Activity(ctx, f, unit)
				s.rawReads = false
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(actRaw, act); diff != "" {
					t.Errorf("%s: activity by %s from the rollup differs from the raw sightings (-raw +rollup):\n%s", name, unit, diff)
				}
				var sum uint64
				for _, b := range act {
					sum += b.Contributions
					if b.Start.Before(f.From.AddDate(-1, 0, 0)) || !b.Start.Before(f.To) {
						t.Errorf("%s: %s bucket %v outside the period", name, unit, b.Start)
					}
				}
				if sum != total {
					t.Errorf("%s: activity by %s adds up to %d, the leaderboard to %d", name, unit, sum, total)
				}
			}
			if len(rollup) == 0 {
				t.Errorf("%s: empty leaderboard", name)
			}
			// Totals agree with the leaderboard (everyone is listed).
			totals, err := s.Totals(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var sum uint64
			for _, a := range rollup {
				for _, n := range a.Counts {
					sum += n
				}
			}
			if totals.People != uint64(len(rollup)) || totals.Contributions != sum {
				t.Errorf("%s: totals %+v, leaderboard %d people and %d contributions", name, totals, len(rollup), sum)
			}
			// Share reads day rows (its classes are dated).
			shareRollup, err := s.Share(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			s.rawReads = true
			shareRaw, err := s.Share(ctx, f)
			s.rawReads = false
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(shareRaw, shareRollup); diff != "" {
				t.Errorf("%s: share from the rollup differs from the raw sightings (-raw +rollup):\n%s", name, diff)
			}
		}
	}
}

// TestRollupFollowsNewSightings: an insert makes the rollup stale (and
// the answers stay exact from the raw sightings); a refresh catches up,
// including a key whose new winning sighting moved it to another year.
func TestRollupFollowsNewSightings(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	old := contrib.Contribution{Kind: contrib.PROpened, Key: "9#1", CreatedAt: time.Date(2024, 1, 2, 3, 0, 0, 0, time.UTC),
		ActorID: 1, ActorLogin: "ana", RepoID: 9, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGHArchive}
	insertBatches(t, s, [][]contrib.Contribution{{old}})
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || !fresh {
		t.Fatalf("fresh %v, %v after a refresh", fresh, err)
	}
	moved := old
	moved.CreatedAt, moved.ActorID, moved.ActorLogin, moved.Via = time.Date(2023, 12, 31, 23, 0, 0, 0, time.UTC), 2, "bo", contrib.ViaGraphQL
	insertBatches(t, s, [][]contrib.Contribution{{moved}})
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		t.Fatalf("fresh %v, %v after an insert", fresh, err)
	}
	weights := map[contrib.Kind]float64{contrib.PROpened: 1}
	year := func(y int) LeaderboardFilter {
		return LeaderboardFilter{
			Question: Question{
				From:  day(y, 1, 1),
				To:    day(y+1, 1, 1),
				Kinds: []contrib.Kind{contrib.PROpened},
				Limit: 10,
			},
			Weights: weights,
		}
	}
	check := func(when string) {
		t.Helper()
		for y, want := range map[int][]ActorScore{
			2023: {{ActorID: 2, Login: "bo", Score: 1, Counts: map[contrib.Kind]uint64{contrib.PROpened: 1}}},
			2024: nil,
		} {
			got, err := s.Leaderboard(ctx, year(y))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: %d (-want +got):\n%s", when, y, diff)
			}
		}
	}
	check("stale rollup")
	st, err := s.RefreshRollup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 2023-12 (the new sighting), 2024-01 (the old one's month, which
	// lost the key), and both years.
	if st.Months != 2 || st.Years != 2 {
		t.Errorf("refresh rebuilt %d months and %d years, want 2 and 2", st.Months, st.Years)
	}
	check("refreshed rollup")

	// Refreshes leave no build tables behind.
	for i := 0; i < 3; i++ {
		insertBatches(t, s, [][]contrib.Contribution{{moved}})
		if _, err := s.RefreshRollup(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var leftovers uint64
	if err := s.Conn().QueryRow(ctx, `SELECT count() FROM system.tables WHERE database = currentDatabase() AND name LIKE '%\\_build\\_%'`).Scan(&leftovers); err != nil {
		t.Fatal(err)
	}
	if leftovers != 0 {
		t.Errorf("%d build tables left behind", leftovers)
	}
	check("after more refreshes")
}

func TestStatementsHaveOneMarkerEach(t *testing.T) {
	for _, st := range []stages{{}, {counts: true}, {memberships: true}, {affiliations: true}, {true, true, true, false}, {true, true, true, true}, {credited: true}} {
		for name, outer := range map[string]string{"leaderboard": leaderboardSQL, "share": shareSQL, "totals": totalsSQL} {
			q := statement(outer, st)
			if slots := queries.Slots(q); !slices.Equal(slots, []string{"rows"}) {
				t.Errorf("%s %+v: slots %q left, want one rows line", name, st, slots)
			}
		}
	}
	// The rows put in leave nothing to fill.
	for name, rows := range map[string]string{"raw": rawRowsSQL, "days": rollupRows["rollup_days"], "months": rollupRows["rollup_months"], "years": rollupRows["rollup_years"]} {
		if slots := queries.Slots(rows); !slices.Equal(slots, []string{"only"}) {
			t.Errorf("%s rows: slots %q, want one only line", name, slots)
		}
	}
	if slots := queries.Slots(onlyRowsSQL + rollupRowsUnion); len(slots) != 0 {
		t.Errorf("the only condition and the union have slots %q", slots)
	}
}

// The count columns of every kind of rows are in the order of
// contrib.Kinds (the statements sum them by position).
func TestRowsCountTheKindsInOrder(t *testing.T) {
	cols := make([]string, len(contrib.Kinds))
	for i, k := range contrib.Kinds {
		cols[i] = "c_" + string(k)
	}
	want := strings.Join(cols, ", ")
	for name, q := range map[string]string{"days": rollupRows["rollup_days"], "months": rollupRows["rollup_months"], "years": rollupRows["rollup_years"],
		"counts": queries.MustRead("identity_counts.sql")} {
		if !strings.Contains(q, want) {
			t.Errorf("%s: no column list %q", name, want)
		}
	}
}

// A refresh cut short right after a month was swapped in leaves its year
// stale (not fresh with old year rows), and the next refresh repairs it.
func TestRollupRefreshCutShortAfterASwap(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	c := contrib.Contribution{Kind: contrib.PROpened, Key: "9#1", CreatedAt: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC),
		ActorID: 1, ActorLogin: "ana", RepoID: 9, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL}
	insertBatches(t, s, [][]contrib.Contribution{{c}})
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	c2 := c
	c2.Key, c2.ActorID, c2.ActorLogin = "9#2", 2, "bo"
	insertBatches(t, s, [][]contrib.Contribution{{c2}})
	cut := errors.New("cut short")
	s.hooks.afterSwap = func() error { return cut }
	_, err := s.RefreshRollup(ctx)
	s.hooks.afterSwap = nil
	if !errors.Is(err, cut) {
		t.Fatalf("refresh: %v, want the cut", err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		t.Fatalf("after a refresh cut short: fresh %v, %v; want stale", fresh, err)
	}
	f := LeaderboardFilter{
		Question: Question{
			From:  day(2024, 1, 1),
			To:    day(2025, 1, 1),
			Kinds: []contrib.Kind{contrib.PROpened},
			Limit: 10,
		},
		Weights: map[contrib.Kind]float64{contrib.PROpened: 1},
	}
	for _, when := range []string{"stale", "refreshed"} {
		if when == "refreshed" {
			if _, err := s.RefreshRollup(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Leaderboard(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Errorf("%s: %d people in 2024, want ana and bo: %+v", when, len(got), got)
		}
	}
}

// Sightings of one key in one batch share their version: the latest wins,
// before and after ClickHouse merges them, from the rollup and from the
// raw rows.
func TestSameVersionSightingsHaveOneWinner(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	closed := contrib.Contribution{Kind: contrib.IssueClosed, Key: "9#7", CreatedAt: time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC),
		ActorID: 1, ActorLogin: "ana", RepoID: 9, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGHArchive}
	again := closed // reopened, then closed again by someone else
	again.CreatedAt, again.ActorID, again.ActorLogin = time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC), 2, "bo"
	insertBatches(t, s, [][]contrib.Contribution{{again, closed}})
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	month := func(m time.Month) LeaderboardFilter {
		return LeaderboardFilter{
			Question: Question{
				From:  day(2024, m, 1),
				To:    day(2024, m+1, 1),
				Kinds: []contrib.Kind{contrib.IssueClosed},
				Limit: 10,
			},
			Weights: map[contrib.Kind]float64{contrib.IssueClosed: 1},
		}
	}
	for _, when := range []string{"before the merge", "after the merge"} {
		if when == "after the merge" {
			if err := s.Conn().Exec(ctx, "OPTIMIZE TABLE contributions FINAL"); err != nil {
				t.Fatal(err)
			}
		}
		for _, raw := range []bool{false, true} {
			s.rawReads = raw
			jan, err := s.Leaderboard(ctx, month(time.January))
			if err != nil {
				t.Fatal(err)
			}
			feb, err := s.Leaderboard(ctx, month(time.February))
			if err != nil {
				t.Fatal(err)
			}
			if len(jan) != 0 || len(feb) != 1 || feb[0].Login != "bo" {
				t.Errorf("%s (raw %v): January %+v, February %+v; want bo's close in February only", when, raw, jan, feb)
			}
		}
		s.rawReads = false
	}
}

// Two refreshes at once: an older build swapped in over a newer one's
// rows leaves the bucket stale, not fresh with old rows.
func TestOvertakenBuildLeavesTheBucketStale(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	c := contrib.Contribution{Kind: contrib.PROpened, Key: "9#1", CreatedAt: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC),
		ActorID: 1, ActorLogin: "ana", RepoID: 9, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL}
	insertBatches(t, s, [][]contrib.Contribution{{c}})
	months := []uint32{202405}
	covers, err := s.latestMarks(ctx, months)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := s.nextGen(ctx, months)
	if err != nil {
		t.Fatal(err)
	}
	// The first refresh builds May's rows, checks that no newer build was
	// recorded, and while it swaps in, a new contribution arrives and a
	// second refresh completes.
	s.hooks.beforeSwap = func() {
		s.hooks.beforeSwap = nil
		c2 := c
		c2.Key, c2.ActorID, c2.ActorLogin = "9#2", 2, "bo"
		insertBatches(t, s, [][]contrib.Contribution{{c2}})
		if _, err := s.RefreshRollup(ctx); err != nil {
			t.Error(err)
		}
	}
	lo, hi := monthStart(202405), monthStart(202405).AddDate(0, 1, 0)
	err = s.rebuild(ctx, []string{"rollup_days"}, []string{rollupDaysSQL}, []any{clickhouse.Named("months", groupSet(months)),
		clickhouse.Named("lo", uint32(lo.Unix())), clickhouse.Named("hi", uint32(hi.Unix()))}, months, gen, covers)
	s.hooks.beforeSwap = nil
	if err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		t.Fatalf("after an overtaken build: fresh %v, %v; want stale", fresh, err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Leaderboard(ctx, LeaderboardFilter{
		Question: Question{
			From:  day(2024, 5, 1),
			To:    day(2024, 6, 1),
			Kinds: []contrib.Kind{contrib.PROpened},
			Limit: 10,
		},
		Weights: map[contrib.Kind]float64{contrib.PROpened: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("May after the next refresh: %+v, want ana and bo", got)
	}
}

// TestRefreshesTakeTurns: on a cluster, a refresh started while another is
// swapping its buckets in waits for it (one refresh at a time, across
// processes: an older build swapped in between a newer one's shards would
// pass for it).
func TestRefreshesTakeTurns(t *testing.T) {
	ctx := context.Background()
	s, _ := onCluster(t)
	c := contrib.Contribution{Kind: contrib.PROpened, Key: "9#1", CreatedAt: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC),
		ActorID: 1, ActorLogin: "ana", RepoID: 9, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL}
	insertBatches(t, s, [][]contrib.Contribution{{c}})
	second := make(chan error, 1)
	s.hooks.beforeSwap = func() {
		s.hooks.beforeSwap = nil
		go func() { _, err := s.RefreshRollup(ctx); second <- err }()
		select {
		case err := <-second:
			t.Errorf("a second refresh ran (%v) while the first was swapping in", err)
		case <-time.After(2 * time.Second):
		}
	}
	defer func() { s.hooks.beforeSwap = nil }()
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-second:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the second refresh never ran")
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || !fresh {
		t.Errorf("after both refreshes: fresh %v, %v", fresh, err)
	}
}
