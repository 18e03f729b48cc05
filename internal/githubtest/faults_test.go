package githubtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

// TestFaultsReachGoGitHub injects each fault and checks what a go-github
// client makes of it, and that faults cost no points.
func TestFaultsReachGoGitHub(t *testing.T) {
	t.Parallel()
	r := small().Repos[0]
	tests := []struct {
		name  string
		kind  FaultKind
		check func(t *testing.T, resp *github.Response, err error)
	}{
		{"5xx gives a 502 error response", Fault5xx, func(t *testing.T, resp *github.Response, err error) {
			var er *github.ErrorResponse
			if !errors.As(err, &er) || resp.StatusCode != http.StatusBadGateway {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"secondary limit gives AbuseRateLimitError with RetryAfter", FaultSecondary, func(t *testing.T, resp *github.Response, err error) {
			var ae *github.AbuseRateLimitError
			if !errors.As(err, &ae) || ae.RetryAfter == nil || *ae.RetryAfter != time.Second || resp.StatusCode != http.StatusForbidden {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"secondary limit as 429 is a plain error response in go-github v60", FaultSecondary429, func(t *testing.T, resp *github.Response, err error) {
			var er *github.ErrorResponse
			var ae *github.AbuseRateLimitError
			if !errors.As(err, &er) || errors.As(err, &ae) || resp.StatusCode != http.StatusTooManyRequests ||
				resp.Header.Get("Retry-After") != "1" {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"reset is a transport error", FaultReset, func(t *testing.T, resp *github.Response, err error) {
			if err == nil || resp != nil {
				t.Errorf("got response %v, error %v", resp, err)
			}
		}},
		{"truncated body fails decoding", FaultTruncated, func(t *testing.T, resp *github.Response, err error) {
			if err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
				t.Errorf("got %v, want unexpected EOF", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, Options{})
			c := client(t, s, tokenA) // a fresh connection: see FaultReset
			s.Inject(tc.kind, 1)
			_, resp, err := c.Repositories.Get(context.Background(), r.Owner.Login, r.Name)
			tc.check(t, resp, err)
			st := s.Stats()
			if st.Faults[tc.kind] != 1 || st.Points["core"] != 0 {
				t.Errorf("faults %v, points %v", st.Faults, st.Points)
			}
			// The next request is served normally (a fresh client: go-github
			// would wait out a secondary limit itself).
			if _, _, err := client(t, s, tokenA).Repositories.Get(context.Background(), r.Owner.Login, r.Name); err != nil {
				t.Errorf("after the fault: %v", err)
			}
		})
	}
}

// TestRetryAfterViolations: a request sent during the Retry-After period
// of a secondary limit is counted; one sent after it is not.
func TestRetryAfterViolations(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	hc := rawClient(t)
	u := s.URL + "/api/v3/repos/" + small().Repos[0].FullName()
	s.Inject(FaultSecondary, 1)
	resp, _ := get(t, hc, u, tokenA)
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	get(t, hc, u, tokenB) // another token is not held back
	get(t, hc, u, tokenA)
	if st := s.Stats(); st.SentDuringRetryAfter != 1 {
		t.Errorf("SentDuringRetryAfter %d, want 1", st.SentDuringRetryAfter)
	}
	time.Sleep(1100 * time.Millisecond)
	get(t, hc, u, tokenA)
	if st := s.Stats(); st.SentDuringRetryAfter != 1 {
		t.Errorf("after the period: SentDuringRetryAfter %d, want 1", st.SentDuringRetryAfter)
	}
}

// TestFaultRateIsDeterministic: the same seed gives the same faults for
// the same sequence of requests; a rate of 0 gives none; FaultOn filters.
func TestFaultRateIsDeterministic(t *testing.T) {
	t.Parallel()
	u := "/api/v3/repos/" + small().Repos[0].FullName()
	run := func(seed uint64, rate float64) []int {
		s := start(t, Options{})
		s.SetFaultRate(seed, rate, Fault5xx, FaultSecondary, FaultSecondary429)
		hc := rawClient(t)
		var codes []int
		for i := 0; i < 40; i++ {
			resp, _ := get(t, hc, s.URL+u, tokenA)
			codes = append(codes, resp.StatusCode)
		}
		return codes
	}
	a, b := run(7, 0.3), run(7, 0.3)
	if diff := gocmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults:\n%s", diff)
	}
	faults := 0
	for _, c := range a {
		if c != http.StatusOK {
			faults++
		}
	}
	if faults < 4 || faults > 24 {
		t.Errorf("%d faults in 40 requests at rate 0.3: %v", faults, a)
	}
	if c := run(8, 0.3); gocmp.Equal(a, c) {
		t.Errorf("another seed gave the same faults: %v", c)
	}
	for _, c := range run(7, 0) {
		if c != http.StatusOK {
			t.Fatalf("rate 0 gave a fault: %d", c)
		}
	}

	t.Run("FaultOn filters REST and GraphQL", func(t *testing.T) {
		s := start(t, Options{})
		hc := rawClient(t)
		s.InjectOn(FaultOnGraphQL, Fault5xx, 1)
		if resp, _ := get(t, hc, s.URL+u, tokenA); resp.StatusCode != http.StatusOK {
			t.Errorf("REST got the GraphQL fault: %d", resp.StatusCode)
		}
		if resp, _ := post(t, hc, s.URL+"/api/graphql", tokenA, `{"query":"query { viewer { login } }"}`); resp.StatusCode != http.StatusBadGateway {
			t.Errorf("GraphQL: %d, want 502", resp.StatusCode)
		}
		s.InjectOn(FaultOnREST, FaultSecondary, 2)
		if resp, _ := post(t, hc, s.URL+"/graphql", tokenB, `{"query":"query {"}`); resp.StatusCode != http.StatusOK {
			t.Errorf("GraphQL got the REST fault: %d", resp.StatusCode)
		}
		for i := 0; i < 3; i++ {
			resp, _ := get(t, hc, s.URL+u, tokenB)
			if want := map[bool]int{true: http.StatusForbidden, false: http.StatusOK}[i < 2]; resp.StatusCode != want {
				t.Errorf("REST request %d: %d, want %d", i, resp.StatusCode, want)
			}
		}
		if st := s.Stats(); st.Faults[Fault5xx] != 1 || st.Faults[FaultSecondary] != 2 {
			t.Errorf("faults %v", st.Faults)
		}
	})
}

// TestFault5xxAlternates: Fault5xx answers 502 with GitHub's JSON, then
// 503 with the front end's HTML, both with the rate-limit headers.
func TestFault5xxAlternates(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	hc := rawClient(t)
	s.Inject(Fault5xx, 2)
	u := s.URL + "/api/v3/repos/" + small().Repos[0].FullName()
	for _, want := range []struct {
		code        int
		contentType string
	}{{http.StatusBadGateway, "application/json"}, {http.StatusServiceUnavailable, "text/html"}} {
		resp, body := get(t, hc, u, tokenA)
		if resp.StatusCode != want.code || !strings.HasPrefix(resp.Header.Get("Content-Type"), want.contentType) ||
			resp.Header.Get("X-RateLimit-Remaining") == "" || len(body) == 0 {
			t.Errorf("got %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	if st := s.Stats(); st.Faults[Fault5xx] != 2 || st.Points["core"] != 0 {
		t.Errorf("stats %+v", st)
	}
}
