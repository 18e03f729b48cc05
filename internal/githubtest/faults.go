package githubtest

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a failure the server can serve instead of an answer.
// Faults cost no rate-limit points.
type FaultKind int

const (
	// Fault5xx answers 502 (JSON body, as GitHub's API sends) or 503
	// (an HTML-ish text body, as GitHub's front end sends), alternately.
	Fault5xx FaultKind = iota + 1
	// FaultSecondary answers GitHub's secondary rate limit: 403 with
	// Retry-After: 1 and the documentation_url go-github matches, so
	// go-github v60 returns *github.AbuseRateLimitError with RetryAfter.
	// The token is then in a Retry-After period for a second.
	FaultSecondary
	// FaultSecondary429 is the secondary limit as a 429 with
	// Retry-After: 1 (go-github v60 returns a plain *github.ErrorResponse
	// for it).
	FaultSecondary429
	// FaultReset closes the connection without any response. Go's
	// http.Transport silently retries an idempotent request (GET) once
	// when this happens on a reused keep-alive connection, so a client
	// sees the error only on a fresh connection or when the retry fails
	// too; the retry is a new request to the server.
	FaultReset
	// FaultTruncated sends 200 and the real Content-Length but only half
	// of the body, then closes the connection.
	FaultTruncated
)

var faultNames = map[FaultKind]string{Fault5xx: "5xx", FaultSecondary: "secondary", FaultSecondary429: "secondary429",
	FaultReset: "reset", FaultTruncated: "truncated"}

// String names the kind ("5xx", "secondary", ...).
func (k FaultKind) String() string {
	if n, ok := faultNames[k]; ok {
		return n
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// AllFaults lists every fault kind.
var AllFaults = []FaultKind{Fault5xx, FaultSecondary, FaultSecondary429, FaultReset, FaultTruncated}

// FaultOn selects which requests faults apply to.
type FaultOn uint8

const (
	// FaultOnREST selects REST requests (not GET /rate_limit, and not the
	// installation-token endpoint, which faults never touch).
	FaultOnREST FaultOn = 1 << iota
	// FaultOnGraphQL selects GraphQL requests.
	FaultOnGraphQL
	// FaultOnRateLimit selects GET /rate_limit, which clients ask before
	// a token's first request: apart from REST so that a test can aim
	// faults at the requests it means.
	FaultOnRateLimit
	// FaultOnAll selects every request faults can touch.
	FaultOnAll = FaultOnREST | FaultOnGraphQL | FaultOnRateLimit
)

type injected struct {
	kind FaultKind
	on   FaultOn
	left int
}

type faultState struct {
	queue []injected
	rng   *rand.Rand
	rate  float64
	kinds []FaultKind
	on    FaultOn
	n5xx  int
}

// Inject makes the next n requests (REST or GraphQL) fail with kind.
// Injections queue up in call order.
func (s *Server) Inject(kind FaultKind, n int) { s.InjectOn(FaultOnAll, kind, n) }

// InjectOn is Inject restricted to the requests on selects.
func (s *Server) InjectOn(on FaultOn, kind FaultKind, n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.queue = append(s.faults.queue, injected{kind: kind, on: on, left: n})
}

// SetFaultRate makes each request fail with probability rate, with a kind
// drawn from kinds (all kinds when none are given). The draws come from a
// generator seeded with seed, so the same sequence of requests meets the
// same faults. A rate of 0 turns random faults off. Injected faults are
// served first.
func (s *Server) SetFaultRate(seed uint64, rate float64, kinds ...FaultKind) {
	s.SetFaultRateOn(FaultOnAll, seed, rate, kinds...)
}

// SetFaultRateOn is SetFaultRate restricted to the requests on selects.
func (s *Server) SetFaultRateOn(on FaultOn, seed uint64, rate float64, kinds ...FaultKind) {
	if len(kinds) == 0 {
		kinds = AllFaults
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rng = rand.New(rand.NewPCG(seed, 0x6661756c7473))
	s.faults.rate, s.faults.kinds, s.faults.on = rate, append([]FaultKind(nil), kinds...), on
}

// nextFaultLocked decides whether the request (of class on) fails.
func (s *Server) nextFaultLocked(on FaultOn) FaultKind {
	f := &s.faults
	for i := range f.queue {
		q := &f.queue[i]
		if q.on&on == 0 {
			continue
		}
		k := q.kind
		if q.left--; q.left == 0 {
			f.queue = append(f.queue[:i], f.queue[i+1:]...)
		}
		return k
	}
	if f.rng != nil && f.rate > 0 && f.on&on != 0 && f.rng.Float64() < f.rate {
		return f.kinds[f.rng.IntN(len(f.kinds))]
	}
	return 0
}

// serveFault writes fault k (not FaultTruncated, which needs the body).
func (s *Server) serveFault(w *recorder, k FaultKind, ts *tokenState, rt rate, now time.Time) {
	s.mu.Lock()
	s.stats.Faults[k]++
	n5xx := s.faults.n5xx
	if k == Fault5xx {
		s.faults.n5xx++
	}
	if k == FaultSecondary || k == FaultSecondary429 {
		ts.retryUntil = now.Add(time.Second)
	}
	s.mu.Unlock()
	switch k {
	case Fault5xx:
		setRateHeaders(w.Header(), rt)
		if n5xx%2 == 0 {
			writeJSON(w, http.StatusBadGateway, obj{"message": "Server Error"})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<html><body><h1>503 Service Unavailable</h1>\nNo server is currently available " +
			"to service your request. Sorry about that. Please try resubmitting your request and contact us if " +
			"the problem persists.\n</body></html>\n"))
	case FaultSecondary, FaultSecondary429:
		setRateHeaders(w.Header(), rt)
		w.Header().Set("Retry-After", "1")
		code := http.StatusForbidden
		if k == FaultSecondary429 {
			code = http.StatusTooManyRequests
		}
		writeJSON(w, code, obj{
			"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
				"If you reach out to GitHub Support for help, please include the request ID.",
			"documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		})
	case FaultReset:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		w.reset()
		_ = conn.Close()
	}
}

// writeTruncated sends status 200 with the headers already set, the full
// Content-Length and half of body, then closes the connection.
func (s *Server) writeTruncated(w *recorder, body []byte) {
	s.mu.Lock()
	s.stats.Faults[FaultTruncated]++
	s.mu.Unlock()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	rc := http.NewResponseController(w)
	_ = rc.Flush() // the half body leaves the server's buffers
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
