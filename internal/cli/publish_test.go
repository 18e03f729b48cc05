package cli

import (
	"context"
	"strings"
	"testing"

	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// migrate publishes the configuration's scoring rules, which the views the
// dashboards read score by; running it with other rules publishes those.
func TestMigratePublishesTheScoringRules(t *testing.T) {
	dsn, _ := chtest.Database(t)
	for _, c := range []struct {
		config, commit, human string
	}{
		{"scoring:\n  weights:\n    commit: 5\nbots:\n  humans: [ci-runner]\n", "5", "ci-runner"},
		{"scoring:\n  weights:\n    commit: 0.5\n", "0.5", ""},
	} {
		cfg := lbConfigFile(t, c.config)
		if code, _, stderr := lbRun(t, "--clickhouse", dsn, "--config", cfg, "migrate"); code != 0 {
			t.Fatalf("migrate: %s", stderr)
		}
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := st.PublishedRules(context.Background())
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rules["weight.commit"] != c.commit || rules["weight.pr_merged"] != "3" {
			t.Errorf("after migrate with %q: published weights %v", c.config, rules)
		}
		if rules["bot_regex"] == "" || strings.Contains(rules["human_regex"], "ci-runner") != (c.human != "") {
			t.Errorf("after migrate with %q: published bot rules %q, humans %q", c.config, rules["bot_regex"], rules["human_regex"])
		}
	}
}
