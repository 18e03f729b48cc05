package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/chtest"
)

// TestShardedLayoutRenders: on a cluster without replication the
// migrations create plain MergeTree families with no ON CLUSTER (the store
// runs them on each node), and Distributed tables over the shards' local
// tables.
func TestShardedLayoutRenders(t *testing.T) {
	ms, err := Migrations("db", Layout{Cluster: "ct", Unreplicated: true})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, m := range ms {
		all.WriteString(m.SQL)
	}
	for _, unwanted := range []string{"ON CLUSTER", "Replicated", "{shard}", "{replica}"} {
		if strings.Contains(all.String(), unwanted) {
			t.Errorf("the sharded layout's migrations hold %q", unwanted)
		}
	}
	for _, want := range []string{
		"CREATE TABLE IF NOT EXISTS db.contributions_local \n",
		"ENGINE = ReplacingMergeTree(version)",
		"CREATE TABLE IF NOT EXISTS db.contributions  AS db.contributions_local ENGINE = Distributed(ct, db, contributions_local, key_hash)",
		"ENGINE = Distributed(ct, db, rollup_days_local)",
		"CREATE TABLE IF NOT EXISTS db.work_leases \n",
	} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("the sharded layout's migrations lack %q", want)
		}
	}
}

// TestShardedClusterKeepsSmallTablesOnEveryNode: on the 26.x test cluster
// (no keeper) the store finds it is not replicated, creates every table
// on every node, and writes each small table's rows on every node, so that
// any node joins them whole; migrating again applies nothing.
func TestShardedClusterKeepsSmallTablesOnEveryNode(t *testing.T) {
	ctx := context.Background()
	s, _ := onCluster(t)
	if l := s.Layout(); !l.Unreplicated || l.Legacy {
		t.Fatalf("layout on the 26.x cluster: %+v, want Unreplicated", l)
	}
	if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
		t.Fatalf("migrating again: %v, %v", again, err)
	}
	if err := s.SetSetting(ctx, "sharded-test", "yes"); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishRules(ctx, ScoringRules{Weights: map[contrib.Kind]float64{contrib.Commit: 7}}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Claim(ctx, "repo:o/r", "holder-1", time.Minute, 0); err != nil || !ok {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	c := chtest.Cluster(t)
	for i := range c.Nodes {
		node, err := Open(ctx, c.NodeDSN(i, s.Database()))
		if err != nil {
			t.Fatal(err)
		}
		var engines string
		if err := node.Conn().QueryRow(ctx, `SELECT arrayStringConcat(groupArray(concat(name, ':', engine)), ' ')
			FROM (SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name)`).Scan(&engines); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"contributions:Distributed", "contributions_local:ReplacingMergeTree", "rollup_days:Distributed",
			"contributor_days:View", "sightings:View", "scoring_weights:View", "bot_rules:View",
			"rollup_marks:", "schema_migrations:ReplacingMergeTree", "settings:", "work_leases:ReplacingMergeTree"} {
			if !strings.Contains(engines, want) {
				t.Errorf("node %d lacks %s: %s", i+1, want, engines)
			}
		}
		if strings.Contains(engines, "Replicated") {
			t.Errorf("node %d has replicated tables: %s", i+1, engines)
		}
		if v, err := node.Setting(ctx, "sharded-test"); err != nil || v != "yes" {
			t.Errorf("node %d: setting %q, %v", i+1, v, err)
		}
		if holder, active, err := node.LeaseHolder(ctx, "repo:o/r"); err != nil || !active || holder != "holder-1" {
			t.Errorf("node %d: lease held by %q (%v), %v", i+1, holder, active, err)
		}
		// Every node's views read the rules published.
		var weight float64
		if err := node.Conn().QueryRow(ctx, "SELECT weight FROM scoring_weights WHERE kind = 'commit'").Scan(&weight); err != nil || weight != 7 {
			t.Errorf("node %d: the commit's weight in scoring_weights is %v (%v), want the 7 published", i+1, weight, err)
		}
		var migrations uint64
		if err := node.Conn().QueryRow(ctx, "SELECT count() FROM schema_migrations").Scan(&migrations); err != nil || migrations == 0 {
			t.Errorf("node %d: %d migrations recorded, %v", i+1, migrations, err)
		}
		node.Close()
	}
}

// On the sharded cluster the accepted profile's statement, its flagged
// items and the views the dashboards read answer as on one server.
func TestShardedClusterJudgesCredits(t *testing.T) {
	ctx := context.Background()
	s, _ := onCluster(t)
	w := newCreditsWorld()
	if err := s.Insert(ctx, w.cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	f := LeaderboardFilter{Question: Question{From: w.day, To: w.day.AddDate(0, 1, 0)}}
	credits, err := s.Credits(ctx, f, defaultAcceptance())
	if err != nil {
		t.Fatalf("credits on the cluster: %v", err)
	}
	rules := map[string]string{}
	for _, c := range credits {
		rules[fmt.Sprintf("%s %s#%d", c.Kind, c.RepoName, c.Number)] = c.Rule
	}
	if len(credits) != len(w.cs) || rules["pr_opened aws/x#7"] != "self_merge" || rules["pr_opened aws/x#4"] != "spam_label" || rules["pr_opened aws/a#10"] != "mass_generated" {
		t.Errorf("credits on the cluster: %d rows for %d contributions, rules %v", len(credits), len(w.cs), rules)
	}
	flagged, err := s.Flagged(ctx, f, defaultAcceptance())
	if err != nil || len(flagged) != 3 {
		t.Errorf("flagged on the cluster: %d items, %v; want 3", len(flagged), err)
	}
	if err := s.PublishRules(ctx, ScoringRules{Weights: contrib.DefaultWeights(), Profile: contrib.ProfileAccepted, Accepted: defaultAcceptance()}); err != nil {
		t.Fatal(err)
	}
	c := chtest.Cluster(t)
	node, err := Open(ctx, c.NodeDSN(0, s.Database()))
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	for _, q := range []string{
		"SELECT count() FROM contributor_days",
		fmt.Sprintf("SELECT count() FROM contributor_period(from = %d, to = %d)", f.From.Unix(), f.To.Unix()),
		fmt.Sprintf("SELECT count() FROM contributor_credits(from = %d, to = %d)", f.From.Unix(), f.To.Unix()),
	} {
		var n uint64
		if err := node.Conn().QueryRow(ctx, q).Scan(&n); err != nil || n == 0 {
			t.Errorf("%s on a node: %d rows, %v", q, n, err)
		}
	}
}
