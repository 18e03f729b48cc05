package api

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// waitUntil polls cond until it holds, or fails the test after 30 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(time.Millisecond) // poll
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(2, 1, time.Hour)
	ctx := context.Background()
	big, err := l.acquire(ctx, 11) // more than the size: all of it
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	var second func()
	go func() {
		var err error
		second, err = l.acquire(ctx, 1)
		got <- err
	}()
	waitUntil(t, "a request in the queue", func() bool { return l.queued() == 1 })
	if _, err := l.acquire(ctx, 1); !errors.Is(err, errOverloaded) {
		t.Fatalf("with the queue full: %v, want errOverloaded", err)
	}
	big()
	if err := <-got; err != nil {
		t.Fatalf("the queued request: %v", err)
	}
	if l.queued() != 0 {
		t.Errorf("queued %d after the wait", l.queued())
	}
	// One turn is free: a request of one takes it without waiting.
	third, err := l.acquire(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// A request whose time runs out in the queue leaves it.
	short, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := l.acquire(short, 1); done <- err }()
	waitUntil(t, "a request in the queue", func() bool { return l.queued() == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait: %v", err)
	}
	if l.queued() != 0 {
		t.Errorf("queued %d after a cancelled wait", l.queued())
	}
	second()
	third()
	if !l.sem.TryAcquire(2) {
		t.Errorf("turns were not all given back")
	}

	none := newLimiter(-1, 0, 0)
	if release, err := none.acquire(ctx, 100); err != nil {
		t.Errorf("no limit: %v", err)
	} else {
		release()
	}
}

// A request that waited maxWait in the queue is refused as overloaded,
// and leaves the queue; one whose own context ended gets that error.
func TestLimiterMaxWait(t *testing.T) {
	l := newLimiter(1, 10, 20*time.Millisecond)
	hold, err := l.acquire(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := l.acquire(context.Background(), 1); !errors.Is(err, errOverloaded) {
		t.Fatalf("after waiting maxWait: %v, want errOverloaded", err)
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("refused after %s, before maxWait", waited)
	}
	if l.queued() != 0 {
		t.Errorf("queued %d after the refusal", l.queued())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	long := newLimiter(1, 10, time.Hour)
	hold2, _ := long.acquire(context.Background(), 1)
	if _, err := long.acquire(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a request whose time ran out in the queue: %v, want its deadline", err)
	}
	hold()
	hold2()
}

// loadEnv is a migrated database with a few contributions and an API on
// it, with the test's options.
// afterAnswer, when set, is the Server's hook (set before it serves).
func loadEnv(t *testing.T, o Options, afterAnswer func(*store.Store)) (*Server, *store.Store, string) {
	t.Helper()
	ctx := context.Background()
	dsn, _ := chtest.Database(t)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	insertCommit(t, s, "alice")
	cfg := config.Default()
	o.Store = s
	o.Rules = leaderboard.Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()}
	a := New(o)
	if afterAnswer != nil {
		a.afterAnswer = func() { afterAnswer(s) }
	}
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return a, s, srv.URL
}

var commits atomic.Int64

// insertCommit stores one new commit by login in January 2024.
func insertCommit(t *testing.T, s *store.Store, login string) {
	t.Helper()
	h := fnv.New64a()
	h.Write([]byte(login))
	err := s.Insert(context.Background(), []contrib.Contribution{{
		Kind: contrib.Commit, Key: "c" + strconv.FormatInt(commits.Add(1), 10), CreatedAt: time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC),
		ActorID: h.Sum64() >> 2, ActorLogin: login, RepoID: 7, RepoName: "aws/aws-cdk", Org: "aws", Via: contrib.ViaREST,
	}})
	if err != nil {
		t.Fatal(err)
	}
	settleMarks(t, s)
}

// settleMarks merges the rollup marks now: a background merge of them
// changes the data version (and costs a cache miss), which would make a
// test's hits and misses depend on when ClickHouse merges.
func settleMarks(t *testing.T, s *store.Store) {
	t.Helper()
	if err := s.Conn().Exec(context.Background(), "OPTIMIZE TABLE rollup_marks FINAL"); err != nil {
		t.Fatal(err)
	}
}

type result struct {
	status int
	header http.Header
	body   string
}

func fetch(t *testing.T, url string) result {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Error(err)
		return result{}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return result{resp.StatusCode, resp.Header, string(b)}
}

const jan = "/api/v1/leaderboard?from=2024-01-01&to=2024-02-01"

// When every turn is taken and the queue is full, a question that needs
// ClickHouse is answered 429 at once, with Retry-After and the API's error
// JSON; one that waits in the queue is answered when a turn frees; a
// cached answer needs no turn.
func TestOverloadAnswers429(t *testing.T) {
	srv, _, base := loadEnv(t, Options{MaxQueries: 1, MaxQueued: 1}, nil)
	if r := fetch(t, base+jan); r.status != http.StatusOK {
		t.Fatalf("warming the cache: %d %s", r.status, r.body)
	}
	hold, err := srv.limit.acquire(context.Background(), 1) // every turn
	if err != nil {
		t.Fatal(err)
	}
	queued := make(chan result, 1)
	go func() { queued <- fetch(t, base+jan+"&limit=1") }()
	waitUntil(t, "the question in the queue", func() bool { return srv.limit.queued() == 1 })

	r := fetch(t, base+jan+"&limit=2")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Errorf("a question beyond the queue: %d, Retry-After %q, want 429 and 1", r.status, r.header.Get("Retry-After"))
	}
	var e errorBody
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error != "overloaded" || e.Message == "" ||
		r.header.Get("Content-Type") != "application/json" {
		t.Errorf("429 body %q (%v)", r.body, err)
	}
	if r := fetch(t, base+jan); r.status != http.StatusOK || r.header.Get("X-Contribtrack-Cache") != "hit" {
		t.Errorf("a cached question while overloaded: %d, cache %q", r.status, r.header.Get("X-Contribtrack-Cache"))
	}
	hold()
	if r := <-queued; r.status != http.StatusOK || r.header.Get("X-Contribtrack-Cache") != "miss" {
		t.Errorf("the queued question: %d %s", r.status, r.body)
	}
	if r := fetch(t, base+jan+"&limit=2"); r.status != http.StatusOK {
		t.Errorf("once the load is gone: %d %s", r.status, r.body)
	}
}

// An answer is cached under the version it was computed at only when no
// write came in between: one that saw a write during its computation is
// served but not cached, and the next question sees the write.
func TestAnswerCachedOnlyWhenExact(t *testing.T) {
	var armed, wrote atomic.Bool
	_, _, base := loadEnv(t, Options{VersionRefresh: time.Hour}, func(s *store.Store) {
		if armed.Load() && !wrote.Swap(true) {
			insertCommit(t, s, "bob") // another writer, between the answer and the cache
		}
	})
	if first := fetch(t, base+jan); first.status != http.StatusOK {
		t.Fatalf("%d %s", first.status, first.body)
	}
	armed.Store(true)
	q := base + jan + "&limit=5"
	if r := fetch(t, q); r.header.Get("X-Contribtrack-Cache") != "miss" || strings.Contains(r.body, "bob") {
		t.Fatalf("the question during the write: cache %q: %s", r.header.Get("X-Contribtrack-Cache"), r.body)
	}
	r := fetch(t, q)
	if r.header.Get("X-Contribtrack-Cache") != "miss" || !strings.Contains(r.body, "bob") {
		t.Errorf("after the write: cache %q, want a miss with bob: %s", r.header.Get("X-Contribtrack-Cache"), r.body)
	}
	if r := fetch(t, q); r.header.Get("X-Contribtrack-Cache") != "hit" || !strings.Contains(r.body, "bob") {
		t.Errorf("again: cache %q, want a hit with bob: %s", r.header.Get("X-Contribtrack-Cache"), r.body)
	}
}

// Requests asking the same question at once while it is computed share
// one computation: ClickHouse answers it once, and every one of them gets
// the answer.
func TestSameQuestionComputedOnce(t *testing.T) {
	var computations atomic.Int64
	srv, _, base := loadEnv(t, Options{}, func(*store.Store) { computations.Add(1) })
	hold, err := srv.limit.acquire(context.Background(), DefaultMaxQueries()) // every turn
	if err != nil {
		t.Fatal(err)
	}
	const n = 5
	answers := make(chan result, n)
	for i := 0; i < n; i++ {
		go func() { answers <- fetch(t, base+jan) }()
	}
	waitUntil(t, "every request waiting for one computation", func() bool {
		return srv.waiters.Load() == n && srv.limit.queued() == 1
	})
	hold()
	var bodies []string
	for i := 0; i < n; i++ {
		r := <-answers
		if r.status != http.StatusOK || r.header.Get("X-Contribtrack-Cache") != "miss" {
			t.Errorf("request %d: %d, cache %q: %s", i, r.status, r.header.Get("X-Contribtrack-Cache"), r.body)
		}
		bodies = append(bodies, r.body)
	}
	if got := computations.Load(); got != 1 {
		t.Errorf("%d computations for %d requests at once, want 1", got, n)
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Errorf("answers differ:\n%s\n%s", bodies[0], b)
		}
	}
	if r := fetch(t, base+jan); r.header.Get("X-Contribtrack-Cache") != "hit" || r.body != bodies[0] {
		t.Errorf("then: cache %q", r.header.Get("X-Contribtrack-Cache"))
	}
}
