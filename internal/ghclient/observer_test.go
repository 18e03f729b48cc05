package ghclient_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// recordingObserver keeps every call it is told about.
type recordingObserver struct {
	mu         sync.Mutex
	requests   []request
	rateLimits []rateLimit
	waits      []ghclient.Wait
}

type request struct {
	api, resource string
	status        int
	failed        bool
}

type rateLimit struct {
	token     int
	resource  string
	remaining int
	reset     time.Time
}

func (o *recordingObserver) Request(api, resource string, status int, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests = append(o.requests, request{api, resource, status, err != nil})
}

func (o *recordingObserver) RateLimit(token int, resource string, remaining int, reset time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rateLimits = append(o.rateLimits, rateLimit{token, resource, remaining, reset})
}

func (o *recordingObserver) Wait(w ghclient.Wait, expected time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits = append(o.waits, w)
}

func TestObserverSeesRequestsRateLimitsAndWaits(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(1))
	tokens := []string{"ghp_observer_token_one", "ghp_observer_token_two"}
	srv := githubtest.NewServer(githubtest.Options{Dataset: ds, Tokens: tokens})
	t.Cleanup(srv.Close)
	obs := &recordingObserver{}
	gh, err := ghclient.New(ghclient.Options{URL: srv.URL, Tokens: tokens, Observer: obs,
		RetryBase: time.Millisecond, HTTP: &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	repo := ds.Repos[0]
	ctx := context.Background()
	getRepo := func(ctx context.Context, c *github.Client) (*github.Response, error) {
		_, resp, err := c.Repositories.Get(ctx, repo.Owner.Login, repo.Name)
		return resp, err
	}
	for i := 0; i < 2; i++ {
		if _, err := gh.REST(ctx, getRepo); err != nil {
			t.Fatalf("REST request %d: %v", i, err)
		}
	}
	// A server error is retried; a secondary limit is waited out (about a
	// second: the test server's Retry-After).
	srv.InjectOn(githubtest.FaultOnREST, githubtest.Fault5xx, 1)
	srv.InjectOn(githubtest.FaultOnREST, githubtest.FaultSecondary, 1)
	if _, err := gh.REST(ctx, getRepo); err != nil {
		t.Fatalf("REST request after faults: %v", err)
	}
	var q struct {
		Repository struct{ DatabaseID int64 } `graphql:"repository(owner: $owner, name: $name)"`
	}
	if err := gh.Query(ctx, &q, map[string]any{"owner": githubv4.String(repo.Owner.Login), "name": githubv4.String(repo.Name)}, 1); err != nil {
		t.Fatalf("GraphQL query: %v", err)
	}

	obs.mu.Lock()
	defer obs.mu.Unlock()
	st := gh.Stats()
	if got, want := len(obs.requests), st.RESTRequests+st.GraphQLRequests; got != want {
		t.Errorf("observer saw %d requests, the client's stats count %d", got, want)
	}
	seen := map[request]int{}
	for _, r := range obs.requests {
		if r.status >= 500 {
			r.status = 500
		}
		seen[r]++
	}
	for _, want := range []request{
		{api: "rest", resource: "core", status: 200},
		{api: "rest", resource: "core", status: 500},
		{api: "rest", resource: "core", status: 403},
		{api: "graphql", resource: "graphql", status: 200},
	} {
		if seen[want] == 0 {
			t.Errorf("no request %+v observed; saw %v", want, seen)
		}
	}
	tokensSeen := map[int]bool{}
	resources := map[string]bool{}
	for _, rl := range obs.rateLimits {
		tokensSeen[rl.token] = true
		resources[rl.resource] = true
		if rl.remaining <= 0 || rl.reset.IsZero() {
			t.Errorf("rate limit %+v: want points remaining and a reset time", rl)
		}
	}
	for tok := range tokensSeen {
		if tok != 1 && tok != 2 {
			t.Errorf("rate limit for token %d; want indexes 1 and 2 only", tok)
		}
	}
	if len(tokensSeen) != 2 || !resources["core"] || !resources["graphql"] {
		t.Errorf("rate limits seen for tokens %v and resources %v; want both tokens, core and graphql", tokensSeen, resources)
	}
	if len(obs.waits) != st.Waits || len(obs.waits) == 0 {
		t.Fatalf("observer saw %d waits, the client's stats count %d; want the same, at least one", len(obs.waits), st.Waits)
	}
	if w := obs.waits[0]; w.Reason != "secondary limit" || w.Resource != "core" {
		t.Errorf("wait %+v, want a secondary limit on core", w)
	}
}
