package ghclient

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"
)

// GitHub keeps separate budgets per resource; contribtrack uses two.
const (
	resourceCore    = "core"
	resourceGraphQL = "graphql"
)

// token is one credential with its clients and its budgets.
type token struct {
	index int
	src   tokenSource
	rest  *github.Client
	gql   *githubv4.Client

	// guarded by budget.mu
	inFlight     int
	retired      bool // GitHub refused it
	buckets      map[string]*bucket
	blockedUntil time.Time // a secondary limit's Retry-After
	secondaryN   int       // secondary limits in a row, for back-off
	// doubtful: the buckets may be wrong (first use, a primary limit no
	// answer announced, a secondary limit, a throttled answer without
	// rate-limit headers): GET /rate_limit is asked before the next request.
	doubtful bool
	noCheck  bool // GET /rate_limit is not served (rate limiting disabled)
}

// bucket is what the client knows of one token's budget for a resource.
// Remaining is lowered when a request is sent (so that concurrent requests
// cannot overspend it) and corrected from each response's headers.
type bucket struct {
	known     bool
	limit     int
	remaining int
	reset     time.Time
}

// budget hands out tokens for requests: never one whose budget is spent
// before its reset, and never one with perToken requests already in
// flight (GitHub asks for one user's requests to be sent serially, so that
// a secondary limit or an exhausted budget is known before the next one).
type budget struct {
	// skew is GitHub's clock minus ours (nanoseconds), from answers' Date
	// headers: resets are GitHub's times.
	skew atomic.Int64

	// check, when set, asks GitHub for a doubtful token's budgets (GET
	// /rate_limit, free) and says whether the token stays doubtful and
	// whether GitHub does not serve the check at all. It is called with a
	// request slot of the token held and no lock.
	check func(ctx context.Context, t *token) (stillDoubtful, unsupported bool)

	mu       sync.Mutex
	tokens   []*token
	perToken int
	next     int
	released chan struct{} // closed and replaced whenever a request ends

	// Time requests spent held back by a rate limit: waiters requests
	// wait now, since waitFrom; waited is the time of earlier waits. A
	// stretch of time counts once however many requests wait in it.
	waiters  int
	waitFrom time.Time
	waited   time.Duration
}

func newBudget(tokens []*token, perToken int) *budget {
	for _, t := range tokens {
		t.buckets = map[string]*bucket{resourceCore: {}, resourceGraphQL: {}}
		t.doubtful = true // nothing is known before the first check
	}
	return &budget{tokens: tokens, perToken: max(perToken, 1), released: make(chan struct{})}
}

// resetMargin is added to a reset time before a wait ends: GitHub's reset
// is in whole seconds.
const resetMargin = time.Second

// acquire returns a token with at least cost points left in resource and a
// free request slot, waiting while every token is busy, spent (telling
// onWait) or held back by a secondary limit. A token whose budget is
// doubtful is checked (GET /rate_limit) before it is handed out. release
// must be called when the request is done.
func (b *budget) acquire(ctx context.Context, resource string, cost int, onWait func(Wait)) (*token, func(), error) {
	limited := false // this call is waiting for a rate limit
	defer func() {
		if limited {
			b.endWait()
		}
	}()
	for {
		t, w, busy, released, check := b.pick(resource, cost, b.now())
		if check {
			doubtful, unsupported := b.check(ctx, t)
			b.checked(t, doubtful, unsupported)
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			continue
		}
		if t != nil {
			return t, func() { b.release(t) }, nil
		}
		if w.Until.IsZero() && !busy {
			return nil, nil, fmt.Errorf("every token: %w", ErrUnauthorized) // all retired
		}
		// Only a wait that no request in flight can end is a wait for a
		// rate limit.
		if now := !w.Until.IsZero() && !busy; now != limited {
			if limited = now; limited {
				b.beginWait()
			} else {
				b.endWait()
			}
		}
		var timer *time.Timer
		var timeout <-chan time.Time
		if !w.Until.IsZero() {
			w.Until = b.local(w.Until)
			if !busy && onWait != nil {
				onWait(w)
			}
			timer = time.NewTimer(time.Until(w.Until))
			timeout = timer.C
		}
		select {
		case <-timeout:
		case <-released:
		case <-ctx.Done():
		}
		if timer != nil {
			timer.Stop()
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
	}
}

func (b *budget) beginWait() {
	b.mu.Lock()
	if b.waiters == 0 {
		b.waitFrom = time.Now()
	}
	b.waiters++
	b.mu.Unlock()
}

func (b *budget) endWait() {
	b.mu.Lock()
	if b.waiters--; b.waiters == 0 {
		b.waited += time.Since(b.waitFrom)
	}
	b.mu.Unlock()
}

// waitedSoFar is the time during which at least one request was held back
// by a rate limit, the current wait included.
func (b *budget) waitedSoFar() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := b.waited
	if b.waiters > 0 {
		d += time.Since(b.waitFrom)
	}
	return d
}

// checked ends a check of t's budget started by pick.
func (b *budget) checked(t *token, doubtful, unsupported bool) {
	b.mu.Lock()
	t.doubtful = doubtful && !unsupported
	t.noCheck = t.noCheck || unsupported
	b.mu.Unlock()
	b.release(t)
}

func (b *budget) release(t *token) {
	b.mu.Lock()
	t.inFlight--
	close(b.released)
	b.released = make(chan struct{})
	b.mu.Unlock()
}

// pick chooses the usable token with the most points left (round robin
// among unknown ones), charging cost to it and taking a request slot; or
// says until when to wait for a limit (Wait) and whether some token is
// merely busy (then a release may come sooner). A doubtful token with no
// request in flight comes first, with check set: its budget is to be
// asked for (a slot is taken, nothing charged).
func (b *budget) pick(resource string, cost int, now time.Time) (_ *token, _ Wait, busy bool, _ <-chan struct{}, check bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var best *token
	bestLeft := -1
	var wait Wait
	for i := range b.tokens {
		t := b.tokens[(b.next+i)%len(b.tokens)]
		if t.retired {
			continue
		}
		if t.inFlight >= b.perToken {
			busy = true
			continue
		}
		if t.doubtful && b.check != nil && !t.noCheck && !now.Before(t.blockedUntil) {
			if t.inFlight > 0 {
				busy = true // check once the requests in flight have answered
				continue
			}
			t.inFlight++
			return t, Wait{}, false, nil, true
		}
		bk := t.buckets[resource]
		if bk.known && !now.Before(bk.reset.Add(resetMargin)) {
			bk.known = false // a new window: full budget until told otherwise
		}
		if !bk.known && t.inFlight > 0 {
			// Until an answer tells the budget, one request at a time.
			busy = true
			continue
		}
		var until time.Time
		reason := ""
		switch {
		case now.Before(t.blockedUntil):
			until, reason = t.blockedUntil, "secondary limit"
		case bk.known && bk.remaining < cost:
			until, reason = bk.reset.Add(resetMargin), "primary limit"
		}
		if reason != "" {
			if wait.Until.IsZero() || until.Before(wait.Until) {
				wait = Wait{Token: t.index, Resource: resource, Until: until, Reason: reason}
			}
			continue
		}
		left := 1 << 30
		if bk.known {
			left = bk.remaining
		}
		if left > bestLeft {
			best, bestLeft = t, left
		}
	}
	if best == nil {
		return nil, wait, busy, b.released, false
	}
	b.next = (b.next + 1) % len(b.tokens)
	best.inFlight++
	if bk := best.buckets[resource]; bk.known {
		bk.remaining -= cost
	}
	return best, Wait{}, false, nil, false
}

// now is GitHub's time, as far as its answers tell.
func (b *budget) now() time.Time { return time.Now().Add(time.Duration(b.skew.Load())) }

// local turns one of GitHub's times into ours.
func (b *budget) local(t time.Time) time.Time { return t.Add(-time.Duration(b.skew.Load())) }

// observeDate learns GitHub's clock from an answer's Date header (whole
// seconds: differences under two seconds are noise).
func (b *budget) observeDate(h http.Header) {
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return
	}
	skew := time.Until(d)
	if skew > -2*time.Second && skew < 2*time.Second {
		skew = 0
	}
	b.skew.Store(int64(skew))
}

// retire stops handing out a token GitHub refused, and reports whether
// another one is left.
func (b *budget) retire(t *token) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t.retired = true
	for _, x := range b.tokens {
		if !x.retired {
			return true
		}
	}
	return false
}

// observe corrects a bucket from a response's X-RateLimit-* headers and
// returns what they said (ok is false when they are absent).
func (b *budget) observe(t *token, h http.Header) (rh rateHeaders, ok bool) {
	rh, ok = parseRateHeaders(h)
	if !ok {
		return rh, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	bk, seen := t.buckets[rh.resource]
	if !seen {
		bk = &bucket{}
		t.buckets[rh.resource] = bk
	}
	at := rh.reset
	switch {
	case bk.known && !at.Equal(bk.reset) && !at.After(b.now()):
		// A late answer from a window that has ended tells nothing.
	case !bk.known || !at.Equal(bk.reset):
		// First sight, or another window: GitHub's last word, even when it
		// moves the reset earlier than it said before.
		bk.known, bk.limit, bk.remaining, bk.reset = true, rh.limit, rh.remaining, at
	case rh.remaining < bk.remaining:
		// Same window: trust the lower figure; answers can arrive out of order.
		bk.remaining = rh.remaining
	}
	return rh, true
}

// set records a budget as GET /rate_limit reported it: with no request of
// the token in flight, the figures are exact.
func (b *budget) set(t *token, resource string, limit, remaining int, reset time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bk, seen := t.buckets[resource]
	if !seen {
		bk = &bucket{}
		t.buckets[resource] = bk
	}
	bk.known, bk.limit, bk.remaining, bk.reset = true, limit, remaining, reset
}

// exhaust marks a bucket spent until reset (a primary-limit answer), the
// reset GitHub sent last, earlier or later than an earlier one. No request
// is sent against a budget known to be spent, so the answer came as a
// surprise (another client of the token, a cost estimate too low): the
// token's other budgets are doubtful too.
func (b *budget) exhaust(t *token, resource string, reset time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bk := t.buckets[resource]
	bk.known, bk.remaining = true, 0
	if !reset.IsZero() {
		bk.reset = reset
	}
	if now := b.now(); bk.reset.IsZero() || !bk.reset.After(now) {
		bk.reset = now.Add(time.Minute) // unless the check says otherwise
	}
	t.doubtful = true
}

// doubt makes the next request of t wait for a check of its budgets.
func (b *budget) doubt(t *token) {
	b.mu.Lock()
	t.doubtful = true
	b.mu.Unlock()
}

// block holds a token back after a secondary limit and returns how long.
func (b *budget) block(t *token, retryAfter, fallback time.Duration) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := retryAfter
	if d <= 0 {
		d = fallback << min(t.secondaryN, 4)
	}
	t.secondaryN++
	t.blockedUntil = b.now().Add(d) // GitHub's time, like resets
	t.doubtful = true               // checked once the wait is over
	return d
}

// succeeded clears a token's secondary-limit back-off.
func (b *budget) succeeded(t *token) {
	b.mu.Lock()
	t.secondaryN = 0
	b.mu.Unlock()
}
