package githubtest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"contribtrack/internal/githubtest/ghdata"
)

const (
	tokenA = "ghp_testTokenAlpha000000000000000000000"
	tokenB = "ghp_testTokenBravo000000000000000000000"
)

// small is the dataset the read-only tests share (never modified).
var small = sync.OnceValue(func() *ghdata.Dataset { return ghdata.Generate(ghdata.SmallSpec(1)) })

// start runs a server for the test over the shared dataset unless opts
// names another, accepting tokenA and tokenB unless opts lists tokens.
func start(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Dataset == nil {
		opts.Dataset = small()
	}
	if opts.Tokens == nil {
		opts.Tokens = []string{tokenA, tokenB}
	}
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// client is a go-github client for s with its own connection pool, so
// tests do not share keep-alive connections.
func client(t *testing.T, s *Server, token string) *github.Client {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	c, err := github.NewClient(hc).WithAuthToken(token).WithEnterpriseURLs(s.URL, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// collect pages through a list call following resp.NextPage and returns
// every item and the number of pages.
func collect[T any](t *testing.T, fetch func(ctx context.Context, page int) ([]T, *github.Response, error)) ([]T, int) {
	t.Helper()
	var out []T
	pages := 0
	for page := 1; ; {
		items, resp, err := fetch(context.Background(), page)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		pages++
		out = append(out, items...)
		if resp.NextPage == 0 {
			break
		}
		if resp.NextPage != page+1 {
			t.Fatalf("page %d: next page %d", page, resp.NextPage)
		}
		page = resp.NextPage
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
	}
	return out, pages
}

// get sends a raw GET with tok (none when empty) and returns the response
// with its body read.
func get(t *testing.T, hc *http.Client, url, tok string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp, body
}

// post sends a raw POST of a JSON body.
func post(t *testing.T, hc *http.Client, url, tok, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "bearer "+tok)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: reading body: %v", url, err)
	}
	return resp, b
}

func rawClient(t *testing.T) *http.Client {
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	return hc
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
