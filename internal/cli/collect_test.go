package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/githubtest/gqlexec"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

// TestMain lets a test run this binary as the contribtrack command, so
// that a real process can be killed mid-run.
func TestMain(m *testing.M) {
	if os.Getenv("CONTRIBTRACK_TEST_RUN_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

func collectServer(t *testing.T, ds *ghdata.Dataset, limits ...int) *githubtest.Server {
	t.Helper()
	sdl, err := os.ReadFile(fixtures.Path(t, "github-graphql/schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := gqlexec.LoadSchema(string(sdl))
	if err != nil {
		t.Fatal(err)
	}
	opts := githubtest.Options{Dataset: ds, Schema: schema, Tokens: []string{"ghp_cli_test_token"}}
	if len(limits) > 0 { // a small budget per second stretches a run out
		opts.CoreLimit, opts.GraphQLLimit, opts.Window = limits[0], limits[0], time.Second
	}
	srv := githubtest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

func collectEnv(extra map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := extra[k]; ok {
			return v
		}
		return lbNoEnv(k)
	}
}

// leaderboardJSON returns the all-time leaderboard, bots included, as JSON.
func leaderboardJSON(t *testing.T, dsn, cfg string, getenv func(string) string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main([]string{"--clickhouse", dsn, "--config", cfg, "leaderboard", "--from", "2000-01-01", "--to", "2100-01-01",
		"--include-bots", "--limit", "10000", "--format", "json"}, &out, &errOut, getenv)
	if code != 0 {
		t.Fatalf("leaderboard: exit %d: %s", code, errOut.String())
	}
	return out.String()
}

func TestCollectCommand(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(11))
	srv := collectServer(t, ds)
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\n")
	getenv := collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"})

	var out, errOut bytes.Buffer
	code := Main([]string{"--clickhouse", dsn, "--config", cfg, "collect", "--github-url", srv.URL}, &out, &errOut, getenv)
	if code != 0 {
		t.Fatalf("collect: exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"collected 6 repositories", "pr_opened", "rate-limit points"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("collect output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "synced     aws-samples/") {
		t.Errorf("no per-repository progress on stderr:\n%s", errOut.String())
	}
	var lb []struct {
		Login  string         `json:"login"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(leaderboardJSON(t, dsn, cfg, getenv)), &lb); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, a := range lb {
		for k, n := range a.Counts {
			got[k] += n
		}
	}
	want := map[string]int{}
	for _, c := range ds.Truth() {
		if c.Kind.IsContribution() {
			want[string(c.Kind)]++
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("leaderboard total %s = %d, want %d", k, got[k], n)
		}
	}

	// Usage errors: no credentials, no orgs, a bad URL (exit 2, nothing leaked).
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		want   string
		config string
	}{
		{"no token", nil, nil, "GITHUB_TOKEN", "orgs: [aws-samples]\n"},
		{"nothing configured", nil, map[string]string{"GITHUB_TOKEN": "x"}, "nothing to collect", "bots: {}\n"},
		{"url with a password", []string{"--github-url", "https://u:hunter2@ghe.example"}, map[string]string{"GITHUB_TOKEN": "x"}, "credentials", "orgs: [aws-samples]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"--clickhouse", dsn, "--config", lbConfigFile(t, tc.config), "collect"}, tc.args...)
			code := Main(args, &out, &errOut, collectEnv(tc.env))
			if code != 2 || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and a message about %s", code, errOut.String(), tc.want)
			}
			if strings.Contains(errOut.String(), "hunter2") {
				t.Errorf("the password was printed: %s", errOut.String())
			}
		})
	}
}

// A collect process killed (SIGKILL) mid-run, then run again, stores
// exactly what one uninterrupted run stores.
func TestCollectKilledMidRunThenRerun(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(12))
	srv := collectServer(t, ds, 8)
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\n")
	getenv := collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"})
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}

	cmd := exec.Command(os.Args[0], "--clickhouse", dsn, "--config", cfg, "collect", "--github-url", srv.URL, "--workers", "1")
	cmd.Env = append(os.Environ(), "CONTRIBTRACK_TEST_RUN_MAIN=1", "GITHUB_TOKEN=ghp_cli_test_token", "CONTRIBTRACK_EMAIL_KEY="+testEmailKey)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it has stored checkpoints (every 5 s), mid-way through.
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		cps, err := st.Checkpoints(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(cps) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err = cmd.Wait()
	if err == nil {
		t.Fatalf("the collect process finished before it was killed (%d requests); the test killed nothing", srv.Stats().Requests)
	}
	t.Logf("killed after %d requests: %v", srv.Stats().Requests, err)

	// The rerun and the clean run need no slow budget: the same dataset
	// from a server without limits.
	srv = collectServer(t, ds)
	var out, errOut2 bytes.Buffer
	if code := Main([]string{"--clickhouse", dsn, "--config", cfg, "collect", "--github-url", srv.URL}, &out, &errOut2, getenv); code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, errOut2.String())
	}
	rerun := leaderboardJSON(t, dsn, cfg, getenv)

	// The same collection in one uninterrupted run.
	dsn2, _ := chtest.Database(t)
	if code := Main([]string{"--clickhouse", dsn2, "--config", cfg, "collect", "--github-url", srv.URL}, &out, &errOut2, getenv); code != 0 {
		t.Fatalf("clean run: exit %d: %s", code, errOut2.String())
	}
	if clean := leaderboardJSON(t, dsn2, cfg, getenv); clean != rerun {
		t.Errorf("killed and rerun differs from one clean run:\nrerun: %.500s\nclean: %.500s", rerun, clean)
	}
}
