package metrics_test

import (
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"contribtrack/internal/collector"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/metrics"
	"contribtrack/internal/store"
)

var update = flag.Bool("update", false, "rewrite testdata/scrape.golden")

// testNow is the clock of the deterministic scrapes.
var testNow = time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC)

// driven returns metrics without runtime collectors whose every family has
// been given fixed values through the observers and SetCommunity.
func driven(t *testing.T) *metrics.Metrics {
	t.Helper()
	m := metrics.NewWith(metrics.Options{Now: func() time.Time { return testNow }})

	gh := m.GitHubObserver()
	for range 3 {
		gh.Request("rest", "core", 200, nil)
	}
	gh.Request("rest", "core", 304, nil)
	gh.Request("rest", "core", 0, errors.New("connection reset by peer"))
	gh.Request("rest", "search", 403, nil)
	gh.Request("graphql", "graphql", 200, nil)
	gh.Request("graphql", "graphql", 502, nil)
	gh.RateLimit(1, "core", 4990, testNow.Add(30*time.Minute))
	gh.RateLimit(1, "core", 4989, testNow.Add(30*time.Minute)) // the last answer wins
	gh.RateLimit(2, "graphql", 4800, testNow.Add(45*time.Minute))
	gh.Wait(ghclient.Wait{Token: 1, Resource: "core", Until: testNow.Add(90 * time.Second), Reason: "primary limit"}, 90*time.Second)
	gh.Wait(ghclient.Wait{Token: 2, Resource: "graphql", Until: testNow.Add(time.Minute), Reason: "secondary limit"}, time.Minute)

	col := m.CollectorObserver()
	col.Flushed(collector.Flush{Rows: 3, Checkpoints: 2, Elapsed: 120 * time.Millisecond, Stored: map[collector.ViaKind]int{
		{Via: contrib.ViaREST, Kind: contrib.Commit}:      1,
		{Via: contrib.ViaGraphQL, Kind: contrib.PROpened}: 2,
	}})
	col.Flushed(collector.Flush{Checkpoints: 4, Elapsed: 30 * time.Millisecond}) // checkpoints only
	col.Flushed(collector.Flush{Rows: 5, Elapsed: 3 * time.Second, Err: errors.New("insert failed")})
	col.Failed(collector.StageStore, errors.New("insert failed"))
	col.Failed(collector.StageFetch, errors.New("fetch failed"))
	col.RepoSynced(collector.RepoResult{Repo: "aws/aws-cdk", Elapsed: 2500 * time.Millisecond})
	col.RepoSynced(collector.RepoResult{Repo: "aws/jsii", Elapsed: time.Second, Err: errors.New("fetch failed")})
	col.RunFinished("repositories", 30*time.Second, nil)
	col.RunFinished("members", 10*time.Second, errors.New("partial"))

	imp := m.ImportObserver()
	imp.Decoded(100, 2)
	imp.Decoded(50, 0)
	imp.Stored(map[contrib.Kind]int{contrib.Star: 5, contrib.Commit: 3})
	imp.HourImported(time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC))
	imp.HourImported(time.Date(2024, 3, 15, 8, 0, 0, 0, time.UTC)) // older: the newest stays

	m.SetCommunity(metrics.ScopeAll, "", store.Totals{People: 42, Contributions: 420})
	m.SetCommunity(metrics.ScopeOrg, "aws", store.Totals{People: 30, Contributions: 300})
	m.SetCommunity(metrics.ScopeProgram, "aws-heroes", store.Totals{People: 5, Contributions: 50})
	m.SetBuildInfo(metrics.BuildInfo{Version: "v0.0.1", Commit: "0123456789ab", GoVersion: "go1.0"})
	m.SetBuildInfo(metrics.BuildInfo{Version: "v1.2.3", Commit: "abcdef012345", GoVersion: "go1.26.0"}) // the last one wins
	return m
}

// allFamilies is every metric family, in the order a registry gathers them.
var allFamilies = []string{
	"contribtrack_build_info",
	"contribtrack_collector_batch_rows",
	"contribtrack_collector_errors_total",
	"contribtrack_collector_flush_duration_seconds",
	"contribtrack_collector_repo_last_success_timestamp_seconds",
	"contribtrack_collector_repo_sync_duration_seconds",
	"contribtrack_collector_run_duration_seconds",
	"contribtrack_collector_run_last_success_timestamp_seconds",
	"contribtrack_community_active_contributors",
	"contribtrack_community_contributions",
	"contribtrack_contributions_stored_total",
	"contribtrack_gharchive_events_read_total",
	"contribtrack_gharchive_hour_files_imported_total",
	"contribtrack_gharchive_lag_seconds",
	"contribtrack_gharchive_malformed_lines_total",
	"contribtrack_github_rate_limit_remaining_points",
	"contribtrack_github_rate_limit_reset_timestamp_seconds",
	"contribtrack_github_rate_limit_wait_seconds_total",
	"contribtrack_github_rate_limit_waits_total",
	"contribtrack_github_requests_total",
}

// scrape GETs the metrics handler as Prometheus would.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: HTTP %d: %s", resp.StatusCode, body)
	}
	return string(body)
}

func TestScrapeMatchesGolden(t *testing.T) {
	got := scrape(t, driven(t))
	if again := scrape(t, driven(t)); again != got {
		t.Fatalf("two scrapes of the same inputs differ:\n%s", cmp.Diff(got, again))
	}
	path := filepath.Join("testdata", "scrape.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/metrics -run Golden -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("scrape differs from %s (-want +got; -update rewrites it):\n%s", path, diff)
	}
}

func TestScrapePassesPromlint(t *testing.T) {
	m := driven(t)
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	// Every family is touched: a vector without series is not gathered,
	// and so not linted.
	var names []string
	for _, mf := range mfs {
		if len(mf.GetMetric()) == 0 {
			t.Errorf("%s: no series", mf.GetName())
		}
		names = append(names, mf.GetName())
	}
	if diff := cmp.Diff(allFamilies, names); diff != "" {
		t.Errorf("families gathered (-want +got):\n%s", diff)
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	// The text a scrape returns lints the same.
	problems, err = promlint.New(strings.NewReader(scrape(t, m))).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint (scrape): %s: %s", p.Metric, p.Text)
	}
}

func TestRuntimeCollectorsAreOptional(t *testing.T) {
	with := scrape(t, metrics.New())
	without := scrape(t, metrics.NewWithoutRuntime())
	if !strings.Contains(with, "\ngo_goroutines ") {
		t.Errorf("New: no go_goroutines in the scrape")
	}
	if runtime.GOOS == "linux" && !strings.Contains(with, "\nprocess_cpu_seconds_total ") {
		t.Errorf("New: no process_cpu_seconds_total in the scrape")
	}
	if strings.Contains(without, "go_") || strings.Contains(without, "process_") {
		t.Errorf("NewWithoutRuntime: runtime metrics in the scrape:\n%s", without)
	}
}

func TestGitHubArchiveLagGrowsWithTheClock(t *testing.T) {
	now := testNow
	m := metrics.NewWith(metrics.Options{Now: func() time.Time { return now }})
	if s := scrape(t, m); strings.Contains(s, "contribtrack_gharchive_lag_seconds") {
		t.Errorf("lag exported before any hour was imported:\n%s", s)
	}
	m.ImportObserver().HourImported(testNow.Add(-3 * time.Hour)) // 09:00, which ends at 10:00
	if s := scrape(t, m); !strings.Contains(s, "\ncontribtrack_gharchive_lag_seconds 7200\n") {
		t.Errorf("lag after importing 09:00 at 12:00: want 7200 s:\n%s", s)
	}
	now = now.Add(time.Hour)
	if s := scrape(t, m); !strings.Contains(s, "\ncontribtrack_gharchive_lag_seconds 10800\n") {
		t.Errorf("lag an hour later: want 10800 s:\n%s", s)
	}
}
