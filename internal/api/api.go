// Package api is contribtrack's HTTP interface: the JSON API under
// /api/v1 (the same questions and answers as the CLI), health and
// readiness probes, and the Prometheus metrics endpoint. Every parameter
// is validated, unknown parameters are refused, and answers are cached
// only for as long as the data they were computed from is current.
package api

import (
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// Options configure the API.
type Options struct {
	Store *store.Store
	Rules leaderboard.Rules // weights and bot rules from the configuration
	// Projects are the configuration's projects, for reports: sets of
	// orgs and repositories by name.
	Projects map[string][]string
	// Token, when set, is the bearer token every /api/ request must carry
	// (for deployments whose roster is private). Probes and /metrics stay
	// open.
	Token string
	// CORSOrigins are the browser origins allowed to call the API ("*" for
	// any); none: no CORS headers at all.
	CORSOrigins []string
	// Timeout bounds one request's work; default 30 s.
	Timeout time.Duration
	// Metrics serves /metrics (nil: not found).
	Metrics http.Handler
	// CacheEntries is how many answers are kept; default 256, negative
	// turns the cache off.
	CacheEntries int
	// VersionRefresh is how often the data version is read from ClickHouse
	// into memory, where requests find it (default DefaultVersionRefresh).
	// Call RefreshVersion after writing to make it current at once.
	// Negative: every request reads it, and computes its answer alone (the
	// behaviour before, for comparisons).
	VersionRefresh time.Duration
	// MaxQueries bounds the ClickHouse questions asked at once for API
	// requests (default DefaultMaxQueries(); negative: no bound). A request
	// takes one turn per question it asks in parallel; the connection
	// pool needs at least this many connections.
	MaxQueries int
	// MaxQueued bounds the requests waiting for a turn (default
	// DefaultMaxQueued; negative: none wait). Beyond it a request is
	// answered 429 at once, with Retry-After; so is one that waited half
	// of Timeout, which leaves it the other half to be answered in.
	MaxQueued int
	Logger    *slog.Logger
}

// Defaults of Options.
const (
	DefaultVersionRefresh = time.Second
	DefaultMaxQueued      = 256
)

// DefaultMaxQueries is the default bound of ClickHouse questions asked at
// once: twice the CPUs this process may use (its container's share), at
// least 4. That suits a ClickHouse running beside it (the embedded server,
// the Docker stack); more questions at once than its cores make every
// question slower, and leave the cores' time to ClickHouse's threads
// rather than to the answers from the cache. A ClickHouse elsewhere wants
// about twice its own cores (serve.max_concurrent_queries).
func DefaultMaxQueries() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// Questions is the most ClickHouse questions one API request asks at
// once (a report's): a connection pool of MaxQueries connections is
// enough for the API as long as MaxQueries is at least this.
const Questions = reportQuestions

// maxCachedAnswer bounds the size of one cached answer.
const maxCachedAnswer = 4 << 20

// Server answers HTTP requests.
type Server struct {
	opts  Options
	log   *slog.Logger
	cache *answerCache
	mux   *http.ServeMux

	version *versionKeeper
	limit   *limiter
	flight  singleflight.Group // computations of cacheable answers in progress, by cache key
	waiters atomic.Int64       // requests waiting for one of them

	settingsMu      sync.Mutex
	settings        leaderboard.Settings
	settingsVersion store.DataVersion
	settingsRead    bool // settings were read (at settingsVersion)

	// afterAnswer, when set, runs after an answer is computed and before
	// it is cached (tests).
	afterAnswer func()
}

// New returns the API server.
func New(o Options) *Server {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.CacheEntries == 0 {
		o.CacheEntries = 256
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.VersionRefresh == 0 {
		o.VersionRefresh = DefaultVersionRefresh
	}
	if o.MaxQueries == 0 {
		o.MaxQueries = DefaultMaxQueries()
	}
	if o.MaxQueued == 0 {
		o.MaxQueued = DefaultMaxQueued
	}
	s := &Server{opts: o, log: o.Logger, cache: newAnswerCache(o.CacheEntries, maxCachedAnswer), mux: http.NewServeMux(),
		version: newVersionKeeper(o.Store.DataVersion, o.VersionRefresh, o.Logger), limit: newLimiter(o.MaxQueries, o.MaxQueued, o.Timeout/2)}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if o.Metrics != nil {
		s.mux.Handle("GET /metrics", o.Metrics)
	}
	s.mux.Handle("GET /api/v1/leaderboard", s.api(s.leaderboardEndpoint()))
	s.mux.Handle("GET /api/v1/share", s.api(s.shareEndpoint()))
	s.mux.Handle("GET /api/v1/projects", s.api(s.projectsEndpoint()))
	s.mux.Handle("GET /api/v1/projects/metrics", s.api(s.projectMetricsEndpoint()))
	s.mux.Handle("GET /api/v1/sync", s.api(s.syncEndpoint()))
	s.mux.Handle("GET /api/v1/contributors/{login}", s.api(s.profileEndpoint()))
	s.mux.Handle("GET /api/v1/contributors/{login}/score", s.api(s.scoreEndpoint()))
	s.mux.Handle("GET /api/v1/reports", s.api(s.reportsEndpoint()))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no such endpoint: %s %s", r.Method, r.URL.Path), "")
	})
	return s
}

// RefreshVersion reads the data version from ClickHouse into memory now:
// call it after this process stored contributions, refreshed the rollup
// or imported a roster, so that the next request answers with them rather
// than at the version read last (up to VersionRefresh ago).
func (s *Server) RefreshVersion(ctx context.Context) error {
	if s.version.perRequest() {
		return nil
	}
	_, err := s.version.observe(ctx)
	return err
}

// Close stops the background refresh of the data version. Requests
// answered after it keep the version last read.
func (s *Server) Close() { s.version.close() }

// ServeHTTP answers a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("api: panic", "path", r.URL.Path, "panic", v)
			writeError(w, http.StatusInternalServerError, "internal", "internal error", "")
		}
	}()
	if !s.cors(w, r) {
		return
	}
	// GET requests carry no body: refuse one rather than read it.
	if r.ContentLength > 0 || len(r.TransferEncoding) > 0 {
		writeError(w, http.StatusRequestEntityTooLarge, "body_not_accepted", "requests take no body", "")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed: use GET", "")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// cors answers preflight requests and sets the CORS headers for allowed
// origins. It reports whether the request goes on.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	allowed := origin != "" && (slices.Contains(s.opts.CORSOrigins, "*") || slices.Contains(s.opts.CORSOrigins, origin))
	if len(s.opts.CORSOrigins) > 0 {
		// Answers differ by origin: shared caches must not mix them.
		w.Header().Add("Vary", "Origin")
	}
	if allowed {
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		if !allowed {
			writeError(w, http.StatusForbidden, "cors", "origin not allowed", "")
			return false
		}
		w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	return true
}

// authorized checks the bearer token (in constant time).
func (s *Server) authorized(r *http.Request) bool {
	if s.opts.Token == "" {
		return true
	}
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.Token)) == 1
}
