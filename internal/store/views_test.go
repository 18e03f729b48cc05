package store

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/roster"
)

// Every command that writes (EnsureSchema) puts back a view that is
// missing and replaces one that is not this binary's; migrate does too.
func TestViewsAreKeptByEveryWriter(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	exists := func(v string) bool {
		t.Helper()
		var n uint64
		if err := s.Conn().QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = ?", v).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	for _, v := range Views {
		if err := s.Conn().Exec(ctx, "DROP VIEW "+v); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("without the view %s the schema is not current: %v (the views hold no data)", v, err)
		}
		if err := s.EnsureSchema(ctx); err != nil || !exists(v) {
			t.Fatalf("EnsureSchema did not put %s back: %v", v, err)
		}
	}
	// An older binary's bot rules: none.
	if err := s.Conn().Exec(ctx, "CREATE OR REPLACE VIEW bot_rules AS SELECT 'stale' AS bot_regex, '' AS human_regex"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	var re string
	if err := s.Conn().QueryRow(ctx, "SELECT bot_regex FROM bot_rules").Scan(&re); err != nil || re == "stale" {
		t.Errorf("EnsureSchema left a stale view: bot_regex %q, %v", re, err)
	}
	if err := s.Conn().Exec(ctx, "DROP VIEW contributor_days"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil || !exists("contributor_days") {
		t.Errorf("migrate did not put contributor_days back: %v", err)
	}
}

// A view reads the active roster where its statements take a roster, and
// binds nothing else.
func TestViewsBindNothing(t *testing.T) {
	for _, v := range Views {
		text, err := viewText("views/" + v + ".sql")
		if err != nil {
			t.Error(err)
		}
		if strings.Contains(text, "@roster") || strings.Contains(text, "@imp") {
			t.Errorf("%s: the roster parameter is left", v)
		}
	}
	if err := unbound("x.sql", "SELECT 1 -- @fine in a comment\nWHERE a = @other"); err == nil || !strings.Contains(err.Error(), "@other") {
		t.Errorf("a parameter left: %v, want an error naming it", err)
	}
	if err := unbound("x.sql", "SELECT 1 -- @fine in a comment"); err != nil {
		t.Errorf("a parameter in a comment: %v", err)
	}
}

// The views score and find bots by the rules published, and by the kind
// table's weights and the roster alone before any publication.
func TestPublishedRulesScoreTheViews(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	at := day(2024, 3, 4).Add(10 * time.Hour)
	var cs []contrib.Contribution
	for i, who := range []string{"ana", "ana", "ci-runner"} {
		cs = append(cs, contrib.Contribution{Kind: contrib.Commit, Key: string(rune('a'+i)) + "@abc", CreatedAt: at, ActorID: uint64(10 + len(who)),
			ActorLogin: who, RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL})
	}
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when string, anaPoints float64, ciBot uint8) {
		t.Helper()
		var points float64
		if err := s.Conn().QueryRow(ctx, "SELECT sum(points) FROM contributor_days WHERE name = 'ana'").Scan(&points); err != nil {
			t.Fatal(err)
		}
		var bot uint8
		if err := s.Conn().QueryRow(ctx, "SELECT max(bot) FROM contributor_days WHERE name = 'ci-runner'").Scan(&bot); err != nil {
			t.Fatal(err)
		}
		if points != anaPoints || bot != ciBot {
			t.Errorf("%s: ana scores %v, ci-runner bot %d; want %v and %d", when, points, bot, anaPoints, ciBot)
		}
	}
	check("before any publication", 2*contrib.DefaultWeights()[contrib.Commit], 0)

	rules := ScoringRules{Weights: map[contrib.Kind]float64{contrib.Commit: 4, contrib.PRMerged: 3}, BotRegex: "^ci-"}
	if err := s.PublishRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	check("published", 8, 1)
	published, err := s.PublishedRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if published["weight.commit"] != "4" || published["weight.pr_merged"] != "3" || published["bot_regex"] != "^ci-" {
		t.Errorf("published rules: %v", published)
	}
	// A publisher whose clock is behind the last one's still publishes.
	if err := s.Conn().Exec(ctx, "INSERT INTO scoring_rules (name, value, version) VALUES ('weight.commit', '9', ?)", uint64(time.Now().Add(time.Hour).UnixNano())); err != nil {
		t.Fatal(err)
	}
	check("a later version from a clock ahead", 18, 1)
	if err := s.PublishRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	check("published again after it", 8, 1)
	rules.HumanRegex = "^ci-runner$"
	if err := s.PublishRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	check("a human rule published", 8, 0)
}

// No view column is Nullable: a dashboard that joins a view gets 0 or ”
// for a missing row, as from a table (a scalar subquery is Nullable, and
// a Nullable bot flag dropped unmatched rows from a dashboard's join).
func TestViewColumnsAreNotNullable(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	rows, err := s.Conn().Query(ctx, "SELECT table, name, type FROM system.columns WHERE database = currentDatabase() AND table IN ? ORDER BY table, position", Views)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var table, name, typ string
		if err := rows.Scan(&table, &name, &typ); err != nil {
			t.Fatal(err)
		}
		seen[table] = true
		if strings.Contains(typ, "Nullable") {
			t.Errorf("%s.%s is %s", table, name, typ)
		}
	}
	// A parameterised view has no columns in system.columns: describe a
	// call of it.
	for _, v := range []string{"contributor_credits", "contributor_period"} {
		d, err := s.Conn().Query(ctx, "DESCRIBE (SELECT * FROM "+v+"(from = 0, to = 86400))")
		if err != nil {
			t.Fatal(err)
		}
		for d.Next() {
			var name, typ, defaultType, defaultExpr, comment, codec, ttl string
			if err := d.Scan(&name, &typ, &defaultType, &defaultExpr, &comment, &codec, &ttl); err != nil {
				t.Fatal(err)
			}
			seen[v] = true
			if strings.Contains(typ, "Nullable") {
				t.Errorf("%s.%s is %s", v, name, typ)
			}
		}
		d.Close()
	}
	for _, v := range Views {
		if !seen[v] {
			t.Errorf("no columns read for the view %s", v)
		}
	}
}

// Someone who opted out under one login stays hidden under the next, for
// the API (People) and in the view, on every row.
func TestOptOutFollowsTheIdentity(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	at := day(2024, 3, 4).Add(10 * time.Hour)
	var cs []contrib.Contribution
	for i, login := range []string{"oldname", "newname", "someone"} {
		id := uint64(500)
		if login == "someone" {
			id = 501
		}
		cs = append(cs, contrib.Contribution{Kind: contrib.IssueComment, Key: fmt.Sprint(700 + i), CreatedAt: at.AddDate(0, 0, i), ActorID: id,
			ActorLogin: login, RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL})
	}
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportRoster(ctx, &roster.Roster{OptOut: []string{"oldname"}}, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	people, err := s.People(ctx, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !people.Hidden[500] || people.Hidden[501] {
		t.Errorf("People: hidden %v, want 500 (opted out as oldname, now newname) and not 501", people.Hidden)
	}
	rows, err := s.Conn().Query(ctx, "SELECT name, hidden FROM contributor_days ORDER BY day")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]uint8{}
	for rows.Next() {
		var name string
		var hidden uint8
		if err := rows.Scan(&name, &hidden); err != nil {
			t.Fatal(err)
		}
		got[name] = hidden
	}
	if want := map[string]uint8{"oldname": 1, "newname": 1, "someone": 0}; !maps.Equal(got, want) {
		t.Errorf("contributor_days: hidden by name %v, want %v", got, want)
	}
}
