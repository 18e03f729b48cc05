package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"contribtrack/internal/leaderboard"
	"contribtrack/internal/report"
	"contribtrack/internal/store"
)

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

func jsonAnswer(v any) (answer, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return answer{}, err
	}
	return answer{contentType: "application/json", body: b.Bytes()}, nil
}
