package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// TestRunServesUntilCancelled starts the binary's run, reads the url=
// line, checks the server answers with the configured token, and stops it.
func TestRunServesUntilCancelled(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		good, bad string
	}{
		{"default demo token", nil, githubtest.DemoToken, "ghp_other"},
		{"explicit tokens", []string{"--token", "ghp_one", "--token", "ghp_two", "--seed", "3"}, "ghp_two", githubtest.DemoToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			var stderr bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, tc.args...), pw, &stderr)
				pw.Close()
			}()
			line, err := bufio.NewReader(pr).ReadString('\n')
			if err != nil {
				t.Fatalf("no url line: %v (stderr %s)", err, stderr.String())
			}
			go io.Copy(io.Discard, pr)
			url, ok := strings.CutPrefix(strings.TrimSpace(line), "url=")
			if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
				t.Fatalf("first line %q", line)
			}
			for tok, want := range map[string]int{tc.good: http.StatusOK, tc.bad: http.StatusUnauthorized} {
				req, _ := http.NewRequest(http.MethodGet, url+"/api/v3/orgs/aws-samples/repos", nil)
				req.Header.Set("Authorization", "token "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("status %d, want %d", resp.StatusCode, want)
				}
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("exit code %d; stderr %s", code, stderr.String())
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the server did not stop")
			}
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"unknown size", []string{"--size", "huge"}, 2},
		{"end not a time", []string{"--end", "today"}, 2},
		{"end before the activity starts", []string{"--end", "2020-06-01"}, 2},
		{"unknown flag", []string{"--nope"}, 2},
		{"missing explicit schema", []string{"--schema", "/nonexistent/schema.graphql"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), tc.args, &out, &errb); code != tc.want {
				t.Errorf("exit code %d, want %d (stderr %s)", code, tc.want, errb.String())
			}
			if out.Len() != 0 {
				t.Errorf("printed %q", out.String())
			}
		})
	}
}

// TestEndMovesTheActivity checks that --end is where the generated
// activity ends: scripts/demo.sh passes the current hour so that the
// demo's data ends today (issue 15), and the last 30 days have activity.
func TestEndMovesTheActivity(t *testing.T) {
	defaultEnd := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, end string
		want      time.Time
	}{
		{"default", "", defaultEnd},
		{"a date", "2031-03-15", time.Date(2031, 3, 15, 0, 0, 0, 0, time.UTC)},
		{"an RFC 3339 time", "2031-03-15T09:00:00+02:00", time.Date(2031, 3, 15, 7, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := datasetSpec("bench", 1, tc.end)
			if err != nil {
				t.Fatal(err)
			}
			d := ghdata.Generate(spec)
			if !d.Now.Equal(tc.want) {
				t.Errorf("the dataset's clock is %s, want %s", d.Now, tc.want)
			}
			var latest time.Time
			recent := 0 // commits in the 30 days before the end
			for _, r := range d.Repos {
				for _, c := range r.Commits {
					if c.CommittedAt.After(latest) {
						latest = c.CommittedAt
					}
					if c.CommittedAt.After(tc.want.AddDate(0, 0, -30)) {
						recent++
					}
				}
			}
			if latest.After(tc.want) {
				t.Errorf("a commit at %s, after the end %s", latest, tc.want)
			}
			if recent == 0 {
				t.Errorf("no commit in the 30 days before %s (latest %s)", tc.want, latest)
			}
		})
	}
}
