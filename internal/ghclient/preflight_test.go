package ghclient_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shurcooL/githubv4"

	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

const (
	checkToken = "ghp_checkTestToken000000000000000000000"
	wrongToken = "ghp_wrongTokenNobodyIssued0000000000000"
)

// checkEnv is a client of url with tokens, recording its retries and
// requests.
type checkEnv struct {
	gh  *ghclient.Client
	obs *recordingObserver

	mu      sync.Mutex
	retries []ghclient.Retry
}

func newCheckEnv(t *testing.T, url string, tokens ...string) *checkEnv {
	t.Helper()
	e := &checkEnv{obs: &recordingObserver{}}
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	gh, err := ghclient.New(ghclient.Options{URL: url, Tokens: tokens, HTTP: hc, RetryBase: time.Millisecond, Observer: e.obs,
		OnRetry: func(r ghclient.Retry) {
			e.mu.Lock()
			e.retries = append(e.retries, r)
			e.mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.gh = gh
	return e
}

func (e *checkEnv) recordedRetries() []ghclient.Retry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ghclient.Retry(nil), e.retries...)
}

// requests counts the requests of api the observer was told about.
func (e *checkEnv) requests(api string) int {
	e.obs.mu.Lock()
	defer e.obs.mu.Unlock()
	n := 0
	for _, r := range e.obs.requests {
		if r.api == api {
			n++
		}
	}
	return n
}

// closedURL is the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// Issue 15, item 8: collect against a URL nothing answered retried for
// 86 s in silence. A refused connection fails the check at once, naming
// the URL and the cause, without a retry.
func TestCheckFailsAtOnceWhenTheConnectionIsRefused(t *testing.T) {
	t.Parallel()
	url := closedURL(t)
	e := newCheckEnv(t, url, checkToken)
	err := e.gh.Check(context.Background())
	if !errors.Is(err, ghclient.ErrUnreachable) {
		t.Fatalf("Check of a closed port: %v, want ErrUnreachable", err)
	}
	for _, want := range []string{url, "unreachable", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n, r := e.requests(ghclient.APIREST), e.recordedRetries(); n != 1 || len(r) != 0 {
		t.Errorf("%d attempts, %d retries reported; want 1 attempt and no retry loop", n, len(r))
	}
}

// A host that does not exist is unreachable too (.invalid never resolves).
func TestCheckFailsAtOnceWhenTheHostIsUnknown(t *testing.T) {
	t.Parallel()
	e := newCheckEnv(t, "http://no-such-host.invalid", checkToken)
	err := e.gh.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no-such-host.invalid") || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("Check of an unknown host: %v, want it named as unreachable", err)
	}
	if n := e.requests(ghclient.APIREST); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// A wrong token among good ones fails the check, named by its position,
// never by its text.
func TestCheckNamesTheRefusedToken(t *testing.T) {
	t.Parallel()
	srv := githubtest.NewServer(githubtest.Options{Dataset: ghdata.Generate(ghdata.SmallSpec(1)), Tokens: []string{checkToken}})
	t.Cleanup(srv.Close)
	e := newCheckEnv(t, srv.URL, checkToken, wrongToken)
	err := e.gh.Check(context.Background())
	if !errors.Is(err, ghclient.ErrUnauthorized) {
		t.Fatalf("Check with a wrong token: %v, want ErrUnauthorized", err)
	}
	if !strings.Contains(err.Error(), "token #2") || strings.Contains(err.Error(), wrongToken) || strings.Contains(err.Error(), checkToken) {
		t.Errorf("error %q: want token #2 named, and no token's text", err)
	}
	if r := e.recordedRetries(); len(r) != 0 {
		t.Errorf("a refused token was retried: %v", r)
	}
}

// Server errors are retried, each retry reported; the check then
// succeeds, and the first request needs no check of its own.
func TestCheckRetriesServerErrorsAndSaysSo(t *testing.T) {
	t.Parallel()
	ds := ghdata.Generate(ghdata.SmallSpec(1))
	srv := githubtest.NewServer(githubtest.Options{Dataset: ds, Tokens: []string{checkToken}})
	t.Cleanup(srv.Close)
	srv.InjectOn(githubtest.FaultOnRateLimit, githubtest.Fault5xx, 3)
	e := newCheckEnv(t, srv.URL, checkToken)
	if err := e.gh.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := e.recordedRetries()
	if len(r) != 3 {
		t.Fatalf("%d retries reported, want 3: %v", len(r), r)
	}
	for i, x := range r {
		if x.Attempt != i+2 || x.Of != 5 || x.URL != srv.URL || x.Token != 1 || !strings.HasPrefix(x.Cause, "HTTP 50") {
			t.Errorf("retry %d: %+v, want attempt %d of 5 at %s after HTTP 50x", i, x, i+2, srv.URL)
		}
	}
	if got, want := r[1].String(), "GitHub at "+srv.URL+" did not answer (HTTP 503); retrying in 2ms (attempt 3 of 5)"; got != want {
		t.Errorf("retry line %q, want %q", got, want)
	}
	repo := ds.Repos[0]
	var q struct {
		Repository struct{ DatabaseID int64 } `graphql:"repository(owner: $owner, name: $name)"`
	}
	if err := e.gh.Query(context.Background(), &q, map[string]any{"owner": githubv4.String(repo.Owner.Login), "name": githubv4.String(repo.Name)}, 1); err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); st.RateLimitChecks != 4 {
		t.Errorf("%d rate-limit checks, want 4 (the check's, none more before the first request)", st.RateLimitChecks)
	}
}

// A server that keeps failing is given up on after the check's attempts.
func TestCheckGivesUpOnAServerThatKeepsFailing(t *testing.T) {
	t.Parallel()
	srv := githubtest.NewServer(githubtest.Options{Dataset: ghdata.Generate(ghdata.SmallSpec(1)), Tokens: []string{checkToken}})
	t.Cleanup(srv.Close)
	srv.InjectOn(githubtest.FaultOnRateLimit, githubtest.Fault5xx, 100)
	e := newCheckEnv(t, srv.URL, checkToken)
	err := e.gh.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "did not answer after 5 attempts") || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("Check against a failing server: %v", err)
	}
	if r := e.recordedRetries(); len(r) != 4 {
		t.Errorf("%d retries reported, want 4", len(r))
	}
}

// Mid-run, every retry after a failure is reported, as rate-limit waits
// are.
func TestRetriesMidRunAreReported(t *testing.T) {
	t.Parallel()
	e := newLimitEnv(t, nil)
	var mu sync.Mutex
	var got []ghclient.Retry
	gh, err := ghclient.New(ghclient.Options{URL: e.srv.URL, Tokens: []string{limitToken}, RetryBase: time.Millisecond,
		OnRetry: func(r ghclient.Retry) { mu.Lock(); got = append(got, r); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	e.gh = gh
	e.srv.InjectOn(githubtest.FaultOnGraphQL, githubtest.Fault5xx, 2)
	if err := e.query(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Attempt != 2 || got[1].Attempt != 3 || got[0].Of != 9 {
		t.Errorf("retries reported: %+v, want attempts 2 and 3 of 9", got)
	}
}

// Mid-run, a refused connection is given up on after a couple of retries,
// not the eight a server error gets.
func TestRefusedConnectionMidRunGivesUpSoon(t *testing.T) {
	t.Parallel()
	url := closedURL(t)
	e := newCheckEnv(t, url, checkToken)
	var q struct {
		Viewer struct{ Login string }
	}
	err := e.gh.Query(context.Background(), &q, nil, 1)
	if !errors.Is(err, ghclient.ErrUnreachable) || !strings.Contains(err.Error(), url) {
		t.Errorf("query of a closed port: %v, want it named as unreachable", err)
	}
	if n, r := e.requests(ghclient.APIGraphQL), e.recordedRetries(); n != 3 || len(r) != 2 || r[1].Of != 3 {
		t.Errorf("%d attempts, retries %+v; want 3 attempts, 2 retries reported (of 3)", n, r)
	}
}
