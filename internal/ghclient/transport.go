package ghclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// transport authenticates requests with one token, learns the token's
// budget from every answer, and turns GraphQL throttling and server errors
// (which githubv4 reports only as text) into typed errors.
type transport struct {
	base   http.RoundTripper
	tok    *token
	client *Client
	host   string // the API's host: credentials go nowhere else
}

// throttled is a rate-limit answer: primary (budget spent until Reset) or
// secondary (wait RetryAfter).
type throttled struct {
	Primary    bool
	Reset      time.Time
	RetryAfter time.Duration
	Status     int
}

func (e *throttled) Error() string {
	if e.Primary {
		return fmt.Sprintf("GitHub rate limit exhausted until %s (HTTP %d)", e.Reset.UTC().Format(time.RFC3339), e.Status)
	}
	return fmt.Sprintf("GitHub secondary rate limit, retry after %s (HTTP %d)", e.RetryAfter, e.Status)
}

// refused is GitHub refusing a token (HTTP 401).
type refused struct{ token int }

func (e *refused) Error() string {
	return fmt.Sprintf("token #%d: %v (HTTP 401)", e.token, ErrUnauthorized)
}
func (e *refused) Unwrap() error { return ErrUnauthorized }

// oneLine keeps GitHub's message short and on one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// transient is a failure that may pass: a server error, a reset
// connection, a truncated answer.
type transient struct {
	Status int // 0 for network failures
	Err    error
}

func (e *transient) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("GitHub answered HTTP %d", e.Status)
	}
	return "GitHub connection failed: " + e.Err.Error()
}

func (e *transient) Unwrap() error { return e.Err }

// credentialError is a failure to get a token to send (a GitHub App's
// installation token): final, and reported as it is.
type credentialError struct{ err error }

func (e *credentialError) Error() string { return e.err.Error() }
func (e *credentialError) Unwrap() error { return e.err }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	text, err := t.tok.src.Token(ctx)
	if err != nil {
		return nil, &credentialError{err}
	}
	r := req.Clone(ctx)
	if r.URL.Host == t.host { // never to another host a redirect leads to
		r.Header.Set("Authorization", "Bearer "+text)
	}
	r.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	graphql := r.Method == http.MethodPost && (r.URL.Path == "/graphql" || r.URL.Path == "/api/graphql")
	if !graphql && r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", "contribtrack")
	}
	check := !graphql && r.Method == http.MethodGet && isRateLimitPath(r.URL.Path)
	resp, err := t.base.RoundTrip(r)
	c := t.client
	c.count(func(s *Stats) {
		switch {
		case graphql:
			s.GraphQLRequests++
		case check:
			s.RESTRequests++
			s.RateLimitChecks++
		default:
			s.RESTRequests++
		}
	})
	c.observeRequest(graphql, check, resp, err)
	if err != nil {
		return nil, &transient{Err: err}
	}
	// A 401 carries the unauthenticated budget, not the token's.
	if resp.StatusCode != http.StatusUnauthorized {
		rh, ok := c.budget.observe(t.tok, resp.Header)
		switch {
		case ok && c.opts.Observer != nil:
			c.opts.Observer.RateLimit(t.tok.index, rh.resource, rh.remaining, rh.reset)
		case !ok && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests):
			// Throttled, or refused, without a word on the budget.
			c.budget.doubt(t.tok)
		}
	}
	c.budget.observeDate(resp.Header)
	if !graphql {
		c.count(func(s *Stats) {
			switch {
			case resp.StatusCode == http.StatusNotModified:
				s.NotModified++
			case !check:
				s.RESTPoints++
			}
		})
		if resp.StatusCode == http.StatusUnauthorized {
			t.tok.src.Invalidate()
		}
		return resp, nil
	}
	return t.graphqlAnswer(ctx, resp)
}

// graphqlAnswer reads a GraphQL answer whole (a truncated body is a
// transient error), classifies throttling and server errors, and records
// the cost and any NOT_FOUND error for Client.Query.
func (t *transport) graphqlAnswer(ctx context.Context, resp *http.Response) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, &transient{Status: 0, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	if e := throttledFrom(resp); e != nil {
		return nil, e
	}
	switch {
	case resp.StatusCode >= 500:
		return nil, &transient{Status: resp.StatusCode}
	case resp.StatusCode == http.StatusUnauthorized:
		t.tok.src.Invalidate()
		return nil, &refused{token: t.tok.index}
	case resp.StatusCode != http.StatusOK:
		var e struct {
			Message          string `json:"message"`
			DocumentationURL string `json:"documentation_url"`
		}
		_ = json.Unmarshal(body, &e)
		// A secondary limit without Retry-After: GitHub asks for a wait of
		// a minute or more (recognised by its documentation link, as
		// go-github does for REST).
		if resp.StatusCode == http.StatusForbidden && (strings.HasSuffix(e.DocumentationURL, "secondary-rate-limits") ||
			strings.HasSuffix(e.DocumentationURL, "#abuse-rate-limits")) {
			return nil, &throttled{Status: resp.StatusCode}
		}
		return nil, fmt.Errorf("GitHub GraphQL answered HTTP %d: %s", resp.StatusCode, oneLine(e.Message))
	}
	var out struct {
		Data struct {
			RateLimit *struct {
				Cost int `json:"cost"`
			} `json:"rateLimit"`
		} `json:"data"`
		Errors []struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, &transient{Err: fmt.Errorf("decoding the answer: %w", err)}
	}
	if out.Data.RateLimit != nil {
		t.client.count(func(s *Stats) { s.GraphQLPoints += out.Data.RateLimit.Cost })
	}
	for _, e := range out.Errors {
		switch e.Type {
		case "RATE_LIMITED":
			return nil, &throttled{Primary: true, Reset: resetFrom(resp.Header), Status: resp.StatusCode}
		case "NOT_FOUND":
			if rep := reportFrom(ctx); rep != nil {
				rep.notFound, rep.message = true, e.Message
			}
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// throttledFrom recognises GitHub's rate-limit answers by status and
// headers: 403/429 with X-RateLimit-Remaining 0 (primary) or Retry-After
// (secondary).
func throttledFrom(resp *http.Response) *throttled {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return nil
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		return &throttled{Primary: true, Reset: resetFrom(resp.Header), Status: resp.StatusCode}
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" || resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(ra)
		return &throttled{RetryAfter: time.Duration(secs) * time.Second, Status: resp.StatusCode}
	}
	return nil
}

// isRateLimitPath reports whether a REST path is GET /rate_limit, under
// the API's base path (/rate_limit on api.github.com, /api/v3/rate_limit on
// GitHub Enterprise Server).
func isRateLimitPath(p string) bool {
	return p == "/rate_limit" || strings.HasSuffix(p, "/api/v3/rate_limit")
}

func resetFrom(h http.Header) time.Time {
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		return time.Unix(s, 0)
	}
	return time.Time{}
}

// gqlReport carries what the transport saw in a GraphQL answer back to
// Client.Query (githubv4 returns errors as text only).
type gqlReport struct {
	notFound bool
	message  string
}

type reportKey struct{}

func withReport(ctx context.Context, r *gqlReport) context.Context {
	return context.WithValue(ctx, reportKey{}, r)
}

func reportFrom(ctx context.Context) *gqlReport {
	r, _ := ctx.Value(reportKey{}).(*gqlReport)
	return r
}
