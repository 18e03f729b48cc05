package ghclient_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

const limitToken = "ghp_rateLimitTestToken00000000000000000"

// limitEnv is a test server with one token and a client of it.
type limitEnv struct {
	srv  *githubtest.Server
	repo *ghdata.Repo
	gh   *ghclient.Client
	obs  *recordingObserver
	logs *syncBuffer

	mu    sync.Mutex
	waits []ghclient.Wait
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLimitEnv starts a server and a client; onWait, when set, is told
// about each wait after it is recorded.
func newLimitEnv(t *testing.T, onWait func(ghclient.Wait)) *limitEnv {
	return newLimitEnvVia(t, &http.Transport{}, onWait)
}

func newLimitEnvVia(t *testing.T, rt http.RoundTripper, onWait func(ghclient.Wait)) *limitEnv {
	t.Helper()
	ds := ghdata.Generate(ghdata.SmallSpec(1))
	e := &limitEnv{srv: githubtest.NewServer(githubtest.Options{Dataset: ds, Tokens: []string{limitToken}}),
		repo: ds.Repos[0], obs: &recordingObserver{}, logs: &syncBuffer{}}
	t.Cleanup(e.srv.Close)
	hc := &http.Client{Transport: rt, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	gh, err := ghclient.New(ghclient.Options{URL: e.srv.URL, Tokens: []string{limitToken}, HTTP: hc,
		RetryBase: time.Millisecond, SecondaryWait: 100 * time.Millisecond, Observer: e.obs,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OnWait: func(w ghclient.Wait) {
			e.mu.Lock()
			e.waits = append(e.waits, w)
			e.mu.Unlock()
			if onWait != nil {
				onWait(w)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.gh = gh
	t.Cleanup(func() {
		if strings.Contains(e.logs.String(), limitToken) {
			t.Errorf("the logs show the token")
		}
	})
	return e
}

func (e *limitEnv) rest(ctx context.Context) error {
	_, err := e.gh.REST(ctx, func(ctx context.Context, c *github.Client) (*github.Response, error) {
		_, resp, err := c.Repositories.Get(ctx, e.repo.Owner.Login, e.repo.Name)
		return resp, err
	})
	return err
}

func (e *limitEnv) query(ctx context.Context) error {
	var q struct {
		Repository struct{ DatabaseID int64 } `graphql:"repository(owner: $owner, name: $name)"`
	}
	return e.gh.Query(ctx, &q, map[string]any{"owner": githubv4.String(e.repo.Owner.Login), "name": githubv4.String(e.repo.Name)}, 1)
}

func (e *limitEnv) recordedWaits() []ghclient.Wait {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ghclient.Wait(nil), e.waits...)
}

// cancelOnWait returns a context cancelled as soon as a wait for resource
// is reported, and the function to hand newLimitEnv.
func cancelOnWait(resource string) (context.Context, func(ghclient.Wait)) {
	ctx, cancel := context.WithCancel(context.Background())
	return ctx, func(w ghclient.Wait) {
		if w.Resource == resource {
			cancel()
		}
	}
}

// Issue 16: GitHub refused a request mid-run with X-RateLimit-Reset 15 s
// away, and the client waited for the hour an earlier answer had
// announced. The wait must end at the reset GitHub sent last.
func TestSpentBudgetWaitsForTheResetGitHubSentLast(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var e *limitEnv
	e = newLimitEnv(t, func(w ghclient.Wait) {
		if time.Until(w.Until) > 10*time.Minute {
			cancel() // the bug: do not wait for it
		}
	})
	if err := e.rest(ctx); err != nil { // the window of an hour starts
		t.Fatal(err)
	}
	e.srv.Exhaust(0, githubtest.ResourceCore, 2*time.Second)
	if err := e.rest(ctx); err != nil {
		t.Fatalf("after the budget was spent elsewhere: %v; waits %+v", err, e.recordedWaits())
	}
	// The reset the refusal announced.
	var announced time.Time
	e.obs.mu.Lock()
	for _, rl := range e.obs.rateLimits {
		if rl.resource == "core" && rl.remaining == 0 {
			announced = rl.reset
		}
	}
	e.obs.mu.Unlock()
	if announced.IsZero() {
		t.Fatal("no answer said the core budget was spent")
	}
	waits := e.recordedWaits()
	if len(waits) == 0 {
		t.Fatal("no wait reported for the spent budget")
	}
	for _, w := range waits {
		if w.Resource != "core" || w.Reason != "primary limit" || w.Until.After(announced.Add(2*time.Second)) {
			t.Errorf("wait %+v; want the core primary limit until GitHub's reset %v (and its margin)", w, announced)
		}
	}
	if st := e.srv.Stats(); st.SentWhileExhausted != 1 {
		t.Errorf("%d requests sent against the spent budget, want 1 (the one nothing could foretell)", st.SentWhileExhausted)
	}
}

// The summary's waited time is the time requests were held back, not the
// length the waits announced: a wait for an hour cut short by a
// cancellation counts as the moment it lasted (issue 16: "5 waits
// (4h59m59s)").
func TestWaitedIsTheTimeActuallyWaited(t *testing.T) {
	ctx, onWait := cancelOnWait("core")
	e := newLimitEnv(t, onWait)
	e.srv.Exhaust(0, githubtest.ResourceCore, time.Hour)
	start := time.Now()
	err := e.rest(ctx)
	elapsed := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the wait cancelled", err)
	}
	st := e.gh.Stats()
	if st.Waits != 1 {
		t.Fatalf("%d waits, want 1", st.Waits)
	}
	if st.Waited <= 0 || st.Waited > elapsed {
		t.Errorf("waited %v within a call that lasted %v; want the time the wait actually lasted", st.Waited, elapsed)
	}
	e.obs.mu.Lock()
	defer e.obs.mu.Unlock()
	if len(e.obs.waits) != 1 {
		t.Errorf("observer told of %d waits, want 1", len(e.obs.waits))
	}
}

// Issue 16: a token whose GraphQL budget was spent before the run got one
// query sent against it. Its budgets are asked for first (GET /rate_limit,
// free), so nothing is sent until the reset.
func TestTokenSpentBeforeTheRunIsCheckedFirst(t *testing.T) {
	t.Parallel()
	e := newLimitEnv(t, nil)
	e.srv.Exhaust(0, githubtest.ResourceGraphQL, time.Second)
	if err := e.query(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := e.srv.Stats()
	if st.SentWhileExhausted != 0 || st.RateLimited != 0 {
		t.Errorf("%d requests sent against the spent budget (%d refused), want 0", st.SentWhileExhausted, st.RateLimited)
	}
	if st.RateLimitChecks == 0 {
		t.Errorf("the token's budgets were never asked for")
	}
	if waits := e.recordedWaits(); len(waits) != 1 || waits[0].Resource != "graphql" || waits[0].Token != 1 {
		t.Errorf("waits %+v, want one for token #1's graphql budget", waits)
	}
	cs := e.gh.Stats()
	if cs.RateLimitChecks != st.RateLimitChecks || cs.RESTPoints != st.Points["core"] {
		t.Errorf("client counted %d checks and %d REST points; server %d checks and %d points",
			cs.RateLimitChecks, cs.RESTPoints, st.RateLimitChecks, st.Points["core"])
	}
}

// Issue 16: when both budgets were spent elsewhere mid-run, a REST request
// and then a GraphQL one were refused. The first refusal makes the
// token's budgets doubtful; they are asked for before the next request,
// and the GraphQL budget is waited for without sending anything.
func TestUnannouncedExhaustIsCheckedBeforeTheNextRequest(t *testing.T) {
	t.Parallel()
	ctx, onWait := cancelOnWait("graphql")
	e := newLimitEnv(t, onWait)
	bg := context.Background()
	if err := e.rest(bg); err != nil {
		t.Fatal(err)
	}
	if err := e.query(bg); err != nil {
		t.Fatal(err)
	}
	e.srv.Exhaust(0, githubtest.ResourceCore, time.Second)
	e.srv.Exhaust(0, githubtest.ResourceGraphQL, time.Hour)
	if err := e.rest(bg); err != nil {
		t.Fatal(err)
	}
	if err := e.query(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("query: %v, want a wait for the graphql budget (cancelled)", err)
	}
	if st := e.srv.Stats(); st.SentWhileExhausted != 1 {
		t.Errorf("%d requests sent against a spent budget, want 1 (the REST request nothing could foretell)", st.SentWhileExhausted)
	}
}

// A secondary limit makes the budget doubtful too: it is asked for once
// the Retry-After has passed, before the next request.
func TestSecondaryLimitIsFollowedByACheck(t *testing.T) {
	t.Parallel()
	ctx, onWait := cancelOnWait("graphql")
	e := newLimitEnv(t, onWait)
	bg := context.Background()
	if err := e.rest(bg); err != nil {
		t.Fatal(err)
	}
	if err := e.query(bg); err != nil {
		t.Fatal(err)
	}
	e.srv.InjectOn(githubtest.FaultOnREST, githubtest.FaultSecondary, 1)
	e.srv.Exhaust(0, githubtest.ResourceGraphQL, time.Hour)
	if err := e.rest(bg); err != nil {
		t.Fatal(err)
	}
	if err := e.query(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("query: %v, want a wait for the graphql budget (cancelled)", err)
	}
	st := e.srv.Stats()
	if st.SentWhileExhausted != 0 || st.SentDuringRetryAfter != 0 {
		t.Errorf("%d requests sent against a spent budget, %d during Retry-After; want 0", st.SentWhileExhausted, st.SentDuringRetryAfter)
	}
}

// bareForbidden answers the next REST request (not /rate_limit) with a 403
// that says nothing about the budget, as a proxy or GitHub's front end may.
type bareForbidden struct {
	base  http.RoundTripper
	mu    sync.Mutex
	armed bool
}

func (b *bareForbidden) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	fire := b.armed && strings.Contains(r.URL.Path, "/repos/")
	b.armed = b.armed && !fire
	b.mu.Unlock()
	if !fire {
		return b.base.RoundTrip(r)
	}
	body := `{"message":"Forbidden"}`
	return &http.Response{StatusCode: http.StatusForbidden, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Request: r,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}, nil
}

// A 403 without rate-limit headers makes the budget doubtful: it is asked
// for before the token's next request.
func TestForbiddenWithoutRateHeadersIsFollowedByACheck(t *testing.T) {
	t.Parallel()
	ctx, onWait := cancelOnWait("graphql")
	bf := &bareForbidden{base: &http.Transport{}}
	e := newLimitEnvVia(t, bf, onWait)
	bg := context.Background()
	if err := e.rest(bg); err != nil {
		t.Fatal(err)
	}
	if err := e.query(bg); err != nil {
		t.Fatal(err)
	}
	bf.mu.Lock()
	bf.armed = true
	bf.mu.Unlock()
	e.srv.Exhaust(0, githubtest.ResourceGraphQL, time.Hour)
	if err := e.rest(bg); err == nil {
		t.Fatal("the bare 403 was not reported")
	}
	if err := e.query(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("query: %v, want a wait for the graphql budget (cancelled)", err)
	}
	if st := e.srv.Stats(); st.SentWhileExhausted != 0 {
		t.Errorf("%d requests sent against a spent budget, want 0", st.SentWhileExhausted)
	}
}

// A check that fails does not stop the work: after a server error the
// token goes on without it; after a secondary limit it is held back for
// Retry-After and checked again.
func TestFailedCheckDoesNotStopTheWork(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		kind   githubtest.FaultKind
		checks int
	}{
		{name: "server error", kind: githubtest.Fault5xx, checks: 1},
		{name: "secondary limit", kind: githubtest.FaultSecondary, checks: 2},
		{name: "secondary limit as 429", kind: githubtest.FaultSecondary429, checks: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newLimitEnv(t, nil)
			e.srv.InjectOn(githubtest.FaultOnRateLimit, tc.kind, 1)
			if err := e.query(context.Background()); err != nil {
				t.Fatal(err)
			}
			st := e.srv.Stats()
			if st.Faults[tc.kind] != 1 || st.RateLimitChecks != tc.checks || st.SentDuringRetryAfter != 0 {
				t.Errorf("faults %v, %d checks, %d sent during Retry-After; want the fault, %d checks, none during Retry-After",
					st.Faults, st.RateLimitChecks, st.SentDuringRetryAfter, tc.checks)
			}
		})
	}
}
