// Package api is contribtrack's HTTP interface: the JSON API under
// /api/v1 (the same questions and answers as the CLI), health and
// readiness probes, and the Prometheus metrics endpoint. Every parameter
// is validated, unknown parameters are refused, and answers are cached
// only for as long as the data they were computed from is current.
package api

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"contribtrack/internal/chversion"
	"contribtrack/internal/community"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/report"
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

// answer is what an endpoint returns: a body and its content type.
type answer struct {
	contentType string
	body        []byte
	filename    string // for downloads (CSV)
}

// endpoint answers one kind of question: parse checks the request's
// parameters without touching the database (a *badParameter error is a
// 400), answer computes the answer.
type endpoint struct {
	parse  func(q url.Values, r *http.Request) (question, error)
	answer func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error)
	// uncached answers change without the data version changing (they
	// depend on the clock or on sync checkpoints).
	uncached bool
	// questions is how many ClickHouse questions answer asks at once at
	// most (0: one): the turns it takes from the limiter.
	questions int
}

// question is what parse read: the leaderboard query plus the endpoint's
// own parameters.
type question struct {
	login  string // profile: whose
	query  leaderboard.Query
	format string // leaderboard: json or csv; reports: a report format
	by     string // share: what to group by
	report report.Request
}

// api wraps an endpoint: bearer token, parameters, timeout, cache, errors
// as JSON.
func (s *Server) api(e endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="contribtrack"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "a valid bearer token is required", "")
			return
		}
		values, err := parseQuery(r.URL.RawQuery)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		q, err := e.parse(values, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
		defer cancel()
		version, err := s.version.get(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		key := version.String() + " " + r.URL.Path + "?" + values.Encode()
		if e.uncached {
			a, err := s.compute(ctx, e, q, version, "")
			if err != nil {
				s.fail(w, r, err)
				return
			}
			write(w, r, a, "none")
			return
		}
		if a, ok := s.cache.get(key); ok {
			write(w, r, a, "hit")
			return
		}
		var a answer
		if s.version.perRequest() {
			a, err = s.compute(ctx, e, q, version, key) // as before, for comparisons
		} else {
			a, err = s.computeOnce(ctx, e, q, version, key)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		write(w, r, a, "miss")
	})
}

// computed is what a computation of a cacheable answer gives its waiters.
type computed struct {
	answer answer
	err    error
}

// computeOnce computes a cacheable answer, once for all the requests that
// ask the same question at the same version at the same time: when many
// dashboards ask it as the version changes, ClickHouse answers it once.
// A request whose computation was cut short by another request going away
// computes the answer itself.
func (s *Server) computeOnce(ctx context.Context, e endpoint, q question, version store.DataVersion, key string) (answer, error) {
	s.waiters.Add(1)
	defer s.waiters.Add(-1)
	for attempt := 0; ; attempt++ {
		ch := s.flight.DoChan(key, func() (v any, _ error) {
			// It runs in a goroutine of its own: a panic there would
			// escape ServeHTTP's recover.
			defer func() {
				if p := recover(); p != nil {
					s.log.Error("api: panic", "question", key, "panic", p)
					v = computed{err: errInternal}
				}
			}()
			a, err := s.compute(ctx, e, q, version, key)
			return computed{a, err}, nil
		})
		select {
		case <-ctx.Done():
			return answer{}, ctx.Err()
		case res := <-ch:
			c := res.Val.(computed)
			if c.err != nil && res.Shared && attempt == 0 && ctx.Err() == nil &&
				(errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded)) {
				continue // the request that computed went away: ours has not
			}
			return c.answer, c.err
		}
	}
}

// compute asks ClickHouse for an answer at version, in its turn, and
// caches it under key when it is exact at that version ("": not cached).
func (s *Server) compute(ctx context.Context, e endpoint, q question, version store.DataVersion, key string) (answer, error) {
	release, err := s.limit.acquire(ctx, e.questions)
	if err != nil {
		return answer{}, err
	}
	defer release()
	settings, err := s.scoring(ctx, version)
	if err != nil {
		return answer{}, err
	}
	if err := needsRoster(q.query, settings); err != nil {
		return answer{}, err
	}
	if err := leaderboard.CheckNames(ctx, s.opts.Store, q.query, settings); err != nil {
		return answer{}, err
	}
	a, err := e.answer(ctx, q, settings)
	if err != nil || key == "" {
		return a, err
	}
	if s.afterAnswer != nil {
		s.afterAnswer()
	}
	if s.exactAt(ctx, version) {
		s.cache.put(key, a)
	}
	return a, nil
}

// exactAt reports whether an answer computed after the data version was
// read as version is the answer at that version, and may be cached under
// it: the version must not have changed since. (Versions change with
// every write and never come back, so the same version read before and
// after means no write in between.) The version read is kept in memory
// when it is newer. When every request reads the version, an answer is
// cached under the version its request read, as before.
func (s *Server) exactAt(ctx context.Context, version store.DataVersion) bool {
	if s.version.perRequest() {
		return true
	}
	now, err := s.version.observe(ctx)
	return err == nil && now == version
}

// authorized checks the bearer token (in constant time).
func (s *Server) authorized(r *http.Request) bool {
	if s.opts.Token == "" {
		return true
	}
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.Token)) == 1
}

// scoring returns the scoring settings for the data version: the roster's
// people are read again only when a roster was imported.
func (s *Server) scoring(ctx context.Context, version store.DataVersion) (leaderboard.Settings, error) {
	s.settingsMu.Lock()
	defer s.settingsMu.Unlock()
	if s.settingsRead && s.settingsVersion.Roster == version.Roster {
		return s.settings, nil
	}
	st, err := leaderboard.LoadSettings(ctx, s.opts.Store, s.opts.Rules)
	if err != nil {
		return leaderboard.Settings{}, err
	}
	s.settings, s.settingsVersion, s.settingsRead = st, version, true
	return st, nil
}

func write(w http.ResponseWriter, r *http.Request, a answer, cache string) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Contribtrack-Cache", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	if a.filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+a.filename+`"`)
	}
	if strings.HasPrefix(a.contentType, "text/html") {
		// Reports are self-contained: nothing to load, nothing to run.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}

// fail answers an error: 400 for a bad parameter, 404 for a name nothing
// knows, 429 when too many questions wait already, 504 for a timeout, 503
// when the database cannot answer.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bp *badParameter
	var unknownName *leaderboard.UnknownNameError
	switch {
	case errors.Is(err, errInternal):
		writeError(w, http.StatusInternalServerError, "internal", "internal error", "")
	case errors.Is(err, errNotFound):
		writeError(w, http.StatusNotFound, "not_found", "no contributor with that login in the period", "")
	case errors.As(err, &unknownName):
		writeError(w, http.StatusNotFound, "unknown_name", unknownName.Error(), unknownName.Parameter)
	case errors.As(err, &bp):
		writeError(w, http.StatusBadRequest, "bad_parameter", bp.Message, bp.Parameter)
	case errors.Is(err, errOverloaded):
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeError(w, http.StatusTooManyRequests, "overloaded",
			fmt.Sprintf("too many questions at once; try again in %d s", retryAfterSeconds), "")
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "timeout", fmt.Sprintf("the answer took longer than %s", s.opts.Timeout), "")
	case errors.Is(err, context.Canceled):
		// The client went away: nobody to answer.
	default:
		s.log.Error("api: request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the database could not answer; try again later", "")
	}
}

// errNotFound is a 404 answer.
var errNotFound = errors.New("not found")

// errInternal is a 500 answer (a panic, logged where it happened).
var errInternal = errors.New("internal error")

type errorBody struct {
	Error     string `json:"error"`
	Message   string `json:"message"`
	Parameter string `json:"parameter,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, message, parameter string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: code, Message: message, Parameter: parameter})
}

func jsonAnswer(v any) (answer, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return answer{}, err
	}
	return answer{contentType: "application/json", body: b.Bytes()}, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	a, _ := jsonAnswer(map[string]string{"status": "ok"})
	write(w, r, a, "none")
}

// readyTimeout bounds the readiness check.
const readyTimeout = 3 * time.Second

// readyz answers 200 when ClickHouse answers and the schema is current.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.opts.Store.CheckSchema(ctx); err != nil {
		s.log.Warn("api: not ready", "err", err)
		msg := "ClickHouse is unreachable or its schema is not current"
		if errors.Is(err, store.ErrServerTooOld) {
			// Names the two releases: nothing secret, and what to fix.
			msg = fmt.Sprintf("ClickHouse %s is older than %s, the oldest release contribtrack supports",
				s.opts.Store.ServerVersion(), chversion.MinSupported)
		}
		writeError(w, http.StatusServiceUnavailable, "not_ready", msg, "")
		return
	}
	// On a cluster, every node's reachability; not ready while a shard has
	// no node answering (queries would fail).
	nodes, err := s.opts.Store.Nodes(ctx)
	if err != nil {
		s.log.Warn("api: not ready", "err", err)
		writeError(w, http.StatusServiceUnavailable, "not_ready", "the cluster's nodes could not be listed", "")
		return
	}
	body := readiness{Status: "ready", Nodes: nodes}
	status := http.StatusOK
	if down := store.ShardsDown(nodes); len(down) > 0 {
		status, body.Status = http.StatusServiceUnavailable, "not_ready"
		body.Message = fmt.Sprintf("no node of shard %v answers", down)
		s.log.Warn("api: not ready", "shards_down", down)
	}
	a, _ := jsonAnswer(body)
	if status != http.StatusOK {
		w.Header().Set("Content-Type", a.contentType)
		w.WriteHeader(status)
		_, _ = w.Write(a.body)
		return
	}
	write(w, r, a, "none")
}

// readiness is /readyz's answer.
type readiness struct {
	Status  string             `json:"status"`
	Message string             `json:"message,omitempty"`
	Nodes   []store.NodeStatus `json:"nodes,omitempty"` // on a cluster
}

// leaderboardEndpoint answers /api/v1/leaderboard: the CLI's leaderboard,
// in its JSON (default) or CSV form.
func (s *Server) leaderboardEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, append(slices.Clone(queryParams), "limit", "format")...)
			q := question{query: p.query()}
			q.query.Limit = p.integer("limit", 20, 1, leaderboard.MaxLimit)
			q.format = p.choice("format", "json", []string{"json", "csv"})
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			entries, err := leaderboard.Compute(ctx, s.opts.Store, q.query, settings)
			if err != nil {
				return answer{}, err
			}
			var b bytes.Buffer
			if err := leaderboard.Write(&b, q.format, entries, q.query.Kinds, false); err != nil {
				return answer{}, err
			}
			if q.format == "csv" {
				return answer{contentType: "text/csv; charset=utf-8", body: b.Bytes(), filename: "leaderboard.csv"}, nil
			}
			return answer{contentType: "application/json", body: b.Bytes()}, nil
		},
	}
}

// shareEndpoint answers /api/v1/share: the CLI's share --format json.
func (s *Server) shareEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			// Share splits by affiliation itself: no affiliation filter,
			// as in the CLI.
			known := slices.DeleteFunc(slices.Clone(queryParams), func(n string) bool { return n == "affiliation" })
			p := newParams(v, append(known, "by")...)
			q := question{query: p.query()}
			q.query.Limit = 1 // not used
			q.by = p.choice("by", "affiliation", store.ShareGroupings)
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			if q.by != "affiliation" && settings.Roster == 0 {
				return answer{}, bad("by", "grouping by %s needs a roster (contribtrack roster import)", q.by)
			}
			classes, err := leaderboard.ComputeShare(ctx, s.opts.Store, q.query, settings, q.by)
			if err != nil {
				return answer{}, err
			}
			if classes == nil {
				classes = []leaderboard.ClassShare{}
			}
			return jsonAnswer(classes)
		},
	}
}

// Project is one repository or org in /api/v1/projects.
type Project struct {
	Name               string  `json:"name"` // owner/name, or the org
	Contributions      uint64  `json:"contributions"`
	ActiveContributors uint64  `json:"active_contributors"`
	Score              float64 `json:"score"`
	FirstContribution  string  `json:"first_contribution"`  // YYYY-MM-DD
	LatestContribution string  `json:"latest_contribution"` // YYYY-MM-DD
}

// projectsEndpoint answers /api/v1/projects: every repository (by=org:
// org) with contributions in the period, most first, with the same
// filters as the leaderboard.
func (s *Server) projectsEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, append(slices.Clone(queryParams), "by")...)
			q := question{query: p.query()}
			q.query.Limit = 1 // not used
			q.by = p.choice("by", "repo", []string{"repo", "org"})
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			f, err := leaderboard.Filter(q.query, settings)
			if err != nil {
				return answer{}, bad("", "%v", err)
			}
			ps, err := s.opts.Store.Projects(ctx, f, q.by == "org")
			if err != nil {
				return answer{}, err
			}
			out := make([]Project, len(ps))
			for i, p := range ps {
				out[i] = Project{Name: p.Name, Contributions: p.Contributions, ActiveContributors: p.People, Score: p.Score,
					FirstContribution: p.First.UTC().Format(time.DateOnly), LatestContribution: p.Last.UTC().Format(time.DateOnly)}
			}
			return jsonAnswer(out)
		},
	}
}

// projectMetricsEndpoint answers /api/v1/projects/metrics: a project's
// community metrics for a period (org or repo; everything stored when
// neither is given).
func (s *Server) projectMetricsEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, queryParams...)
			q := question{query: p.query()}
			q.query.Limit = 1 // not used
			if p.err == nil && q.query.Org != "" && q.query.Repo != "" {
				p.fail(bad("repo", "give org or repo, not both"))
			}
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			m, err := community.Compute(ctx, s.opts.Store, q.query, settings)
			if err != nil {
				return answer{}, err
			}
			return jsonAnswer(m)
		},
		questions: metricsQuestions,
	}
}

// metricsQuestions is how many ClickHouse questions community.Compute
// asks at once at most.
const metricsQuestions = 5

// RepoSync is one repository in /api/v1/sync.
type RepoSync struct {
	Repo string `json:"repo"`
	// LastSync is when every resource was last in sync (null: never), and
	// LagSeconds how long ago that was.
	LastSync   *time.Time       `json:"last_sync"`
	LagSeconds *float64         `json:"lag_seconds"`
	Resources  []ResourceStatus `json:"resources"`
}

// ResourceStatus is one resource of a repository in /api/v1/sync.
type ResourceStatus struct {
	Resource    string    `json:"resource"`
	SyncedAt    time.Time `json:"synced_at"` // when it last changed and was fetched
	GitHubTotal uint64    `json:"github_total,omitempty"`
	Kind        string    `json:"kind,omitempty"`
	Stored      uint64    `json:"stored,omitempty"`
	// Completeness is stored / github_total, when GitHub reports a total
	// for a kind contribtrack stores.
	Completeness *float64 `json:"completeness,omitempty"`
}

// syncEndpoint answers /api/v1/sync: every tracked repository's last
// successful sync, lag, and stored contributions against GitHub's totals.
func (s *Server) syncEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			if p := newParams(v); p.err != nil {
				return question{}, p.err
			}
			return question{}, nil
		},
		answer: func(ctx context.Context, _ question, _ leaderboard.Settings) (answer, error) {
			repos, err := s.opts.Store.SyncStatus(ctx)
			if err != nil {
				return answer{}, err
			}
			now := time.Now()
			out := make([]RepoSync, 0, len(repos))
			for _, r := range repos {
				rs := RepoSync{Repo: r.RepoName, Resources: []ResourceStatus{}}
				if !r.LastSync.IsZero() {
					last, lag := r.LastSync.UTC(), now.Sub(r.LastSync).Seconds()
					rs.LastSync, rs.LagSeconds = &last, &lag
				}
				for _, res := range r.Resources {
					st := ResourceStatus{Resource: res.Resource, SyncedAt: res.SyncedAt.UTC(), GitHubTotal: res.GitHubTotal, Kind: res.Kind, Stored: res.Stored}
					if res.Kind != "" && res.GitHubTotal > 0 {
						c := float64(res.Stored) / float64(res.GitHubTotal)
						st.Completeness = &c
					}
					rs.Resources = append(rs.Resources, st)
				}
				out = append(out, rs)
			}
			return jsonAnswer(out)
		},
		uncached: true,
	}
}

// needsRoster refuses roster filters when no roster was imported.
func needsRoster(q leaderboard.Query, settings leaderboard.Settings) error {
	if settings.Roster != 0 {
		return nil
	}
	for _, f := range []struct{ name, value string }{
		{"program", q.Program}, {"category", q.Category}, {"group", q.Group}, {"region", q.Region}, {"country", q.Country},
	} {
		if f.value != "" {
			return bad(f.name, "needs a roster (contribtrack roster import)")
		}
	}
	return nil
}
