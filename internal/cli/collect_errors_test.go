package cli

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/testing/chtest"
)

// Issue 15, item 8: collect against a URL nothing listens on sat silent
// for 86 s before it failed. A refused connection fails at once: the URL
// and the cause, no retry, no summary, exit 1.
func TestCollectUnreachableURLFailsAtOnce(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [aws-samples]\n")
	var out, errOut bytes.Buffer
	code := Main([]string{"--clickhouse", dsn, "--config", cfg, "collect", "--github-url", url}, &out, &errOut,
		collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"}))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{url, "unreachable", "connection refused"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "retrying") {
		t.Errorf("a refused connection was retried:\n%s", errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("a run that never started printed:\n%s", out.String())
	}
}

// A token GitHub refuses fails collect before anything else, named by its
// position and never by its text, with no summary of a run that never
// happened; among good tokens too.
func TestCollectWrongTokenFailsBeforeAnySummary(t *testing.T) {
	srv := collectServer(t, ghdata.Generate(ghdata.SmallSpec(11)))
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [aws-samples]\n")
	const wrong = "ghp_wrongTokenTheServerNeverIssued0001"
	for _, tc := range []struct {
		name, tokens, want string
	}{
		{"the only token", wrong, "token #1"},
		{"the second of two", "ghp_cli_test_token," + wrong, "token #2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Stats()
			var out, errOut bytes.Buffer
			code := Main([]string{"--clickhouse", dsn, "--config", cfg, "collect", "--github-url", srv.URL}, &out, &errOut,
				collectEnv(map[string]string{"GITHUB_TOKENS": tc.tokens}))
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(errOut.String(), tc.want) || !strings.Contains(errOut.String(), "GitHub refused the credentials") {
				t.Errorf("stderr does not say GitHub refused %s:\n%s", tc.want, errOut.String())
			}
			if strings.Contains(errOut.String()+out.String(), wrong) {
				t.Errorf("the token was printed:\n%s%s", out.String(), errOut.String())
			}
			if out.Len() != 0 {
				t.Errorf("a summary of a run that never started:\n%s", out.String())
			}
			// One GET /rate_limit per token at most, nothing else.
			if st := srv.Stats(); st.GraphQL != before.GraphQL || st.REST-before.REST > strings.Count(tc.tokens, ",")+1 {
				t.Errorf("requests beyond the credentials check: GraphQL %d, REST %d", st.GraphQL-before.GraphQL, st.REST-before.REST)
			}
		})
	}
}

// A server that answers 5xx a few times, at the start and mid-run, gets a
// line on stderr for each retry, and the run then succeeds.
func TestCollectRetriesServerErrorsVisibly(t *testing.T) {
	srv := collectServer(t, ghdata.Generate(ghdata.SmallSpec(11)))
	srv.InjectOn(githubtest.FaultOnRateLimit, githubtest.Fault5xx, 2) // 502, then 503
	srv.InjectOn(githubtest.FaultOnGraphQL, githubtest.Fault5xx, 1)
	dsn, _ := chtest.Database(t)
	cfg := lbConfigFile(t, "orgs: [aws-samples]\n")
	var out, errOut bytes.Buffer
	code := Main([]string{"--clickhouse", dsn, "--config", cfg, "collect", "--github-url", srv.URL}, &out, &errOut,
		collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"}))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	at := "GitHub at " + srv.URL + " did not answer "
	for _, want := range []string{
		at + "(HTTP 502); retrying in 1s (attempt 2 of 5)",
		at + "(HTTP 503); retrying in 2s (attempt 3 of 5)",
		at + "(HTTP 502); retrying in ", // mid-run, with jitter
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	if n := strings.Count(errOut.String(), "did not answer"); n != 3 {
		t.Errorf("%d retry lines, want 3:\n%s", n, errOut.String())
	}
	if !strings.Contains(out.String(), "collected ") || !strings.Contains(out.String(), "3 retries") {
		t.Errorf("summary:\n%s", out.String())
	}
}
