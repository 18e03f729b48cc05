package metrics_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/metrics"
)

// No token text reaches a scrape, whether GitHub accepts the token or
// refuses it; the request counters and rate-limit gauges move.
func TestScrapeHoldsNoTokenText(t *testing.T) {
	const (
		accepted = "ghp_SECRETacceptedToken0123456789abcdefAB"
		refused  = "ghp_SECRETrefusedToken0123456789abcdefABC"
	)
	ds := ghdata.Generate(ghdata.SmallSpec(1))
	srv := githubtest.NewServer(githubtest.Options{Dataset: ds, Tokens: []string{accepted}})
	t.Cleanup(srv.Close)
	m := metrics.NewWithoutRuntime()
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	gh, err := ghclient.New(ghclient.Options{URL: srv.URL, Tokens: []string{accepted, refused}, HTTP: hc,
		RetryBase: time.Millisecond, Observer: m.GitHubObserver()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	repo := ds.Repos[0]
	for i := 0; i < 3; i++ {
		_, err := gh.REST(ctx, func(ctx context.Context, c *github.Client) (*github.Response, error) {
			_, resp, err := c.Repositories.Get(ctx, repo.Owner.Login, repo.Name)
			return resp, err
		})
		if err != nil {
			t.Fatalf("REST request %d: %v", i, err)
		}
	}
	var q struct {
		Repository struct{ DatabaseID int64 } `graphql:"repository(owner: $owner, name: $name)"`
	}
	if err := gh.Query(ctx, &q, map[string]any{"owner": githubv4.String(repo.Owner.Login), "name": githubv4.String(repo.Name)}, 1); err != nil {
		t.Fatalf("GraphQL query: %v", err)
	}

	body := scrape(t, m)
	for _, secret := range []string{accepted, refused, "SECRET", accepted[len(accepted)-8:]} {
		if strings.Contains(body, secret) {
			t.Errorf("the scrape holds token text %q:\n%s", secret, body)
		}
	}
	for _, want := range []string{
		`contribtrack_github_requests_total{api="rest",resource="core",status_class="2xx"} 3`,
		`contribtrack_github_requests_total{api="rest",resource="core",status_class="4xx"} 1`, // the refused token
		`contribtrack_github_requests_total{api="graphql",resource="graphql",status_class="2xx"} 1`,
		`contribtrack_github_rate_limit_remaining_points{resource="core",token="1"} `,
		`contribtrack_github_rate_limit_remaining_points{resource="graphql",token="1"} `,
		`contribtrack_github_rate_limit_reset_timestamp_seconds{resource="core",token="1"} `,
	} {
		if !strings.Contains(body, "\n"+want) {
			t.Errorf("the scrape lacks %s:\n%s", want, body)
		}
	}
}
