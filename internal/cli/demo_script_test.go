package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoScript runs scripts/demo.sh, the README's first command, with
// fakes for go, ClickHouse's installer, contribtrack and the GitHub test
// server (this test binary, see TestDemoFake), so that it checks the
// script's own behaviour in a second (issue 15): each step is announced
// before it starts, what the commands log goes to the demo's log and not
// between a heading and its output, the report's excerpt shows whole
// sections, the results stay in the demo's folder, the end says what to do
// next, and the test server's data ends this hour.
func TestDemoScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root, stubs, data := t.TempDir(), t.TempDir(), t.TempDir()
	script, err := os.ReadFile("../../scripts/demo.sh")
	if err != nil {
		t.Fatal(err)
	}
	record := filepath.Join(stubs, "testserver-args")
	demoWriteFile(t, filepath.Join(root, "scripts/demo.sh"), string(script), 0o755)
	demoWriteFile(t, filepath.Join(root, "scripts/install-clickhouse.sh"), "#!/bin/sh\necho 'ClickHouse: the fake is installed'\n", 0o755)
	demoWriteFile(t, filepath.Join(root, "examples/demo-testserver.yaml"), "orgs: [aws-samples]\n", 0o644)
	// go build -o OUT ./cmd/NAME writes OUT, a wrapper that runs this
	// test binary as the fake NAME.
	demoWriteFile(t, filepath.Join(stubs, "go"), fmt.Sprintf(`#!/bin/sh
echo GO-BUILD-STARTED
[ "$1" = build ] && [ "$2" = -o ] || { echo "unexpected: go $*" >&2; exit 2; }
printf '#!/bin/sh\nDEMO_FAKE=%%s DEMO_FAKE_RECORD=%q exec %q -test.run=^TestDemoFake$ -- "$@"\n' "$(basename "$4")" >"$3"
chmod +x "$3"
`, record, self), 0o755)

	start := time.Now().UTC()
	cmd := exec.Command("bash", filepath.Join(root, "scripts/demo.sh"))
	cmd.Env = append(os.Environ(), "PATH="+stubs+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CONTRIBTRACK_DATA_DIR="+data, "HOME="+t.TempDir(), "DEMO_FAKE=", "GITHUB_TOKEN=")
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err != nil {
		t.Fatalf("demo.sh: %v\n%s", err, out)
	}
	demo := filepath.Join(data, "demo")
	logText, err := os.ReadFile(filepath.Join(demo, "demo.log"))
	if err != nil {
		t.Errorf("the demo's log: %v", err)
	}

	// Item 5: the build is announced before it starts.
	if i, j := strings.Index(out, "Building contribtrack"), strings.Index(out, "GO-BUILD-STARTED"); i < 0 || j < 0 || i > j {
		t.Errorf("the build is not announced before it starts:\n%s", out)
	}
	for _, s := range []string{"Starting the GitHub test server", "ClickHouse", "Collecting aws-samples", "Syncing again", "Starting contribtrack serve"} {
		if !regexp.MustCompile(`(?m)^==> .*` + regexp.QuoteMeta(s)).MatchString(out) {
			t.Errorf("no step heading for %q:\n%s", s, out)
		}
	}
	// Item 7: log lines go to the log, headings are followed by their output.
	if strings.Contains(out, "level=") {
		t.Errorf("log lines in the demo's output:\n%s", out)
	}
	if !strings.Contains(string(logText), `msg="leaderboard rollup refreshed"`) {
		t.Errorf("the log misses collect's log lines:\n%s", logText)
	}
	if !regexp.MustCompile(`(?m)^==> Top contributors.*\nRANK\tLOGIN`).MatchString(out) {
		t.Errorf("the leaderboard's heading is not followed by its table:\n%s", out)
	}
	if !strings.Contains(out, "| [@last-reviewer](https://github.com/last-reviewer) | 1 | 0 |") || strings.Contains(out, "### Contributors") {
		t.Errorf("the report's excerpt is not its first sections, whole:\n%s", out)
	}
	// Item 6: the results stay, and the end says what next.
	for _, name := range []string{"report.html", "report.md"} {
		path := filepath.Join(demo, name)
		if _, err := os.Stat(path); err != nil {
			t.Errorf("the demo's %s is gone: %v", name, err)
		}
		if !strings.Contains(out, path) {
			t.Errorf("the output does not name %s:\n%s", path, out)
		}
	}
	next := out[max(0, strings.Index(out, "==> What next")):]
	for _, want := range []string{
		"export CONTRIBTRACK_DATA_DIR=" + demo, "bin/contribtrack clickhouse stop", "clickhouse://127.0.0.1:1/contribtrack",
		"bin/github-testserver --size bench --seed 1 --end ", "export GITHUB_TOKEN=ghp_contribtrackTestServerDemoToken0001",
		"serve --github-url", "/api/v1/leaderboard?", "/metrics", "bin/contribtrack leaderboard --from", "bin/contribtrack report ",
		"Grafana", "dashboards/",
	} {
		if !strings.Contains(next, want) {
			t.Errorf("what next does not say %q:\n%s", want, next)
		}
	}
	// Item 20: the test server's activity ends this hour, and the demo
	// shows the last-30-days gauges.
	args, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`--end (\S+)`).FindStringSubmatch(string(args))
	if m == nil {
		t.Fatalf("the test server was started without --end: %s", args)
	}
	end, err := time.Parse(time.RFC3339, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if end.Before(start.Truncate(time.Hour)) || end.After(time.Now()) {
		t.Errorf("the test server's activity ends %s, not this hour (%s)", end, start)
	}
	if !strings.Contains(out, `contribtrack_community_active_contributors{name="",scope="all"} 3`) {
		t.Errorf("the demo does not show the community gauges:\n%s", out)
	}
}

func demoWriteFile(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}

// TestDemoFake is not a test: TestDemoScript runs this binary as the fake
// contribtrack or github-testserver (DEMO_FAKE), which print what the real
// ones print, logs on stderr as slog does.
func TestDemoFake(t *testing.T) {
	name := os.Getenv("DEMO_FAKE")
	if name == "" {
		t.Skip("run by TestDemoScript")
	}
	args := flagArgs()
	logLine := func(msg string) {
		fmt.Fprintf(os.Stderr, "time=%s level=INFO msg=%q\n", time.Now().Format(time.RFC3339), msg)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	code := 0
	switch name + " " + args[0] {
	case "github-testserver --size":
		if err := os.WriteFile(os.Getenv("DEMO_FAKE_RECORD"), []byte(strings.Join(args, " ")), 0o644); err != nil {
			panic(err)
		}
		fmt.Fprintln(os.Stderr, "github-testserver: warning: no schema")
		fmt.Println("url=http://127.0.0.1:9")
		<-ctx.Done()
	case "contribtrack clickhouse":
		logLine("starting local ClickHouse server")
		if args[1] == "start" {
			fmt.Println("clickhouse://127.0.0.1:1/contribtrack")
		}
	case "contribtrack migrate":
		fmt.Println("database contribtrack: applied 0001_contributions")
	case "contribtrack collect":
		fmt.Fprintln(os.Stderr, "synced     aws-samples/one: pulls (1 stored)")
		logLine("leaderboard rollup refreshed")
		fmt.Println("collected 1 repositories in 1s: 1 changed, 0 unchanged, 0 failed")
		fmt.Println("GitHub: 1 REST requests")
	case "contribtrack leaderboard":
		logLine("leaderboard rollup refreshed")
		fmt.Print("RANK\tLOGIN\tSCORE\n1\tmaria-garcia\t9\n")
	case "contribtrack report":
		logLine("leaderboard rollup refreshed")
		text := "## Contributor report: aws-samples\n\n### Summary\n\n| | |\n| --- | ---: |\n| Contributions | 9 |\n\n" +
			"### Top reviewers\n\n| Reviewer | Reviews | Review comments |\n| --- | ---: | ---: |\n" +
			"| [@maria-garcia](https://github.com/maria-garcia) | 2 | 1 |\n| [@last-reviewer](https://github.com/last-reviewer) | 1 | 0 |\n\n" +
			"### Contributors\n\n| # | Contributor |\n| ---: | --- |\n| 1 | maria-garcia |\n"
		if slices.Index(args, "html") >= 0 {
			text = "<!doctype html><title>report</title>"
		}
		if err := os.WriteFile(args[slices.Index(args, "--out")+1], []byte(text), 0o644); err != nil {
			panic(err)
		}
	case "contribtrack serve":
		code = fakeServe(ctx, logLine)
	default:
		fmt.Fprintf(os.Stderr, "fake %s: unexpected arguments %q\n", name, args)
		code = 2
	}
	os.Exit(code)
}

// flagArgs is the fake's command line after "--", without --config FILE.
func flagArgs() []string {
	args := os.Args
	if i := slices.Index(args, "--"); i >= 0 {
		args = args[i+1:]
	}
	if len(args) >= 2 && args[0] == "--config" {
		args = args[2:]
	}
	return append(args, "")
}

// fakeServe answers the endpoints the demo asks until SIGTERM.
func fakeServe(ctx context.Context, logLine func(string)) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/leaderboard", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "rank,login\n1,maria-garcia\n") })
	mux.HandleFunc("/api/v1/projects/metrics", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"org":"aws-samples"}`) })
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "# TYPE contribtrack_community_active_contributors gauge\ncontribtrack_community_active_contributors{name=\"\",scope=\"all\"} 3\n")
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	fmt.Printf("serving http://%s\n", ln.Addr())
	logLine("sync round done")
	<-ctx.Done()
	srv.Close()
	return 0
}
