// Package ghclient is contribtrack's connection to the GitHub API: REST
// through go-github and GraphQL through githubv4, with one or several
// tokens or a GitHub App installation, a budget per token that is never
// overspent, retries with back-off on errors and secondary limits, and a
// bound on the requests in flight.
//
// It knows nothing about contributions: the collector uses it.
package ghclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"
)

// DefaultURL is github.com's API.
const DefaultURL = "https://api.github.com"

// Options configures a Client.
type Options struct {
	// URL is the API to talk to: "" or https://api.github.com for
	// github.com, otherwise a GitHub Enterprise Server (or test server) base
	// URL, whose REST API is URL/api/v3/ and GraphQL API URL/api/graphql.
	URL string
	// Tokens are personal access tokens; requests are spread across them.
	Tokens []string
	// App, when set, authenticates as a GitHub App installation instead.
	App *App
	// HTTP is the underlying client (its Transport is reused); default
	// http.DefaultTransport with a 60 s timeout.
	HTTP *http.Client
	// MaxInFlight bounds the requests in flight per token; default 1, as
	// GitHub asks (one user's requests serially).
	MaxInFlight int
	// MaxRetries bounds retries of one request on errors that may pass;
	// default 8. Waits for a rate-limit reset do not count.
	MaxRetries int
	// RetryBase is the first back-off after a server or network error
	// (doubling, capped at 30 s); default 1 s.
	RetryBase time.Duration
	// SecondaryWait is how long to wait after a secondary rate limit that
	// came without Retry-After (doubling); default 60 s, as GitHub asks.
	SecondaryWait time.Duration
	// OnWait is told about every wait for a rate limit (for progress
	// output), from one goroutine at a time.
	OnWait func(Wait)
	// OnRetry is told about every request sent again after a failure that
	// may pass (a server error, a timeout, a failed connection), for
	// progress output, from one goroutine at a time. Rate-limit waits go
	// to OnWait instead.
	OnRetry func(Retry)
	// Observer, when set, is told about requests, rate-limit headers and
	// waits (for metrics).
	Observer Observer
	Logger   *slog.Logger
}

// Wait describes a pause for a rate limit.
type Wait struct {
	Token    int // index of the token (never the token itself)
	Resource string
	Until    time.Time
	Reason   string // "primary limit", "secondary limit"
}

// Client sends REST and GraphQL requests within the tokens' budgets.
type Client struct {
	opts    Options
	restURL string
	gqlURL  string
	baseURL string // the API as configured, for messages
	budget  *budget
	tokens  []*token
	log     *slog.Logger

	mu         sync.Mutex
	stats      Stats
	failStreak int  // failures in a row, for back-off
	lastWait   Wait // the last wait reported
	waitMu     sync.Mutex
}

// Stats counts what the client did.
type Stats struct {
	RESTRequests    int
	GraphQLRequests int
	NotModified     int // REST 304 answers (free)
	RESTPoints      int // REST requests that cost a point (all but 304s and /rate_limit)
	GraphQLPoints   int // GraphQL points, as GitHub reported them (rateLimit.cost)
	RateLimitChecks int // GET /rate_limit requests (free; also counted in RESTRequests)
	Retries         int // requests sent again after an error
	Waits           int // pauses for a rate limit
	// Waited is the time during which requests were actually held back by
	// a rate limit (however many at once), not the time the pauses were
	// expected to last.
	Waited time.Duration
}

// Points is the total rate-limit points spent.
func (s Stats) Points() int { return s.RESTPoints + s.GraphQLPoints }

// ErrNotFound is returned for a repository or organisation that does not
// exist (or that the token cannot see).
var ErrNotFound = errors.New("not found on GitHub")

// ErrNoCredentials is returned by New when it is given no token and no
// app.
var ErrNoCredentials = errors.New("github: no credentials: set GITHUB_TOKEN (or GITHUB_TOKENS, comma-separated) or configure a GitHub App")

// ErrUnauthorized is returned when GitHub refuses a token.
var ErrUnauthorized = errors.New("GitHub refused the credentials")

// ErrUnreachable is returned (wrapped, with the URL and the cause) when
// the API's host cannot be reached at all: the connection was refused,
// the host is unknown, no route leads to it.
var ErrUnreachable = errors.New("unreachable")

// APIURLs returns the REST base URL (with a trailing slash) and the GraphQL
// endpoint for a configured URL.
func APIURLs(raw string) (rest, graphql string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = DefaultURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("github url %q: want http(s)://host[/path]", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("github url %q: no credentials, query or fragment allowed", u.Redacted())
	}
	host := strings.ToLower(u.Host)
	if host == "github.com" || host == "api.github.com" {
		return "https://api.github.com/", "https://api.github.com/graphql", nil
	}
	base := strings.TrimSuffix(strings.TrimSuffix(u.String(), "/"), "/api/v3")
	return base + "/api/v3/", base + "/api/graphql", nil
}

func apiHost(rest string) string {
	u, _ := url.Parse(rest) // checked by APIURLs
	return u.Host
}

// New returns a client. It checks the options but sends nothing.
func New(opts Options) (*Client, error) {
	rest, gql, err := APIURLs(opts.URL)
	if err != nil {
		return nil, err
	}
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 1
	}
	if opts.MaxRetries <= 0 {
		opts.MaxRetries = 8
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = time.Second
	}
	if opts.SecondaryWait <= 0 {
		opts.SecondaryWait = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{opts: opts, restURL: rest, gqlURL: gql, log: opts.Logger,
		baseURL: strings.TrimSuffix(strings.TrimSuffix(rest, "/"), "/api/v3")}
	var sources []tokenSource
	switch {
	case opts.App != nil && len(opts.Tokens) > 0:
		return nil, errors.New("github: give either tokens or a GitHub App, not both")
	case opts.App != nil:
		src, err := newAppSource(*opts.App, rest, opts.HTTP)
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
	default:
		for i, t := range opts.Tokens {
			t = strings.TrimSpace(t)
			if t == "" {
				return nil, fmt.Errorf("github: token #%d is empty", i+1)
			}
			sources = append(sources, staticToken(t))
		}
	}
	if len(sources) == 0 {
		return nil, ErrNoCredentials
	}
	for i, src := range sources {
		t := &token{index: i + 1, src: src}
		base := opts.HTTP.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		hc := &http.Client{Timeout: opts.HTTP.Timeout, Transport: &transport{base: base, tok: t, client: c, host: apiHost(rest)}}
		gh, err := github.NewClient(hc).WithEnterpriseURLs(rest, rest)
		if err != nil {
			return nil, err
		}
		t.rest = gh
		t.gql = githubv4.NewEnterpriseClient(gql, hc)
		c.tokens = append(c.tokens, t)
	}
	c.budget = newBudget(c.tokens, opts.MaxInFlight)
	c.budget.check = c.checkBudget
	return c, nil
}

// Now is GitHub's time as far as its answers tell (our clock corrected by
// their Date headers); the time before the first answer.
func (c *Client) Now() time.Time { return c.budget.now() }

// Tokens is how many tokens the client spreads requests across.
func (c *Client) Tokens() int { return len(c.tokens) }

// Stats returns a copy of the counters.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	s := c.stats
	c.mu.Unlock()
	s.Waited = c.budget.waitedSoFar()
	return s
}

func (c *Client) count(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
}

// REST runs one go-github call within the budget, retrying it when GitHub
// throttles or fails in a way that may pass. The call gets a client bound
// to the token chosen for it. A 304 answer is returned as success with
// resp.StatusCode 304 (go-github reports it as an error).
func (c *Client) REST(ctx context.Context, call func(ctx context.Context, gh *github.Client) (*github.Response, error)) (*github.Response, error) {
	var resp *github.Response
	err := c.do(ctx, resourceCore, 1, func(t *token) error {
		var err error
		resp, err = call(ctx, t.rest)
		if err != nil && resp != nil && resp.StatusCode == http.StatusNotModified {
			return nil
		}
		return err
	})
	return resp, err
}

// Query runs one githubv4 query within the budget, with the same retries.
// estimate is the query's expected cost in points (at least 1).
func (c *Client) Query(ctx context.Context, q any, vars map[string]any, estimate int) error {
	return c.do(ctx, resourceGraphQL, max(estimate, 1), func(t *token) error {
		rep := &gqlReport{}
		err := t.gql.Query(withReport(ctx, rep), q, vars)
		if err == nil {
			return nil
		}
		if rep.notFound {
			return fmt.Errorf("%w (%s)", ErrNotFound, rep.message)
		}
		return err
	})
}
