package githubtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

// TestETagAndNotModified: every successful GET has a strong quoted ETag
// and a conditional request that matches is answered 304, with the
// rate-limit headers and no body, for free.
func TestETagAndNotModified(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	hc := rawClient(t)
	r := small().Repos[1]
	for _, tc := range []struct{ name, path string }{
		{"repository", "/api/v3/repos/" + r.FullName()},
		{"a list page", "/api/v3/repos/" + r.FullName() + "/issues?state=all&per_page=5&page=2"},
		{"api.github.com layout", "/repos/" + r.FullName() + "/commits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, hc, s.URL+tc.path, tokenA)
			etag := resp.Header.Get("ETag")
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
				t.Fatalf("status %d, ETag %q", resp.StatusCode, etag)
			}
			resp2, body2 := get(t, hc, s.URL+tc.path, tokenA)
			if resp2.Header.Get("ETag") != etag || string(body2) != string(body) {
				t.Fatalf("the same request gave another ETag or body")
			}
			before := s.Stats()
			resp3, body3 := get(t, hc, s.URL+tc.path, tokenA, "If-None-Match", etag)
			after := s.Stats()
			if resp3.StatusCode != http.StatusNotModified || len(body3) != 0 {
				t.Fatalf("conditional request: status %d, %d bytes", resp3.StatusCode, len(body3))
			}
			if resp3.Header.Get("X-RateLimit-Remaining") != resp2.Header.Get("X-RateLimit-Remaining") {
				t.Errorf("304 remaining %q, before %q: a 304 must be free", resp3.Header.Get("X-RateLimit-Remaining"), resp2.Header.Get("X-RateLimit-Remaining"))
			}
			if after.Points["core"] != before.Points["core"] || after.NotModified != before.NotModified+1 {
				t.Errorf("points %d → %d, 304s %d → %d", before.Points["core"], after.Points["core"], before.NotModified, after.NotModified)
			}
			resp4, _ := get(t, hc, s.URL+tc.path, tokenA, "If-None-Match", `"something-else"`)
			if resp4.StatusCode != http.StatusOK {
				t.Errorf("a stale ETag got %d", resp4.StatusCode)
			}
		})
	}
	t.Run("through go-github", func(t *testing.T) {
		c := client(t, s, tokenB)
		_, resp, err := c.Repositories.Get(context.Background(), r.Owner.Login, r.Name)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := c.NewRequest(http.MethodGet, "repos/"+r.FullName(), nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		resp2, err := c.Do(context.Background(), req, nil)
		if resp2 == nil || resp2.StatusCode != http.StatusNotModified || resp2.Rate.Remaining != resp.Rate.Remaining {
			t.Fatalf("got %v (err %v), want 304 with remaining %d", resp2, err, resp.Rate.Remaining)
		}
	})
}

// TestPrimaryRateLimit exhausts a token's core budget: go-github gets
// *github.RateLimitError with the window's reset, the server counts the
// request sent after exhaustion, /rate_limit stays free and the window
// resets.
func TestPrimaryRateLimit(t *testing.T) {
	t.Parallel()
	s := start(t, Options{CoreLimit: 3, Window: 2 * time.Second})
	ctx := context.Background()
	r := small().Repos[0]
	a := client(t, s, tokenA)
	var last *github.Response
	for i := 0; i < 3; i++ {
		_, resp, err := a.Repositories.Get(ctx, r.Owner.Login, r.Name)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		if resp.Rate.Limit != 3 || resp.Rate.Remaining != 2-i || resp.Header.Get("X-RateLimit-Used") != strconv.Itoa(i+1) ||
			resp.Header.Get("X-RateLimit-Resource") != "core" {
			t.Fatalf("request %d: rate %+v, used %s", i+1, resp.Rate, resp.Header.Get("X-RateLimit-Used"))
		}
		if last != nil && !resp.Rate.Reset.Equal(last.Rate.Reset) {
			t.Fatalf("the reset moved within a window: %v then %v", last.Rate.Reset, resp.Rate.Reset)
		}
		last = resp
	}
	if st := s.Stats(); st.SentWhileExhausted != 0 || st.Points["core"] != 3 {
		t.Fatalf("before exhaustion: %+v", st)
	}

	// A client that does not know the budget is spent gets GitHub's answer.
	b := client(t, s, tokenA)
	_, _, err := b.Repositories.Get(ctx, r.Owner.Login, r.Name)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("got %T %v, want *github.RateLimitError", err, err)
	}
	if !rle.Rate.Reset.Equal(last.Rate.Reset) || rle.Rate.Remaining != 0 || rle.Response.StatusCode != http.StatusForbidden ||
		!strings.HasPrefix(rle.Message, "API rate limit exceeded for user ID ") {
		t.Errorf("rate limit error: reset %v (want %v), %+v, %q", rle.Rate.Reset, last.Rate.Reset, rle.Rate, rle.Message)
	}
	if st := s.Stats(); st.SentWhileExhausted != 1 || st.RateLimited != 1 || st.Points["core"] != 3 {
		t.Errorf("after exhaustion: SentWhileExhausted %d, RateLimited %d, points %d", st.SentWhileExhausted, st.RateLimited, st.Points["core"])
	}
	// go-github itself refuses to send until the reset: nothing reaches the server.
	n := s.Stats().Requests
	if _, _, err := a.Repositories.Get(ctx, r.Owner.Login, r.Name); !errors.As(err, &rle) {
		t.Errorf("go-github sent a request it knew would fail: %v", err)
	}
	if s.Stats().Requests != n {
		t.Errorf("the exhausted client's request reached the server")
	}
	// /rate_limit is free and shows the exhausted budget.
	rl, _, err := b.RateLimit.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Core.Remaining != 0 || rl.Core.Limit != 3 || !rl.Core.Reset.Equal(last.Rate.Reset) || rl.GraphQL.Remaining != 5000 {
		t.Errorf("rate_limit: core %+v graphql %+v", rl.Core, rl.GraphQL)
	}
	if st := s.Stats(); st.SentWhileExhausted != 1 {
		t.Errorf("GET /rate_limit counted as a violation")
	}

	time.Sleep(time.Until(last.Rate.Reset.Time) + 50*time.Millisecond)
	_, resp, err := a.Repositories.Get(ctx, r.Owner.Login, r.Name)
	if err != nil {
		t.Fatalf("after the reset: %v", err)
	}
	if resp.Rate.Remaining != 2 || !resp.Rate.Reset.After(last.Rate.Reset.Time) {
		t.Errorf("after the reset: %+v", resp.Rate)
	}
	if st := s.Stats(); st.SentWhileExhausted != 1 || st.Points["core"] != 4 {
		t.Errorf("after the reset: %+v", st)
	}
}

// TestAuthAndPerTokenBudgets: each token has its own budget, stats name
// tokens by index only, and bad credentials get GitHub's 401.
func TestAuthAndPerTokenBudgets(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	hc := rawClient(t)
	u := s.URL + "/api/v3/repos/" + small().Repos[0].FullName()
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"unknown token", "token ghp_nope", http.StatusUnauthorized},
		{"basic scheme", "Basic " + tokenA, http.StatusUnauthorized},
		{"token scheme", "token " + tokenA, http.StatusOK},
		{"bearer scheme", "Bearer " + tokenB, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
			for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset"} {
				if _, err := strconv.ParseInt(resp.Header.Get(h), 10, 64); err != nil {
					t.Errorf("%s: %q is not an integer", h, resp.Header.Get(h))
				}
			}
		})
	}
	_, _, err := client(t, s, "ghp_unknown").Repositories.Get(context.Background(), "aws-samples", "x")
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != http.StatusUnauthorized || er.Message != "Bad credentials" {
		t.Errorf("go-github with a bad token: %v", err)
	}
	get(t, hc, u, tokenA)
	st := s.Stats()
	if diff := gocmp.Diff(map[int]map[string]int{0: {"core": 2}, 1: {"core": 1}}, st.TokenPoints); diff != "" {
		t.Errorf("points by token (-want +got):\n%s", diff)
	}
	if st.ByStatus[http.StatusUnauthorized] != 4 || st.ByStatus[http.StatusOK] != 3 {
		t.Errorf("by status: %v", st.ByStatus)
	}
	if text := fmt.Sprintf("%+v", st); strings.Contains(text, tokenA) || strings.Contains(text, tokenB) {
		t.Errorf("stats show a token: %s", text)
	}
}
