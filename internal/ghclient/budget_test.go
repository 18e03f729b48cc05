package ghclient

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func headers(resource string, limit, remaining int, reset time.Time) http.Header {
	h := http.Header{}
	h.Set("X-RateLimit-Resource", resource)
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	return h
}

// pickOne picks a token and ends its request at once.
func pickOne(b *budget, resource string, cost int, now time.Time) (*token, Wait) {
	t, w, _, _, _ := b.pick(resource, cost, now)
	if t != nil {
		b.release(t)
	}
	return t, w
}

func newTestBudget(n int) (*budget, []*token) {
	var ts []*token
	for i := 0; i < n; i++ {
		ts = append(ts, &token{index: i + 1, src: staticToken("t" + strconv.Itoa(i))})
	}
	return newBudget(ts, 4), ts
}

func TestBudgetNeverHandsOutASpentToken(t *testing.T) {
	b, ts := newTestBudget(2)
	now := time.Now()
	reset := now.Add(time.Hour).Truncate(time.Second) // GitHub's resets are whole seconds
	b.observe(ts[0], headers("core", 5000, 0, reset))
	b.observe(ts[1], headers("core", 5000, 2, reset))
	for i := 0; i < 2; i++ {
		tok, _ := pickOne(b, "core", 1, now)
		if tok != ts[1] {
			t.Fatalf("pick %d: got token %v, want #2 (the only one with points)", i, tok)
		}
	}
	// Both spent now (the local count went down with each pick).
	tok, w := pickOne(b, "core", 1, now)
	if tok != nil {
		t.Fatalf("got token #%d although every budget is spent", tok.index)
	}
	if w.Reason != "primary limit" || w.Until.Before(reset) {
		t.Errorf("wait = %+v, want the primary limit until after %v", w, reset)
	}
	// The graphql budget is separate.
	if tok, _ := pickOne(b, "graphql", 1, now); tok == nil {
		t.Errorf("graphql budget blocked by the core budget")
	}
	// Not within a second of the reset (GitHub's reset is in whole
	// seconds, and clocks differ), but after it the budget is full again.
	if tok, _ := pickOne(b, "core", 1, reset.Add(500*time.Millisecond)); tok != nil {
		t.Errorf("a spent token was handed out half a second after its reset")
	}
	if tok, _ := pickOne(b, "core", 1, reset.Add(2*time.Second)); tok == nil {
		t.Errorf("no token after the reset")
	}
}

func TestBudgetTrustsTheLowerFigureWithinAWindow(t *testing.T) {
	b, ts := newTestBudget(1)
	reset := time.Now().Add(time.Hour)
	b.observe(ts[0], headers("core", 5000, 10, reset))
	b.observe(ts[0], headers("core", 5000, 12, reset)) // a late, stale answer
	if got := ts[0].buckets["core"].remaining; got != 10 {
		t.Errorf("remaining = %d, want 10 (the lower figure)", got)
	}
	next := reset.Add(time.Hour)
	b.observe(ts[0], headers("core", 5000, 4999, next)) // a new window
	if got := ts[0].buckets["core"].remaining; got != 4999 {
		t.Errorf("remaining in the new window = %d, want 4999", got)
	}
}

func TestBudgetSecondaryLimitHoldsOneTokenBack(t *testing.T) {
	b, ts := newTestBudget(2)
	d := b.block(ts[0], 3*time.Second, time.Minute)
	if d != 3*time.Second {
		t.Errorf("held back %v, want Retry-After 3s", d)
	}
	for i := 0; i < 3; i++ {
		if tok, _ := pickOne(b, "core", 1, time.Now()); tok != ts[1] {
			t.Fatalf("pick %d: got %v, want token #2 while #1 waits", i, tok)
		}
	}
	// Without Retry-After the wait doubles from the fallback.
	d1 := b.block(ts[1], 0, time.Second)
	d2 := b.block(ts[1], 0, time.Second)
	if d1 != time.Second || d2 != 2*time.Second {
		t.Errorf("secondary back-off did not grow: %v then %v", d1, d2)
	}
}

func TestAcquireWaitsForTheResetAndReportsIt(t *testing.T) {
	b, ts := newTestBudget(1)
	reset := time.Now().Add(200 * time.Millisecond).Truncate(time.Second).Add(time.Second)
	b.observe(ts[0], headers("graphql", 5000, 0, reset))
	var waits []Wait
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, release, err := b.acquire(ctx, "graphql", 1, func(w Wait) { waits = append(waits, w) })
	if err != nil {
		t.Fatal(err)
	}
	release()
	if tok != ts[0] || len(waits) != 1 || waits[0].Token != 1 || waits[0].Resource != "graphql" {
		t.Fatalf("token %v, waits %+v: want one reported wait on token #1 graphql", tok, waits)
	}
	if time.Now().Before(reset) {
		t.Errorf("acquired before the reset")
	}
	// A cancelled context stops the wait.
	b.observe(ts[0], headers("graphql", 5000, 0, time.Now().Add(time.Hour)))
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, _, err := b.acquire(ctx2, "graphql", 1, nil); err == nil {
		t.Errorf("acquire with a cancelled context succeeded")
	}
}

func TestAPIURLs(t *testing.T) {
	tests := []struct {
		name, in, rest, gql string
		bad                 bool
	}{
		{name: "default", in: "", rest: "https://api.github.com/", gql: "https://api.github.com/graphql"},
		{name: "github.com", in: "https://github.com", rest: "https://api.github.com/", gql: "https://api.github.com/graphql"},
		{name: "enterprise", in: "https://ghe.example.com/", rest: "https://ghe.example.com/api/v3/", gql: "https://ghe.example.com/api/graphql"},
		{name: "enterprise api path", in: "https://ghe.example.com/api/v3", rest: "https://ghe.example.com/api/v3/", gql: "https://ghe.example.com/api/graphql"},
		{name: "test server", in: "http://127.0.0.1:8080", rest: "http://127.0.0.1:8080/api/v3/", gql: "http://127.0.0.1:8080/api/graphql"},
		{name: "credentials", in: "https://u:secret@ghe.example.com", bad: true},
		{name: "scheme", in: "ghe.example.com", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rest, gql, err := APIURLs(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("APIURLs(%q) accepted", tc.in)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error repeats the password: %v", err)
				}
				return
			}
			if err != nil || rest != tc.rest || gql != tc.gql {
				t.Errorf("APIURLs(%q) = %q, %q, %v; want %q, %q", tc.in, rest, gql, err, tc.rest, tc.gql)
			}
		})
	}
}

func TestAcquireSendsOneRequestPerTokenAtATime(t *testing.T) {
	b, ts := newTestBudget(1)
	b.perToken = 1
	ctx := context.Background()
	tok, release, err := b.acquire(ctx, "core", 1, nil)
	if err != nil || tok != ts[0] {
		t.Fatal(tok, err)
	}
	got := make(chan *token)
	go func() {
		t2, r2, _ := b.acquire(ctx, "core", 1, nil)
		r2()
		got <- t2
	}()
	select {
	case <-got:
		t.Fatal("a second request got the token while the first was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	release()
	select {
	case t2 := <-got:
		if t2 != ts[0] {
			t.Errorf("got %v after the release", t2)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting request was not woken by the release")
	}
}

func TestRetiredTokensAreNotHandedOut(t *testing.T) {
	b, ts := newTestBudget(2)
	if !b.retire(ts[0]) {
		t.Fatal("retire said no token is left")
	}
	for i := 0; i < 3; i++ {
		if tok, _ := pickOne(b, "core", 1, time.Now()); tok != ts[1] {
			t.Fatalf("got %v, want only the token still accepted", tok)
		}
	}
	if b.retire(ts[1]) {
		t.Fatal("retire said a token is left")
	}
	if _, _, err := b.acquire(context.Background(), "core", 1, nil); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("acquire with every token refused: %v, want ErrUnauthorized", err)
	}
}

// Resets are GitHub's times: with our clock behind GitHub's, a spent token
// stays spent until GitHub's reset, not ours.
func TestBudgetUsesGitHubsClock(t *testing.T) {
	b, ts := newTestBudget(1)
	h := http.Header{}
	h.Set("Date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)) // GitHub is an hour ahead
	b.observeDate(h)
	if d := b.now().Sub(time.Now()); d < 59*time.Minute {
		t.Fatalf("GitHub's clock seen %v ahead, want an hour", d)
	}
	reset := time.Now().Add(30 * time.Minute) // in our clock's future, GitHub's past
	b.observe(ts[0], headers("core", 5000, 0, reset))
	if tok, _, _, _, _ := b.pick("core", 1, b.now()); tok == nil {
		t.Errorf("the budget GitHub has already reset is still held back")
	}
	b.observe(ts[0], headers("core", 5000, 0, time.Now().Add(2*time.Hour)))
	_, w, _, _, _ := b.pick("core", 1, b.now())
	if local := b.local(w.Until); local.Sub(time.Now()) > 61*time.Minute || local.Sub(time.Now()) < 59*time.Minute {
		t.Errorf("wait until %v (local %v), want about an hour from now", w.Until, local)
	}
}

// GitHub's last word on a reset wins, even when it is earlier than what an
// earlier answer said: a budget spent until 15 s from now must not be
// waited for until the hour an earlier answer announced (issue 16).
func TestBudgetTrustsTheResetGitHubSentLast(t *testing.T) {
	tests := []struct {
		name    string
		headers bool // the refusal's X-RateLimit-* headers are observed
		exhaust bool // the refusal is classified as a primary limit
	}{
		{name: "the refusal's headers", headers: true},
		{name: "the primary limit", exhaust: true},
		{name: "both, as the transport and retries see a 403", headers: true, exhaust: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, ts := newTestBudget(1)
			now := time.Now()
			hour := now.Add(time.Hour).Truncate(time.Second)
			soon := now.Add(15 * time.Second).Truncate(time.Second)
			b.observe(ts[0], headers("core", 5000, 4000, hour))
			if tc.headers {
				b.observe(ts[0], headers("core", 5000, 0, soon))
			}
			if tc.exhaust {
				b.exhaust(ts[0], "core", soon)
			}
			tok, w := pickOne(b, "core", 1, now)
			if tok != nil {
				t.Fatalf("token #%d handed out although GitHub said its budget is spent", tok.index)
			}
			if want := soon.Add(resetMargin); !w.Until.Equal(want) {
				t.Errorf("wait until %v, want %v (the reset GitHub sent last, not %v)", w.Until, want, hour)
			}
		})
	}
	// A late answer from a window that has already ended changes nothing.
	b, ts := newTestBudget(1)
	now := time.Now()
	next := now.Add(time.Hour).Truncate(time.Second)
	b.observe(ts[0], headers("core", 5000, 4999, next))
	b.observe(ts[0], headers("core", 5000, 0, now.Add(-time.Minute)))
	if bk := ts[0].buckets["core"]; !bk.reset.Equal(next) || bk.remaining != 4999 {
		t.Errorf("after a stale answer: reset %v, remaining %d; want %v, 4999", bk.reset, bk.remaining, next)
	}
}
