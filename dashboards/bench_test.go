package dashboards_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/cli"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/benchload"
	"contribtrack/internal/testing/chtest"
)

// BenchmarkLeaderboardPanel10M measures the leaderboard dashboard's panel,
// which reads the view contributor_days, for a year's top 1000 over the
// benchmarks' contributions (10% duplicate deliveries, about 50,000
// people, the example roster), against the baseline of the API's answer
// to the same question in the same run (leaderboard.Compute, which reads
// the people rollup):
//
//	go test -run '^$' -bench LeaderboardPanel10M -benchtime 10x ./dashboards/
//
// CONTRIBTRACK_BENCH_ROWS changes the size.
func BenchmarkLeaderboardPanel10M(b *testing.B) {
	ctx := context.Background()
	dsn, _ := chtest.Database(b)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	rules := defaultRules()
	if err := s.PublishRules(ctx, rules); err != nil {
		b.Fatal(err)
	}
	rows := benchload.Rows()
	t0 := time.Now()
	if _, err := benchload.Load(ctx, s.Conn(), rows); err != nil {
		b.Fatal(err)
	}
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"--clickhouse", dsn, "roster", "import", "../examples/roster.yaml", "../examples/identities.yaml"}, &stdout, &stderr, getenv); code != 0 {
		b.Fatalf("roster import: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := s.RebuildRollup(ctx); err != nil {
		b.Fatal(err)
	}
	if err := benchload.Settle(ctx, s.Conn(), s.Database()); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d rows and built the rollups in %s", rows, time.Since(t0).Round(time.Second))

	_, m := readDashboard(b, "contribtrack-leaderboard.json")
	var sql string
	for _, p := range panels(m) {
		if str(p["title"]) == "Leaderboard" {
			sql = str(p["targets"].([]any)[0].(map[string]any)["rawSql"])
		}
	}
	vars := map[string]*tplVar{"bots": {name: "bots", values: []string{"exclude"}}, "profile": {name: "profile", values: []string{"activity"}},
		"leaderboard_view": {name: "leaderboard_view", values: []string{"contributor_period"}}}
	for _, name := range []string{"org", "repo", "program", "category", "region"} {
		vars[name] = &tplVar{name: name, multi: true, includeAll: true, all: true}
	}
	vars["kind"] = &tplVar{name: "kind", multi: true, includeAll: true, allValue: kindAll, all: true}
	settings, err := leaderboard.LoadSettings(ctx, s, rules)
	if err != nil {
		b.Fatal(err)
	}
	var panelTimes, apiTimes []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A year, moved by a day each round so that no answer is cached.
		from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		to := from.AddDate(1, 0, 0)
		q, err := expandQuery(sql, vars, timeRange{from: from, to: to.Add(-time.Second), interval: 24 * time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		t := time.Now()
		r, err := (&chEnv{conn: s.Conn()}).run(q)
		if err != nil {
			b.Fatal(err)
		}
		panelTimes = append(panelTimes, time.Since(t))
		t = time.Now()
		entries, err := leaderboard.Compute(ctx, s, leaderboard.Query{Question: store.Question{From: from, To: to, Limit: 1000}}, settings)
		if err != nil {
			b.Fatal(err)
		}
		apiTimes = append(apiTimes, time.Since(t))
		if len(r.rows) != len(entries) {
			b.Fatalf("the panel lists %d people, the API %d", len(r.rows), len(entries))
		}
	}
	b.StopTimer()
	panel, api := median(panelTimes), median(apiTimes)
	b.ReportMetric(float64(panel.Milliseconds()), "panel-ms")
	b.ReportMetric(float64(api.Milliseconds()), "api-ms")
	b.ReportMetric(float64(panel)/float64(api), "panel/api")
	fmt.Printf("leaderboard dashboard panel (view contributor_period over contributor_days), a year's top 1000 of %d contributions: median %s; the API's answer (baseline, same run): median %s; %.1fx\n",
		rows, panel.Round(time.Millisecond), api.Round(time.Millisecond), float64(panel)/float64(api))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
