package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/localch"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

// storedDistinct counts distinct natural keys per kind in the database.
func storedDistinct(t *testing.T, dsn string) map[string]int {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.Conn().Query(ctx, "SELECT toString(kind), uniqExact(key) FROM contributions GROUP BY kind")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var k string
		var n uint64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		got[k] = int(n)
	}
	return got
}

// The fixture hour, imported through the CLI, stores exactly the distinct
// contributions an independent reading of the raw file finds; importing it
// again changes nothing, and the leaderboard adds up to the same numbers.
func TestImportFixtureHourIsExactAndIdempotent(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	want := fixtures.ExpectedFromGHArchive(t, path).Distinct
	dsn, _ := chtest.Database(t)
	for round := 1; round <= 2; round++ {
		code, stdout, stderr := lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", path)
		if code != 0 {
			t.Fatalf("round %d: exit %d\n%s\n%s", round, code, stdout, stderr)
		}
		if !strings.Contains(stdout, "8273 events") {
			t.Errorf("round %d: summary lacks the event count:\n%s", round, stdout)
		}
		if diff := cmp.Diff(want, storedDistinct(t, dsn)); diff != "" {
			t.Fatalf("round %d: stored distinct contributions by kind (-independent +stored):\n%s", round, diff)
		}
		code, stdout, stderr = lbRun(t, "--clickhouse", dsn, "leaderboard", "--from", "2015-01-01", "--to", "2015-01-02",
			"--include-bots", "--limit", "10000", "--format", "json",
			"--kind", "commit,pr_opened,pr_merged,pr_closed,pr_review,pr_review_comment,issue_opened,issue_closed,issue_comment,commit_comment,release,star,fork")
		if code != 0 {
			t.Fatalf("leaderboard: exit %d: %s", code, stderr)
		}
		var entries []struct {
			Counts map[string]int `json:"counts"`
		}
		if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
			t.Fatal(err)
		}
		sum := map[string]int{}
		for _, e := range entries {
			for k, n := range e.Counts {
				sum[k] += n
			}
		}
		if diff := cmp.Diff(want, sum); diff != "" {
			t.Errorf("round %d: leaderboard counts summed over everyone (-independent +leaderboard):\n%s", round, diff)
		}
	}
}

func TestImportMixedYearsAndSelection(t *testing.T) {
	sample := fixtures.Path(t, "gharchive/gofaster-sample.small.2014-2021.jsonl")
	dsn, _ := chtest.Database(t)
	code, stdout, stderr := lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", sample)
	if code != 0 || !strings.Contains(stdout, "1304 events") || strings.Contains(stdout, "malformed") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Without --all only configured orgs are kept.
	dsn2, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [kubernetes]\n")
	code, stdout, stderr = lbRun(t, "--clickhouse", dsn2, "--config", cfg, "import", "gharchive", sample)
	if code != 0 || !strings.Contains(stdout, "repository not in the config") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var other uint64
	s, err := store.Open(context.Background(), dsn2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Conn().QueryRow(context.Background(), "SELECT countIf(lower(org) != 'kubernetes') FROM contributions").Scan(&other); err != nil {
		t.Fatal(err)
	}
	if other != 0 {
		t.Errorf("%d contributions outside the configured org were stored", other)
	}
	// Nothing configured and no --all: a usage error, nothing read.
	code, _, stderr = lbRun(t, "--clickhouse", dsn2, "import", "gharchive", sample)
	if code != 2 || !strings.Contains(stderr, "--all") {
		t.Errorf("exit %d, stderr %q: want 2 and a hint about --all", code, stderr)
	}
}

func TestImportReportsBadInputAndKeepsTheRest(t *testing.T) {
	dir := t.TempDir()
	good := `{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"ana"},"repo":{"id":2,"name":"aws/x"},"payload":{"action":"started"},"created_at":"2024-01-01T00:00:00Z"}`
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(good+"\n{\"id\":\n"+strings.Replace(good, `"1"`, `"3"`, 1)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	full, err := os.ReadFile(fixtures.Path(t, "gharchive/2015-01-01-12.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.json.gz")
	if err := os.WriteFile(cut, full[:len(full)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	dsn, _ := chtest.Database(t)
	code, stdout, stderr := lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", bad, cut)
	if code != 1 {
		t.Errorf("exit %d, want 1 for an input that ends early", code)
	}
	for _, want := range []string{"malformed lines (skipped): 1", bad + ":2:", "incomplete input: " + cut, "ends early"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "1 of 2 inputs") {
		t.Errorf("stderr %q does not say how many inputs broke", stderr)
	}
	got := storedDistinct(t, dsn)
	if got["star"] == 0 || got["commit"] == 0 {
		t.Errorf("what was read before the break is not stored: %v", got)
	}
}

func TestImportWhenClickHouseIsGone(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	code, _, stderr := lbRun(t, "--clickhouse", "clickhouse://127.0.0.1:1/contribtrack?dial_timeout=200ms", "import", "gharchive", "--all", path)
	if code != 1 || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("exit %d, stderr %q: want 1 and the server named", code, stderr)
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	code, _, stderr := lbRun(t, "frobnicate")
	if code != 2 || !strings.Contains(stderr, "frobnicate") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// serverToStop starts a local ClickHouse of the test's own (stopped when
// it ends), for a test that stops it, and reads the fixture hour.
func serverToStop(t *testing.T) (path string, body []byte, dir string, inst *localch.Instance) {
	t.Helper()
	path = fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	chtest.ServerDSN(t) // skips (or fails under CI) when there is no ClickHouse
	dir = t.TempDir()
	inst, err = localch.Ensure(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = localch.Stop(dir) })
	return path, body, dir, inst
}

// ClickHouse stopping before an import stored anything: the error says
// that nothing was stored, and nothing about the rollup (it once said "the
// contributions are stored, but the leaderboard rollup is behind").
func TestImportFailingBeforeAnyBatchSaysNothingWasStored(t *testing.T) {
	_, body, dir, inst := serverToStop(t)
	dsn := inst.DSN("ct_nothing")
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "migrate"); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, stderr)
	}
	// One hour (fewer contributions than a batch) that stalls halfway, so
	// that the only batch is written after the server stopped.
	requested, stall := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		close(requested)
		<-stall
		_, _ = w.Write(body[len(body)/2:])
	}))
	defer srv.Close()
	done := make(chan struct{})
	var code int
	var stdout, stderr string
	go func() {
		defer close(done)
		code, stdout, stderr = lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", srv.URL+"/1.json.gz")
	}()
	<-requested
	if err := localch.Stop(dir); err != nil {
		t.Fatal(err)
	}
	close(stall)
	<-done
	if code != 1 || !strings.Contains(stderr, "import stopped; nothing was stored") || strings.Contains(stderr, "are stored") ||
		strings.Contains(stderr, "leaderboard rollup") {
		t.Errorf("exit %d, stdout %q, stderr %q: want 1 and that nothing was stored", code, stdout, stderr)
	}
}

// ClickHouse stopping in the middle of an import: the import fails with a
// clear error, the batches stored before stay, and importing again once the
// server is back gives exact counts.
func TestImportWhenClickHouseGoesAway(t *testing.T) {
	path, body, dir, inst := serverToStop(t)
	ctx := context.Background()
	dsn := inst.DSN("ct_gone")

	// Four copies of the hour (about 7,500 contributions each): after the
	// third a batch (20,000 rows) has been stored; the fourth stalls halfway
	// until the server is stopped.
	stall := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/4.json.gz" {
			_, _ = w.Write(body)
			return
		}
		_, _ = w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		<-stall
		_, _ = w.Write(body[len(body)/2:])
	}))
	defer srv.Close()
	done := make(chan struct{})
	var code int
	var stdout, stderr string
	go func() {
		defer close(done)
		code, stdout, stderr = lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all",
			srv.URL+"/1.json.gz", srv.URL+"/2.json.gz", srv.URL+"/3.json.gz", srv.URL+"/4.json.gz")
	}()
	// Wait until a batch is stored (or the import ended without one): the
	// database appears with the import's migration, and a store opened
	// before that has no connection.
	var stored uint64
	for stored == 0 {
		select {
		case <-done:
		case <-time.After(50 * time.Millisecond):
			if s, err := store.Open(ctx, dsn); err == nil {
				if s.Conn() != nil {
					_ = s.Conn().QueryRow(ctx, "SELECT count() FROM contributions").Scan(&stored)
				}
				s.Close()
			}
			continue
		}
		break
	}
	if stored == 0 {
		close(stall)
		<-done
		t.Fatalf("no batch was stored before the stall: %s %s", stdout, stderr)
	}
	if err := localch.Stop(dir); err != nil {
		t.Fatal(err)
	}
	close(stall)
	<-done
	// Whichever write meets the dead server first says so: a batch of
	// contributions, or an hour's bot signals.
	storageErr := strings.Contains(stderr, "storing contributions") || strings.Contains(stderr, "storing what accounts did (bot signals)")
	if code != 1 || !storageErr || !strings.Contains(stderr, "what was stored before the failure is kept: 1 batch (") {
		t.Errorf("exit %d, stderr %q: want 1 and a storage error saying the stored batch is kept", code, stderr)
	}

	// The server comes back with what was stored; a re-import is exact.
	inst, err := localch.Ensure(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	dsn = inst.DSN("ct_gone")
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var after uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM contributions").Scan(&after); err != nil || after < stored {
		t.Fatalf("after the restart %d rows (%v), before the stop %d", after, err, stored)
	}
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", path); code != 0 {
		t.Fatalf("re-import: exit %d: %s", code, stderr)
	}
	if diff := cmp.Diff(fixtures.ExpectedFromGHArchive(t, path).Distinct, storedDistinct(t, dsn)); diff != "" {
		t.Errorf("after the re-import (-independent +stored):\n%s", diff)
	}
}
