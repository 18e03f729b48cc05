package reliability

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/queries"
)

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// testSecrets plants a GitHub token, a second (refused) token, the API
// token and the email key, runs every command that writes something
// (migrate, collect, collect with the refused token, leaderboard, report
// in each format, serve with its API and /metrics), keeps what each
// printed, dumps every table and takes ClickHouse's own logs, then
// searches all of it for each secret and for any 16 characters of one.
// A control file holding the secrets is searched the same way and must
// hit each of them: a search that finds nothing there is broken.
func testSecrets(t *testing.T) {
	secrets := map[string]string{
		"GitHub token":         "ghp_" + randomHex(18),
		"refused GitHub token": "ghp_" + randomHex(18),
		"API token":            "ctapi_" + randomHex(16),
		"email key":            "ek_" + randomHex(16),
	}
	out := filepath.Join(st.tmp, "secrets")
	if err := os.MkdirAll(filepath.Join(out, "control"), 0o755); err != nil {
		t.Fatal(err)
	}
	g := newGHServer(t, ghdata.Generate(spec(17)), githubtest.Options{Tokens: []string{secrets["GitHub token"]}})
	dsn := newDSN("secrets")
	env := []string{"GITHUB_TOKEN=" + secrets["GitHub token"], "CONTRIBTRACK_API_TOKEN=" + secrets["API token"],
		"CONTRIBTRACK_EMAIL_KEY=" + secrets["email key"]}
	if err := os.WriteFile(filepath.Join(out, "control", "environment"), []byte(strings.Join(env, "\n")+"\nGITHUB_TOKEN="+secrets["refused GitHub token"]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	step := 0
	keep := func(name string, p *proc, wantOK bool) {
		step++
		err := p.cmd.Run()
		if (err == nil) != wantOK {
			t.Errorf("%s: %v (want success: %v): %s", name, err, wantOK, tail(p.stderr.String(), 5))
		}
		base := filepath.Join(out, fmt.Sprintf("%02d-%s", step, name))
		_ = os.WriteFile(base+".stdout", p.stdout.Bytes(), 0o600)
		_ = os.WriteFile(base+".stderr", p.stderr.Bytes(), 0o600)
	}
	ct := func(args ...string) *proc {
		return command(t, env, append([]string{"--clickhouse", dsn, "--config", g.cfg, "--debug"}, args...)...)
	}
	keep("migrate", ct("migrate"), true)
	keep("collect", ct("collect", "--github-url", g.URL), true)
	keep("collect-refused-token", command(t, append(env, "GITHUB_TOKEN="+secrets["refused GitHub token"]),
		"--clickhouse", dsn, "--config", g.cfg, "--debug", "collect", "--github-url", g.URL), false)
	period := []string{"--from", "2000-01-01", "--to", "2100-01-01"}
	for _, f := range []string{"table", "json", "csv"} {
		keep("leaderboard-"+f, ct(append(append([]string{"leaderboard"}, period...), "--include-bots", "--format", f)...), true)
	}
	for _, f := range []string{"md", "csv", "json", "html"} {
		keep("report-"+f, ct(append(append([]string{"report", "--org", "aws-samples"}, period...), "--format", f)...), true)
	}
	serveAndAsk(t, ct("serve", "--github-url", g.URL, "--listen", "127.0.0.1:0"), secrets["API token"], out)
	dumpTables(t, dsn, filepath.Join(out, "tables"))

	// The search: every file kept, ClickHouse's logs, and the control.
	roots := []string{out, filepath.Join(st.chDir, "log")}
	hits, controlHits, files, bytes := map[string][]string{}, map[string]int{}, 0, int64(0)
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			body, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("reading %s: %v", path, err)
				return nil
			}
			files++
			bytes += int64(len(body))
			control := strings.HasPrefix(path, filepath.Join(out, "control"))
			for name, s := range secrets {
				if !leaks(string(body), s) {
					continue
				}
				if control {
					controlHits[name]++
				} else {
					rel, _ := filepath.Rel(st.tmp, path)
					hits[name] = append(hits[name], rel)
				}
			}
			return nil
		})
	}
	r := &row{experiment: "secrets: tokens, API token and email key planted, then every log, report, metric and table dump searched",
		trials: "1 run", ok: true}
	n := 0
	for name, where := range hits {
		n += len(where)
		r.details = append(r.details, fmt.Sprintf("the %s is in %s", name, strings.Join(where, ", ")))
	}
	var missed []string
	for name := range secrets {
		if controlHits[name] == 0 {
			missed = append(missed, name)
		}
	}
	r.result = fmt.Sprintf("%d hits in %d files (%.1f MB: %d command outputs, every table, ClickHouse's logs); positive control: %d of %d secrets found",
		n, files-1, float64(bytes)/1e6, step+1, len(secrets)-len(missed), len(secrets))
	if n > 0 || len(missed) > 0 {
		r.ok = false
		if len(missed) > 0 {
			r.result += "; the search missed the control's " + strings.Join(missed, ", ")
		}
	}
	record(t, r)
}

// leaks reports whether text holds secret or any 16 characters of it.
func leaks(text, secret string) bool {
	for i := 0; i+16 <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+16]) {
			return true
		}
	}
	return false
}

// serveAndAsk starts serve, asks its API (with the token, with a wrong
// one, without), /metrics and the health checks, stops it with SIGTERM
// and keeps everything it printed and answered in out.
func serveAndAsk(t *testing.T, p *proc, token, out string) {
	t.Helper()
	pr, pw := io.Pipe()
	p.cmd.Stdout = io.MultiWriter(&p.stdout, pw)
	p.start(t)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "serving "); ok {
				addr <- u
			}
		}
	}()
	var base string
	select {
	case base = <-addr:
	case <-p.done:
		t.Fatalf("serve exited: %s", tail(p.stderr.String(), 10))
	}
	q := url.Values{"from": {"2000-01-01"}, "to": {"2100-01-01"}, "org": {"aws-samples"}}.Encode()
	var answers strings.Builder
	for _, ask := range []struct{ path, auth string }{
		{"/api/v1/leaderboard?" + q, "Bearer " + token}, {"/api/v1/leaderboard?" + q, "Bearer wrong-" + token[:8]},
		{"/api/v1/leaderboard?" + q, ""}, {"/api/v1/projects/metrics?" + q, "Bearer " + token},
		{"/api/v1/sync", "Bearer " + token}, {"/api/v1/reports?format=md&" + q, "Bearer " + token},
		{"/api/v1/contributors/nobody?" + q, "Bearer " + token}, {"/metrics", ""}, {"/healthz", ""}, {"/readyz", ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, base+ask.path, nil)
		if ask.auth != "" {
			req.Header.Set("Authorization", ask.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("GET %s: %v", ask.path, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Fprintf(&answers, "GET %s: %d\n%s\n%s\n\n", ask.path, resp.StatusCode, headerText(resp.Header), body)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(2 * time.Minute):
		p.kill9()
		t.Errorf("serve did not stop within 2 minutes of SIGTERM")
	}
	pw.Close()
	_ = os.WriteFile(filepath.Join(out, "serve.stdout"), p.stdout.Bytes(), 0o600)
	_ = os.WriteFile(filepath.Join(out, "serve.stderr"), p.stderr.Bytes(), 0o600)
	_ = os.WriteFile(filepath.Join(out, "serve.answers"), []byte(answers.String()), 0o600)
}

func headerText(h http.Header) string {
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

// dumpTables writes every table of the database at dsn to dir, one file
// each, through ClickHouse's HTTP interface.
func dumpTables(t *testing.T, dsn, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := strings.TrimPrefix(u.Path, "/")
	ask := func(query string) string {
		endpoint := fmt.Sprintf("http://127.0.0.1:%d/?database=%s", st.ch.HTTPPort, url.QueryEscape(db))
		resp, err := http.Post(endpoint, "text/plain", strings.NewReader(query))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("ClickHouse answered %d: %s", resp.StatusCode, body)
		}
		return string(body)
	}
	tables := strings.Fields(ask(queries.MustRead("reliability_tables.sql")))
	if len(tables) < 5 {
		t.Fatalf("only %d tables to dump: %v", len(tables), tables)
	}
	for _, name := range tables {
		body := ask(queries.MustName(queries.MustRead("reliability_table_dump.sql"), map[string]string{"table": "`" + name + "`"}))
		_ = os.WriteFile(filepath.Join(dir, name+".tsv"), []byte(body), 0o600)
	}
}
