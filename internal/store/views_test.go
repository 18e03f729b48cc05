package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// Migrate keeps the views; a database without one is not current, and
// migrate puts it back.
func TestViewsAreKeptByMigrate(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("after migrate: %v", err)
	}
	for _, v := range Views {
		if err := s.Conn().Exec(ctx, "DROP VIEW "+v); err != nil {
			t.Fatal(err)
		}
		err := s.CheckSchema(ctx)
		if !errors.Is(err, ErrNotMigrated) || !strings.Contains(err.Error(), v) {
			t.Fatalf("without the view %s: %v, want ErrNotMigrated naming it", v, err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("migrate did not put %s back: %v", v, err)
		}
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

	rules := ScoringRules{Weights: map[contrib.Kind]float64{contrib.Commit: 4}, BotRegex: "^ci-"}
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
	var rows uint64
	count := func() uint64 {
		t.Helper()
		if err := s.Conn().QueryRow(ctx, "SELECT count() FROM scoring_rules").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	before := count()
	if err := s.PublishRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before {
		t.Errorf("publishing the same rules again wrote %d rows", after-before)
	}
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
	for _, v := range Views {
		if !seen[v] {
			t.Errorf("no columns read for the view %s", v)
		}
	}
}
