package githubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Resources are GitHub's rate-limit resources the server meters.
const (
	ResourceCore    = "core"
	ResourceGraphQL = "graphql"
)

const (
	core = iota
	graphql
)

var resourceNames = [2]string{ResourceCore, ResourceGraphQL}

// tokenState is what the server knows about one accepted token.
type tokenState struct {
	index      int
	userID     int64
	expires    time.Time // zero for configured tokens
	buckets    [2]bucket
	retryUntil time.Time // end of the Retry-After period the server imposed
}

// bucket is one resource's budget of one token. The window starts at the
// token's first request in the resource.
type bucket struct {
	limit int
	used  int
	reset time.Time // zero before the first request
}

// roll starts a new window when none is running. Reset instants fall on
// whole seconds so that X-RateLimit-Reset is exact.
func (b *bucket) roll(now time.Time, window time.Duration) {
	if b.reset.IsZero() || !now.Before(b.reset) {
		b.used = 0
		b.reset = ceilSecond(now.Add(window))
	}
}

func (b *bucket) remaining() int { return max(b.limit-b.used, 0) }

func ceilSecond(t time.Time) time.Time {
	if u := t.Truncate(time.Second); !u.Equal(t) {
		return u.Add(time.Second)
	}
	return t
}

// rate is a snapshot of a bucket for headers and bodies.
type rate struct {
	Resource               string
	Limit, Remaining, Used int
	Reset                  time.Time
}

func (s *Server) newTokenLocked(expires time.Time) *tokenState {
	ts := &tokenState{index: s.nextIndex, userID: 9000001 + int64(s.nextIndex), expires: expires}
	ts.buckets[core].limit = s.opts.CoreLimit
	ts.buckets[graphql].limit = s.opts.GraphQLLimit
	s.nextIndex++
	return ts
}

// view returns a bucket's state as /rate_limit shows it, without starting
// a window.
func (s *Server) viewLocked(ts *tokenState, res int, now time.Time) rate {
	b := ts.buckets[res]
	if b.reset.IsZero() || !now.Before(b.reset) {
		b.used, b.reset = 0, ceilSecond(now.Add(s.opts.Window))
	}
	return rate{Resource: resourceNames[res], Limit: b.limit, Remaining: b.remaining(), Used: b.used, Reset: b.reset}
}

func snapshot(b *bucket, res int) rate {
	return rate{Resource: resourceNames[res], Limit: b.limit, Remaining: b.remaining(), Used: b.used, Reset: b.reset}
}

// unauthRate is what GitHub reports to a request without valid
// credentials: the unauthenticated budget.
func (s *Server) unauthRate(now time.Time) rate {
	return rate{Resource: ResourceCore, Limit: 60, Remaining: 60, Reset: ceilSecond(now.Add(time.Hour))}
}

// setRateHeaders writes the X-RateLimit-* headers.
func setRateHeaders(h http.Header, rt rate) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(rt.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rt.Remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(rt.Reset.Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(rt.Used))
	h.Set("X-RateLimit-Resource", rt.Resource)
}

// Exhaust spends the whole budget of token (its index in Options.Tokens;
// installation tokens follow in the order they were issued) in resource
// (ResourceCore or ResourceGraphQL), as another client of the same token
// would, and makes the window end resetIn from now, whatever earlier
// answers said: the next request against it is refused, and X-RateLimit-Reset
// and /rate_limit tell the new reset. It panics on an unknown token or
// resource.
func (s *Server) Exhaust(token int, resource string, resetIn time.Duration) {
	res := -1
	for i, n := range resourceNames {
		if n == resource {
			res = i
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ts *tokenState
	for _, x := range s.tokens {
		if x.index == token {
			ts = x
		}
	}
	if ts == nil || res < 0 {
		panic(fmt.Sprintf("githubtest: Exhaust(%d, %q): no such token or resource", token, resource))
	}
	b := &ts.buckets[res]
	b.used, b.reset = b.limit, ceilSecond(time.Now().Add(resetIn))
}

// admitLocked checks a request against its token's budget in res before
// it is served: it rolls the window, records the client's violations and
// tells whether the budget is exhausted. Free requests (GET /rate_limit)
// are never refused.
func (s *Server) admitLocked(ts *tokenState, res int, now time.Time, free bool) (exhausted bool) {
	b := &ts.buckets[res]
	b.roll(now, s.opts.Window)
	if now.Before(ts.retryUntil) {
		s.stats.SentDuringRetryAfter++
	}
	if !free && b.remaining() == 0 {
		s.stats.SentWhileExhausted++
		return true
	}
	return false
}

// chargeLocked spends cost points of res if the budget allows it.
func (s *Server) chargeLocked(ts *tokenState, res int, cost int, now time.Time) (rate, bool) {
	b := &ts.buckets[res]
	b.roll(now, s.opts.Window)
	if cost > b.remaining() {
		return snapshot(b, res), false
	}
	b.used += cost
	s.stats.Points[resourceNames[res]] += cost
	tp := s.stats.TokenPoints[ts.index]
	if tp == nil {
		tp = map[string]int{}
		s.stats.TokenPoints[ts.index] = tp
	}
	tp[resourceNames[res]] += cost
	return snapshot(b, res), true
}

// refundLocked gives back points charged for a request that turned out
// free (a 304), if the window has not rolled over since.
func (s *Server) refundLocked(ts *tokenState, res int, cost int, reset time.Time) rate {
	b := &ts.buckets[res]
	if b.reset.Equal(reset) && b.used >= cost {
		b.used -= cost
		name := resourceNames[res]
		if s.stats.Points[name] >= cost { // unless ResetStats ran meanwhile
			s.stats.Points[name] -= cost
		}
		if tp := s.stats.TokenPoints[ts.index]; tp[name] >= cost {
			tp[name] -= cost
		}
	}
	return snapshot(b, res)
}

// writeRateLimited answers a REST request over its primary budget the way
// GitHub does, so go-github returns *github.RateLimitError.
func (s *Server) writeRateLimited(w http.ResponseWriter, ts *tokenState, rt rate) {
	s.mu.Lock()
	s.stats.RateLimited++
	s.mu.Unlock()
	rt.Remaining = 0
	setRateHeaders(w.Header(), rt)
	writeJSON(w, http.StatusForbidden, obj{
		"message":           fmt.Sprintf("API rate limit exceeded for user ID %d.", ts.userID),
		"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit",
	})
}

// rateLimitBody is the answer to GET /rate_limit, which costs nothing,
// and the core budget for its headers.
func (s *Server) rateLimitBody(ts *tokenState, now time.Time) (obj, rate) {
	s.mu.Lock()
	c := s.viewLocked(ts, core, now)
	g := s.viewLocked(ts, graphql, now)
	s.mu.Unlock()
	entry := func(rt rate) obj {
		return obj{"limit": rt.Limit, "used": rt.Used, "remaining": rt.Remaining, "reset": rt.Reset.Unix(), "resource": rt.Resource}
	}
	static := func(name string, limit int, per time.Duration) obj {
		return entry(rate{Resource: name, Limit: limit, Remaining: limit, Reset: ceilSecond(now.Add(per))})
	}
	return obj{
		"resources": obj{
			"core":                        entry(c),
			"graphql":                     entry(g),
			"search":                      static("search", 30, time.Minute),
			"code_search":                 static("code_search", 10, time.Minute),
			"integration_manifest":        static("integration_manifest", 5000, time.Hour),
			"source_import":               static("source_import", 100, time.Minute),
			"code_scanning_upload":        static("code_scanning_upload", 1000, time.Hour),
			"actions_runner_registration": static("actions_runner_registration", 10000, time.Hour),
			"scim":                        static("scim", 15000, time.Hour),
			"dependency_snapshots":        static("dependency_snapshots", 100, time.Minute),
		},
		"rate": entry(c),
	}, c
}
