package githubtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// rateEntry is one budget in a /rate_limit answer, as GitHub documents it.
type rateEntry struct {
	Limit     *int    `json:"limit"`
	Used      *int    `json:"used"`
	Remaining *int    `json:"remaining"`
	Reset     *int64  `json:"reset"`
	Resource  *string `json:"resource"`
}

// TestRateLimitEndpoint: GET /rate_limit answers in GitHub's shape
// (resources.core, .graphql, .search, ... each with limit, used,
// remaining, reset and resource; rate repeating core), with headers that
// agree with its rate as in a real recording, costs nothing, is counted in
// Stats.RateLimitChecks, and shows a budget spent with Exhaust.
func TestRateLimitEndpoint(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	hc := rawClient(t)
	ctx := context.Background()
	r := small().Repos[0]
	a := client(t, s, tokenA)
	if _, _, err := a.Repositories.Get(ctx, r.Owner.Login, r.Name); err != nil {
		t.Fatal(err)
	}

	resp, body := get(t, hc, s.URL+"/api/v3/rate_limit", tokenA)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var got struct {
		Resources map[string]rateEntry `json:"resources"`
		Rate      rateEntry            `json:"rate"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"core", "graphql", "search"} {
		e, ok := got.Resources[name]
		if !ok || e.Limit == nil || e.Used == nil || e.Remaining == nil || e.Reset == nil || e.Resource == nil || *e.Resource != name {
			t.Errorf("resources.%s = %+v, want limit, used, remaining, reset and resource %q", name, e, name)
			continue
		}
		if *e.Used+*e.Remaining != *e.Limit {
			t.Errorf("resources.%s: used %d + remaining %d != limit %d", name, *e.Used, *e.Remaining, *e.Limit)
		}
	}
	if c := got.Resources["core"]; c.Used == nil || *c.Used != 1 || got.Rate.Remaining == nil || *got.Rate.Remaining != *c.Remaining {
		t.Errorf("core %+v, rate %+v: want one point used, and rate repeating core", c, got.Rate)
	}
	headersAgree(t, "server", resp.Header, body)
	// A real answer's headers agree with its rate the same way.
	rec := cassette(t, "rate_limit.json", 0)
	headersAgree(t, "recording", rec.header, rec.body)

	// Free and counted; go-github reads it.
	rl, _, err := a.RateLimit.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Core == nil || rl.GraphQL == nil || rl.Search == nil || rl.Core.Remaining != 4999 || rl.GraphQL.Remaining != 5000 {
		t.Fatalf("go-github read core %v, graphql %v, search %v", rl.Core, rl.GraphQL, rl.Search)
	}
	if st := s.Stats(); st.RateLimitChecks != 2 || st.Points["core"] != 1 {
		t.Errorf("%d checks counted, %d core points; want 2 and 1", st.RateLimitChecks, st.Points["core"])
	}

	// A budget spent elsewhere: the next request is refused with the new
	// reset, and /rate_limit shows it.
	s.Exhaust(0, ResourceGraphQL, time.Minute)
	s.Exhaust(0, ResourceCore, 2*time.Second)
	want := time.Now().Add(2 * time.Second)
	rl, _, err = a.RateLimit.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Core.Remaining != 0 || rl.GraphQL.Remaining != 0 || rl.Core.Reset.Before(want.Add(-time.Second)) || rl.Core.Reset.After(want.Add(time.Second)) {
		t.Errorf("after Exhaust: core %v, graphql %v; want both spent, core until about %v", rl.Core, rl.GraphQL, want)
	}
	_, _, err = client(t, s, tokenA).Repositories.Get(ctx, r.Owner.Login, r.Name)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) || !rle.Rate.Reset.Equal(rl.Core.Reset) {
		t.Errorf("after Exhaust: %v, want a RateLimitError with reset %v", err, rl.Core.Reset)
	}
	if st := s.Stats(); st.SentWhileExhausted != 1 || st.TokenPoints[1] != nil {
		t.Errorf("SentWhileExhausted %d, points of the other token %v; want 1 and none", st.SentWhileExhausted, st.TokenPoints[1])
	}
	if _, _, err := client(t, s, tokenB).Repositories.Get(ctx, r.Owner.Login, r.Name); err != nil {
		t.Errorf("the other token's budget was spent too: %v", err)
	}
}

// headersAgree checks that a /rate_limit answer's X-RateLimit-* headers
// say what its rate says.
func headersAgree(t *testing.T, what string, h http.Header, body []byte) {
	t.Helper()
	var b struct {
		Rate struct {
			Limit, Remaining int
			Reset            int64
		} `json:"rate"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for name, want := range map[string]string{
		"X-RateLimit-Limit":     strconv.Itoa(b.Rate.Limit),
		"X-RateLimit-Remaining": strconv.Itoa(b.Rate.Remaining),
		"X-RateLimit-Reset":     strconv.FormatInt(b.Rate.Reset, 10),
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s %q, its rate says %q", what, name, got, want)
		}
	}
}

// TestFaultsOnRateLimitAreAimedApart: FaultOnREST leaves GET /rate_limit
// alone and FaultOnRateLimit touches nothing else.
func TestFaultsOnRateLimitAreAimedApart(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	hc := rawClient(t)
	repo := s.URL + "/api/v3/repos/" + small().Repos[0].FullName()
	check := s.URL + "/api/v3/rate_limit"
	s.InjectOn(FaultOnREST, Fault5xx, 1)
	if resp, _ := get(t, hc, check, tokenA); resp.StatusCode != http.StatusOK {
		t.Errorf("/rate_limit got %d from a fault aimed at REST", resp.StatusCode)
	}
	if resp, _ := get(t, hc, repo, tokenA); resp.StatusCode < 500 {
		t.Errorf("the REST fault was not served: %d", resp.StatusCode)
	}
	s.InjectOn(FaultOnRateLimit, Fault5xx, 1)
	if resp, _ := get(t, hc, repo, tokenA); resp.StatusCode != http.StatusOK {
		t.Errorf("a REST request got %d from a fault aimed at /rate_limit", resp.StatusCode)
	}
	if resp, _ := get(t, hc, check, tokenA); resp.StatusCode < 500 {
		t.Errorf("the /rate_limit fault was not served: %d", resp.StatusCode)
	}
}
