package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"contribtrack/internal/gharchive"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/localch"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

const serveToken = "api-test-token-0123456789"

// serveProcess is a `contribtrack serve` process started by a test.
type serveProcess struct {
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	stderr bytes.Buffer
}

func (p *serveProcess) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

type lockedBuffer struct {
	p *serveProcess
}

func (b lockedBuffer) Write(data []byte) (int, error) {
	b.p.mu.Lock()
	defer b.p.mu.Unlock()
	return b.p.stderr.Write(data)
}

// startServe runs this test binary as `contribtrack serve` and waits for
// it to listen. The process is stopped (SIGKILL) when the test ends, if it
// is still running.
func startServe(t *testing.T, env []string, args ...string) *serveProcess {
	t.Helper()
	p := &serveProcess{}
	p.cmd = exec.Command(os.Args[0], append(args, "serve", "--listen", "127.0.0.1:0")...)
	p.cmd.Env = append(os.Environ(), append([]string{"CONTRIBTRACK_TEST_RUN_MAIN=1",
		"CONTRIBTRACK_EMAIL_KEY=" + testEmailKey, "CONTRIBTRACK_API_TOKEN=" + serveToken}, env...)...)
	p.cmd.Stderr = lockedBuffer{p}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "serving "); ok {
			p.url = u
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return p
		}
	}
	_ = p.cmd.Wait()
	t.Fatalf("serve did not start: %s", p.log())
	return nil
}

// stop sends SIGTERM and waits for the process to exit.
func (p *serveProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM:\n%s", err, p.log())
		}
	case <-time.After(2 * time.Minute):
		_ = p.cmd.Process.Kill()
		t.Fatalf("serve did not stop within 2 minutes of SIGTERM:\n%s", p.log())
	}
}

// get asks the API with the token and returns the status and body.
func (p *serveProcess) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+serveToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// waitFor polls until cond holds, or fails after a minute.
func waitFor(t *testing.T, p *serveProcess, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; serve's log:\n%s", what, p.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// totalsByKind sums a leaderboard's counts per kind.
func totalsByKind(t *testing.T, body []byte) map[string]int {
	t.Helper()
	var lb []struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(body, &lb); err != nil {
		t.Fatalf("leaderboard %q: %v", body, err)
	}
	got := map[string]int{}
	for _, a := range lb {
		for k, n := range a.Counts {
			got[k] += n
		}
	}
	return got
}

func truthByKind(ds *ghdata.Dataset) map[string]int {
	want := map[string]int{}
	for _, c := range ds.Truth() {
		if c.Kind.IsContribution() {
			want[string(c.Kind)]++
		}
	}
	return want
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, n := range a {
		if b[k] != n {
			return false
		}
	}
	return true
}

const allTime = "/api/v1/leaderboard?from=2000-01-01&to=2100-01-01&include_bots=true&limit=10000"

// TestServeKeepsAnOrgInSync: serve syncs the test server's orgs at start
// and again on its schedule, its API answers what the CLI answers, and
// SIGTERM stops it cleanly.
func TestServeKeepsAnOrgInSync(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(21))
	srv := collectServer(t, ds)
	dsn, _ := chtest.Database(t)
	// The API reads the data version in the background only once an hour:
	// what a round stores shows because serve reads it after each job.
	cfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\nserve:\n  interval: 1s\n  jitter: 0\n  version_refresh: 1h\n")
	p := startServe(t, []string{"GITHUB_TOKEN=ghp_cli_test_token"}, "--clickhouse", dsn, "--config", cfg, "--github-url", srv.URL)

	// Probes are open; the API wants the token.
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(p.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", path, resp.Status)
		}
	}
	resp, err := http.Get(p.url + allTime)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without the token: %s, want 401", resp.Status)
	}

	want := truthByKind(ds)
	var got map[string]int
	waitFor(t, p, "the first sync", func() bool {
		code, body := p.get(t, allTime)
		if code != http.StatusOK {
			return false
		}
		got = totalsByKind(t, body)
		return sameCounts(got, want)
	})

	// Every repository is in sync, and complete against GitHub's totals.
	code, body := p.get(t, "/api/v1/sync")
	var repos []struct {
		Repo      string   `json:"repo"`
		LastSync  *string  `json:"last_sync"`
		Lag       *float64 `json:"lag_seconds"`
		Resources []struct {
			Resource     string   `json:"resource"`
			GitHubTotal  uint64   `json:"github_total"`
			Stored       uint64   `json:"stored"`
			Completeness *float64 `json:"completeness"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(body, &repos); err != nil || code != http.StatusOK {
		t.Fatalf("/api/v1/sync: %d %s (%v)", code, body, err)
	}
	if len(repos) != 6 {
		t.Errorf("/api/v1/sync lists %d repositories, want the 6 of the orgs", len(repos))
	}
	for _, r := range repos {
		if r.LastSync == nil || r.Lag == nil || *r.Lag < 0 {
			t.Errorf("%s: last sync %v, lag %v", r.Repo, r.LastSync, r.Lag)
		}
		measured := 0
		for _, res := range r.Resources {
			if res.Completeness == nil {
				continue
			}
			measured++
			if *res.Completeness != 1 {
				t.Errorf("%s %s: %d stored of %d reported (completeness %v)", r.Repo, res.Resource, res.Stored, res.GitHubTotal, *res.Completeness)
			}
		}
		if measured == 0 {
			t.Errorf("%s: no resource measured for completeness: %+v", r.Repo, r.Resources)
		}
	}

	// The metrics show the sync and the community gauges, never a token.
	waitFor(t, p, "the community gauges", func() bool {
		resp, err := http.Get(p.url + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if bytes.Contains(body, []byte("ghp_cli_test_token")) || bytes.Contains(body, []byte(serveToken)) {
			t.Fatalf("a token in /metrics")
		}
		for _, want := range []string{`contribtrack_github_requests_total{api="graphql"`, `contribtrack_contributions_stored_total{kind="pr_opened",source="graphql"}`,
			`contribtrack_collector_repo_last_success_timestamp_seconds{repo="aws-samples/`, `contribtrack_community_active_contributors{name="aws-samples",scope="org"}`,
			`contribtrack_build_info{commit="`} {
			if !bytes.Contains(body, []byte(want)) {
				return false
			}
		}
		return true
	})

	// New activity on GitHub reaches the API on a later round.
	var busy []string
	for _, r := range ds.Repos {
		if !r.Archived && len(busy) < 2 {
			busy = append(busy, r.FullName())
		}
	}
	ds.AddActivity(ghdata.Activity{Seed: 5, Pulls: 2, Issues: 2, Commits: 3, CommentsOnOld: 2, ReviewsOnOld: 2,
		NewContributor: true, OnlyRepos: busy})
	want = truthByKind(ds)
	waitFor(t, p, "a scheduled sync to bring the new activity", func() bool {
		code, body := p.get(t, allTime)
		return code == http.StatusOK && sameCounts(totalsByKind(t, body), want)
	})

	// The API's leaderboard is the CLI's, for the same question.
	_, body = p.get(t, "/api/v1/leaderboard?from=2020-01-01&to=2030-01-01&limit=50")
	var out, errOut bytes.Buffer
	if code := Main([]string{"--clickhouse", dsn, "--config", cfg, "leaderboard", "--from", "2020-01-01", "--to", "2030-01-01",
		"--limit", "50", "--format", "json"}, &out, &errOut, collectEnv(nil)); code != 0 {
		t.Fatalf("leaderboard: %s", errOut.String())
	}
	if !bytes.Equal(body, out.Bytes()) {
		t.Errorf("API and CLI differ:\nAPI: %.400s\nCLI: %.400s", body, out.String())
	}

	p.stop(t)
	if log := p.log(); !strings.Contains(log, "stopped") || strings.Contains(log, "ghp_cli_test_token") || strings.Contains(log, serveToken) {
		t.Errorf("serve's log after SIGTERM lacks \"stopped\" or shows a token:\n%s", log)
	}
}

// TestServeStopsGracefullyMidSync: SIGTERM during a sync stops serve
// cleanly, with what it fetched stored and its checkpoints saved; a later
// collect finishes the job, and the result is exactly one clean run's.
func TestServeStopsGracefullyMidSync(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(22))
	slow := collectServer(t, ds, 8) // 8 points a second: the sync takes a while
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\ngithub:\n  workers: 1\n")
	getenv := collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"})
	p := startServe(t, []string{"GITHUB_TOKEN=ghp_cli_test_token"}, "--clickhouse", dsn, "--config", cfg, "--github-url", slow.URL)

	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitFor(t, p, "the first checkpoints", func() bool {
		cps, err := st.Checkpoints(context.Background())
		return err == nil && len(cps) > 0
	})
	p.stop(t)
	cps, err := st.Checkpoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var stored uint64
	if err := st.Conn().QueryRow(context.Background(), "SELECT count() FROM contributions").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.log(), "stopping") {
		t.Errorf("serve did not say it was stopping:\n%s", p.log())
	}
	t.Logf("stopped after %d requests with %d checkpoints and %d rows stored", slow.Stats().Requests, len(cps), stored)
	if truth := len(ds.Truth()); stored == 0 || int(stored) >= truth {
		t.Fatalf("%d rows stored of %d: the stop did not come mid-sync", stored, truth)
	}

	fast := collectServer(t, ds)
	var out, errOut bytes.Buffer
	if code := Main([]string{"--clickhouse", dsn, "--config", cfg, "collect", "--github-url", fast.URL}, &out, &errOut, getenv); code != 0 {
		t.Fatalf("collect after the stop: exit %d: %s", code, errOut.String())
	}
	resumed := leaderboardJSON(t, dsn, cfg, getenv)
	dsn2, _ := chtest.Database(t)
	if code := Main([]string{"--clickhouse", dsn2, "--config", cfg, "collect", "--github-url", fast.URL}, &out, &errOut, getenv); code != 0 {
		t.Fatalf("clean run: exit %d: %s", code, errOut.String())
	}
	if clean := leaderboardJSON(t, dsn2, cfg, getenv); clean != resumed {
		t.Errorf("stopped and resumed differs from one clean run:\nresumed: %.500s\nclean: %.500s", resumed, clean)
	}
}

// TestServeSurvivesAClickHouseRestart: while ClickHouse is down /readyz
// says so and the API answers 503; once it is back, both recover and the
// scheduled sync resumes.
func TestServeSurvivesAClickHouseRestart(t *testing.T) {
	chtest.ServerDSN(t) // skips (or fails under CI) when there is no ClickHouse
	ctx := context.Background()
	dir := t.TempDir()
	inst, err := localch.Ensure(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = localch.Stop(dir) })
	dsn := inst.DSN("ct_restart")

	ds := ghdata.Generate(ghdata.SmallSpec(23))
	srv := collectServer(t, ds)
	cfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\nserve:\n  interval: 1s\n  jitter: 0\n")
	p := startServe(t, []string{"GITHUB_TOKEN=ghp_cli_test_token"}, "--clickhouse", dsn, "--config", cfg, "--github-url", srv.URL)
	ready := func() int {
		resp, err := http.Get(p.url + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	want := truthByKind(ds)
	waitFor(t, p, "the first sync", func() bool {
		code, body := p.get(t, allTime)
		return code == http.StatusOK && sameCounts(totalsByKind(t, body), want)
	})

	// Stop the server but keep its state, so that it comes back on the
	// same port (localch.Stop would forget it).
	if err := syscall.Kill(inst.PID, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p, "ClickHouse to stop", func() bool {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", inst.TCPPort), time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	waitFor(t, p, "/readyz to report ClickHouse gone", func() bool { return ready() == http.StatusServiceUnavailable })
	// A question not asked before needs ClickHouse: a 503. (One answered
	// at the last data version read is still answered from memory.)
	if code, body := p.get(t, "/api/v1/leaderboard?from=2001-01-01&to=2100-01-01&limit=5"); code != http.StatusServiceUnavailable || !bytes.Contains(body, []byte(`"error"`)) {
		t.Errorf("API while ClickHouse is down, a new question: %d %s, want a 503 JSON error", code, body)
	}
	ds.AddActivity(ghdata.Activity{Seed: 6, Issues: 3, Commits: 2})
	want = truthByKind(ds)

	back, err := localch.Ensure(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if back.TCPPort != inst.TCPPort {
		t.Fatalf("ClickHouse came back on port %d, not %d", back.TCPPort, inst.TCPPort)
	}
	waitFor(t, p, "/readyz to recover", func() bool { return ready() == http.StatusOK })
	waitFor(t, p, "the sync to resume", func() bool {
		code, body := p.get(t, allTime)
		return code == http.StatusOK && sameCounts(totalsByKind(t, body), want)
	})
	p.stop(t)
}

// TestServeImportsGHArchiveHours: with serve.gharchive_from set, serve
// imports the published hours from there and resumes where it stopped; the
// result equals a direct import of the same hours.
func TestServeImportsGHArchiveHours(t *testing.T) {
	body, err := os.ReadFile(fixtures.Path(t, "gharchive/2015-01-01-12.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	archive := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/2015-01-01-12.json.gz" || r.URL.Path == "/2015-01-01-13.json.gz" {
			_, _ = w.Write(body)
			return
		}
		http.NotFound(w, r) // later hours: "not published yet" would be the same
	}))
	defer archive.Close()
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [cloudify-cosmo, kaltura]\ngharchive:\n  base_url: "+archive.URL+"/\n"+
		"serve:\n  interval: 1s\n  jitter: 0\n  gharchive_from: 2015-01-01-12\n  gharchive_hours_per_round: 1\n")
	p := startServe(t, nil, "--clickhouse", dsn, "--config", cfg)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// One hour a round: 12, then 13; 14 is missing (and recent enough to
	// be tried again, as far as the job knows: it is 2026).
	waitFor(t, p, "two hours imported", func() bool {
		cps, err := st.Checkpoints(context.Background())
		return err == nil && cps[gharchive.HoursCheckpoint].Cursor == "2015-01-01-14"
	})
	code, served := p.get(t, allTime)
	if code != http.StatusOK {
		t.Fatalf("leaderboard: %d %s", code, served)
	}
	p.stop(t)

	direct, _ := chtest.Database(t)
	var out, errOut bytes.Buffer
	if code := Main([]string{"--clickhouse", direct, "--config", cfg, "import", "gharchive", archive.URL + "/2015-01-01-12.json.gz",
		archive.URL + "/2015-01-01-13.json.gz"}, &out, &errOut, collectEnv(nil)); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut.String())
	}
	want := leaderboardJSON(t, direct, cfg, collectEnv(nil))
	if got := totalsByKind(t, served); !sameCounts(got, totalsByKind(t, []byte(want))) || len(got) == 0 {
		t.Errorf("serve imported %v, a direct import %v", got, totalsByKind(t, []byte(want)))
	}
}
