package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// The kind table's last contribution kind flows from an insert to every
// leaderboard: the people rollup, the identity rollup and the raw
// sightings count it and score it by its weight. Under the kindtest build
// (scripts/test.sh) that kind is one only the test build's table has
// (contrib.Discussion), which the schema gains when it is migrated: adding
// a row to the kind table is all a new kind takes to be counted.
func TestTheLastKindFlowsToEveryLeaderboard(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("after migrate: %v", err)
	}
	kinds := contrib.ContributionKinds
	k := kinds[len(kinds)-1]
	weights := contrib.DefaultWeights()
	at := day(2024, 3, 4).Add(10 * time.Hour)
	var cs []contrib.Contribution
	for i := range 3 {
		cs = append(cs, contrib.Contribution{Kind: k, Key: fmt.Sprint(900 + i), CreatedAt: at.AddDate(0, 0, i), ActorID: 10,
			ActorLogin: "ana", RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL})
	}
	cs = append(cs, contrib.Contribution{Kind: contrib.Commit, Key: "1@abc", CreatedAt: at, ActorID: 11, ActorLogin: "bo",
		RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL})
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	f := LeaderboardFilter{Question: Question{From: day(2024, 1, 1), To: day(2025, 1, 1), Kinds: kinds, Limit: 10}, Weights: weights}
	people, identity := peopleVersusIdentity(t, s, f)
	_, raw := leaderboardBoth(t, s, f)
	for name, board := range map[string][]ActorScore{"people rollup": people, "identity rollup": identity, "raw sightings": raw} {
		var ana *ActorScore
		for i := range board {
			if board[i].Login == "ana" {
				ana = &board[i]
			}
		}
		if ana == nil || ana.Counts[k] != 3 || ana.Score != 3*weights[k] {
			t.Errorf("%s: ana %+v, want 3 %s scoring %v", name, ana, k, 3*weights[k])
		}
	}
	// The view the dashboards read counts and scores it too.
	var n uint64
	var points float64
	if err := s.Conn().QueryRow(ctx, "SELECT sum(n), sum(points) FROM contributor_days WHERE name = 'ana' AND kind = ?", string(k)).Scan(&n, &points); err != nil {
		t.Fatal(err)
	}
	if n != 3 || points != 3*weights[k] {
		t.Errorf("contributor_days: ana has %d %s scoring %v, want 3 scoring %v", n, k, points, 3*weights[k])
	}
}

// A schema that lacks a kind of the kind table is not current; one that
// values a kind otherwise than the table is refused, naming both values.
func TestKindsOfTheSchemaAreChecked(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	last := contrib.Kinds[len(contrib.Kinds)-1]
	for _, table := range []string{"rollup_days", "rollup_months", "rollup_years"} {
		if err := s.Conn().Exec(ctx, "ALTER TABLE "+table+" DROP COLUMN c_"+string(last)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CheckSchema(ctx); !errors.Is(err, ErrNotMigrated) {
		t.Fatalf("a rollup without the c_%s column: %v, want ErrNotMigrated", last, err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("migrate did not add the column back: %v", err)
	}

}

// A schema whose enum values a kind otherwise than the kind table, or
// knows a kind the table does not, was written by another contribtrack:
// it is refused, naming the kind (and both values). One that lacks a kind
// at the end is only behind.
func TestKindsLacking(t *testing.T) {
	enum := func(kinds []contrib.Kind, swap bool, extra string) string {
		var parts []string
		for i, k := range kinds {
			v := i + 1
			if swap && i < 2 {
				v = 2 - i
			}
			parts = append(parts, fmt.Sprintf("'%s' = %d", k, v))
		}
		if extra != "" {
			parts = append(parts, fmt.Sprintf("'%s' = %d", extra, len(kinds)+1))
		}
		return "Enum8(" + strings.Join(parts, ", ") + ")"
	}
	all := func(string, string) bool { return true }
	n := len(contrib.Kinds)
	if g, err := kindsLacking(enum(contrib.Kinds, false, ""), all); !g.empty() || err != nil {
		t.Errorf("the table's own schema: %+v, %v", g, err)
	}
	if g, err := kindsLacking(enum(contrib.Kinds[:n-1], false, ""), all); !g.enum || len(g.columns) > 0 || err != nil {
		t.Errorf("an enum without the last kind: %+v, %v", g, err)
	}
	// Only the columns missing are added.
	last := "c_" + string(contrib.Kinds[n-1])
	g, err := kindsLacking(enum(contrib.Kinds, false, ""), func(table, column string) bool { return table != "rollup_months" || column != last })
	if err != nil || g.enum || len(g.columns) != 1 || !slices.Equal(g.columns["rollup_months"], []string{last}) {
		t.Errorf("one column missing: %+v, %v", g, err)
	}
	_, err = kindsLacking(enum(contrib.Kinds, true, ""), all)
	if err == nil || !strings.Contains(err.Error(), "kind "+string(contrib.Kinds[0])+" as 2, the kind table as 1") {
		t.Errorf("swapped values: %v", err)
	}
	if _, err := kindsLacking(enum(contrib.Kinds, false, "sponsorship"), all); err == nil || !strings.Contains(err.Error(), "sponsorship") {
		t.Errorf("a kind the table lacks: %v", err)
	}
	if _, err := kindsLacking("String", all); !errors.Is(err, ErrNotMigrated) {
		t.Errorf("no enum: %v", err)
	}
}

// A kind added to the table makes the people rollup's count arrays one
// count short: filling the gap marks its months stale, so that the next
// refresh rebuilds them at the new length, and leaderboards read the
// identity rollup until then.
func TestAKindAddedMakesThePeopleRollupStale(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	if !s.hasPeopleRollup() {
		t.Skip("this server keeps no people rollup")
	}
	cs := []contrib.Contribution{{Kind: contrib.Commit, Key: "1@abc", CreatedAt: day(2024, 3, 4), ActorID: 10, ActorLogin: "ana",
		RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL}}
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || !fresh {
		t.Fatalf("after a refresh: fresh %v, %v", fresh, err)
	}
	if err := s.fillKindsGap(ctx, kindsGap{enum: true}); err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		t.Errorf("after a kind was added: fresh %v, %v; want the people rollup stale", fresh, err)
	}
	st, err := s.RefreshRollup(ctx)
	if err != nil || st.People == 0 {
		t.Errorf("the refresh rebuilt %+v (%v); want the people rollup's months", st, err)
	}
}
