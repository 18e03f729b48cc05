package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/api"
	"contribtrack/internal/chversion"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// fakeMetrics stands in for the Prometheus handler.
var fakeMetrics = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	_, _ = io.WriteString(w, "contribtrack_up 1\n")
})

const lbPath = "/api/v1/leaderboard?" + okPeriod

func TestBearerToken(t *testing.T) {
	const token = "s3cret-T0ken-value-for-tests"
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{Token: token, Metrics: fakeMetrics, CORSOrigins: []string{"https://dash.example"}})

	var all []response // every answer, to look for the token in
	send := func(method, path string, header map[string]string) response {
		t.Helper()
		r := do(t, method, base+path, header, nil)
		all = append(all, r)
		return r
	}
	unauthorized := func(name string, r response) {
		t.Helper()
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401: %s", name, r.status, r.body)
			return
		}
		if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q, want a Bearer challenge", name, got)
		}
		if strings.HasPrefix(name, "HEAD") {
			if len(r.body) != 0 {
				t.Errorf("%s: a body in the answer to a HEAD", name)
			}
			return
		}
		if e := decodeError(t, r); e.Error != "unauthorized" || e.Parameter != "" {
			t.Errorf("%s: error %+v", name, e)
		}
	}
	auth := func(v string) map[string]string { return map[string]string{"Authorization": v} }

	for _, path := range []string{lbPath, "/api/v1/share?" + okPeriod} {
		unauthorized(path+" without a token", send("GET", path, nil))
		unauthorized("HEAD "+path+" without a token", send("HEAD", path, nil))
		unauthorized(path+" with a wrong token", send("GET", path, auth("Bearer wrong")))
		unauthorized(path+" with a prefix of the token", send("GET", path, auth("Bearer "+token[:len(token)-1])))
		unauthorized(path+" with the token and more", send("GET", path, auth("Bearer "+token+"x")))
		unauthorized(path+" with the token and no scheme", send("GET", path, auth(token)))
		unauthorized(path+" with the token as Basic", send("GET", path, auth("Basic "+token)))
		unauthorized(path+" with an empty bearer", send("GET", path, auth("Bearer ")))
		if r := send("GET", path, auth("Bearer "+token)); r.status != http.StatusOK {
			t.Errorf("%s with the token: status %d: %s", path, r.status, r.body)
		}
	}
	// The token is checked before the parameters: a caller without it
	// learns nothing about them.
	unauthorized("bad parameters without a token", send("GET", "/api/v1/leaderboard?lmit=5", nil))
	if r := send("GET", "/api/v1/leaderboard?lmit=5", auth("Bearer "+token)); r.status != http.StatusBadRequest {
		t.Errorf("bad parameters with the token: status %d", r.status)
	}
	// A cached answer is not a way around the token.
	if r := send("GET", lbPath, auth("Bearer "+token)); r.header.Get("X-Contribtrack-Cache") != "hit" {
		t.Errorf("second request with the token: cache %q, want hit", r.header.Get("X-Contribtrack-Cache"))
	}
	unauthorized("a cached question without a token", send("GET", lbPath, nil))
	// A browser can read the refusal.
	r := send("GET", lbPath, map[string]string{"Origin": "https://dash.example"})
	unauthorized("from an allowed origin", r)
	if r.header.Get("Access-Control-Allow-Origin") != "https://dash.example" {
		t.Errorf("401 to an allowed origin: no Access-Control-Allow-Origin")
	}
	// Preflights carry no credentials.
	if r := send("OPTIONS", lbPath, map[string]string{"Origin": "https://dash.example", "Access-Control-Request-Method": "GET",
		"Access-Control-Request-Headers": "authorization"}); r.status != http.StatusNoContent {
		t.Errorf("preflight with a token configured: status %d", r.status)
	}

	// Probes and metrics stay open.
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if r := send("GET", path, nil); r.status != http.StatusOK {
			t.Errorf("%s without a token: status %d: %s", path, r.status, r.body)
		}
	}
	if r := send("GET", "/metrics", nil); string(r.body) != "contribtrack_up 1\n" {
		t.Errorf("/metrics: %q, want the metrics handler's answer", r.body)
	}

	for i, r := range all {
		if strings.Contains(string(r.body), token) {
			t.Errorf("answer %d (status %d) has the token in its body", i, r.status)
		}
		for name, vs := range r.header {
			for _, v := range vs {
				if strings.Contains(v, token) {
					t.Errorf("answer %d has the token in header %s", i, name)
				}
			}
		}
	}
}

func TestNoTokenNoAuth(t *testing.T) {
	e := newEnv(t)
	base := e.serve(t, api.Options{})
	for _, path := range []string{lbPath, "/api/v1/share?" + okPeriod, "/healthz", "/readyz"} {
		r := get(t, base+path)
		if r.status != http.StatusOK || r.header.Get("WWW-Authenticate") != "" {
			t.Errorf("%s: status %d, WWW-Authenticate %q", path, r.status, r.header.Get("WWW-Authenticate"))
		}
	}
	// An Authorization header is not needed, nor refused.
	if r := do(t, "GET", base+lbPath, map[string]string{"Authorization": "Bearer whatever"}, nil); r.status != http.StatusOK {
		t.Errorf("with an unneeded token: status %d", r.status)
	}
	// Without a metrics handler there is no /metrics.
	if r := get(t, base+"/metrics"); r.status != http.StatusNotFound {
		t.Errorf("/metrics without a handler: status %d", r.status)
	}
}

// accessControl returns the response's Access-Control-* headers.
func accessControl(h http.Header) map[string]string {
	out := map[string]string{}
	for name, vs := range h {
		if strings.HasPrefix(name, "Access-Control-") {
			out[name] = strings.Join(vs, ",")
		}
	}
	return out
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	const allowed, other = "https://dash.example", "https://evil.example"
	preflight := func(origin, method string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": method}
	}

	t.Run("no origins configured", func(t *testing.T) {
		base := e.serve(t, api.Options{})
		for _, path := range []string{lbPath, "/healthz", "/nope"} {
			r := do(t, "GET", base+path, map[string]string{"Origin": allowed}, nil)
			if ac := accessControl(r.header); len(ac) != 0 {
				t.Errorf("GET %s: CORS headers %v", path, ac)
			}
		}
		r := do(t, "OPTIONS", base+lbPath, preflight(allowed, "GET"), nil)
		if r.status != http.StatusForbidden || len(accessControl(r.header)) != 0 {
			t.Errorf("preflight: status %d, headers %v; want 403 without CORS headers", r.status, accessControl(r.header))
		}
	})

	t.Run("one origin", func(t *testing.T) {
		base := e.serve(t, api.Options{CORSOrigins: []string{allowed}})
		for _, path := range []string{lbPath, "/api/v1/share?" + okPeriod, "/healthz"} {
			r := do(t, "GET", base+path, map[string]string{"Origin": allowed}, nil)
			if r.status != http.StatusOK || r.header.Get("Access-Control-Allow-Origin") != allowed {
				t.Errorf("GET %s from %s: status %d, Allow-Origin %q", path, allowed, r.status, r.header.Get("Access-Control-Allow-Origin"))
			}
			if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Origin") {
				t.Errorf("GET %s from %s: Vary %q, want Origin", path, allowed, r.header.Values("Vary"))
			}
			r = do(t, "GET", base+path, map[string]string{"Origin": other}, nil)
			if r.status != http.StatusOK {
				t.Errorf("GET %s from %s: status %d (CORS is the browser's to enforce)", path, other, r.status)
			}
			if ac := accessControl(r.header); len(ac) != 0 {
				t.Errorf("GET %s from %s: CORS headers %v", path, other, ac)
			}
			r = get(t, base+path)
			if ac := accessControl(r.header); len(ac) != 0 {
				t.Errorf("GET %s without an origin: CORS headers %v", path, ac)
			}
		}
		// Errors carry the header too, so that the page can show them.
		r := do(t, "GET", base+"/api/v1/leaderboard?lmit=1", map[string]string{"Origin": allowed}, nil)
		if r.status != http.StatusBadRequest || r.header.Get("Access-Control-Allow-Origin") != allowed {
			t.Errorf("400 to %s: status %d, Allow-Origin %q", allowed, r.status, r.header.Get("Access-Control-Allow-Origin"))
		}

		r = do(t, "OPTIONS", base+lbPath, preflight(allowed, "GET"), nil)
		if r.status != http.StatusNoContent || len(r.body) != 0 {
			t.Errorf("preflight from %s: status %d, body %q; want 204, empty", allowed, r.status, r.body)
		}
		if got := r.header.Get("Access-Control-Allow-Origin"); got != allowed {
			t.Errorf("preflight Allow-Origin %q", got)
		}
		if got := r.header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "GET") || strings.Contains(got, "POST") {
			t.Errorf("preflight Allow-Methods %q", got)
		}
		if got := r.header.Get("Access-Control-Allow-Headers"); !strings.Contains(strings.ToLower(got), "authorization") {
			t.Errorf("preflight Allow-Headers %q, want Authorization", got)
		}
		r = do(t, "OPTIONS", base+lbPath, preflight(other, "GET"), nil)
		if r.status != http.StatusForbidden || len(accessControl(r.header)) != 0 {
			t.Errorf("preflight from %s: status %d, headers %v; want 403 without CORS headers", other, r.status, accessControl(r.header))
		}
		if e := decodeError(t, r); e.Error != "cors" {
			t.Errorf("preflight from %s: error %+v", other, e)
		}
		// A preflight without an origin is not allowed either.
		r = do(t, "OPTIONS", base+lbPath, map[string]string{"Access-Control-Request-Method": "GET"}, nil)
		if r.status != http.StatusForbidden {
			t.Errorf("preflight without an origin: status %d", r.status)
		}
		// An OPTIONS that is not a preflight is a method not allowed.
		r = do(t, "OPTIONS", base+lbPath, map[string]string{"Origin": allowed}, nil)
		if r.status != http.StatusMethodNotAllowed {
			t.Errorf("OPTIONS without Access-Control-Request-Method: status %d", r.status)
		}
		// Origins are compared exactly.
		for _, o := range []string{"https://dash.example.evil.example", "http://dash.example", "https://DASH.example", "null"} {
			r := do(t, "GET", base+lbPath, map[string]string{"Origin": o}, nil)
			if got := r.header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("origin %q: Allow-Origin %q", o, got)
			}
		}
	})

	t.Run("any origin", func(t *testing.T) {
		base := e.serve(t, api.Options{CORSOrigins: []string{"*"}})
		r := do(t, "GET", base+lbPath, map[string]string{"Origin": other}, nil)
		if got := r.header.Get("Access-Control-Allow-Origin"); got != other {
			t.Errorf("Allow-Origin %q, want %q echoed", got, other)
		}
		r = do(t, "OPTIONS", base+lbPath, preflight(other, "GET"), nil)
		if r.status != http.StatusNoContent {
			t.Errorf("preflight: status %d", r.status)
		}
		if r := get(t, base+lbPath); len(accessControl(r.header)) != 0 {
			t.Errorf("no Origin: CORS headers %v", accessControl(r.header))
		}
	})
}

func TestMethodsAndBodies(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{})

	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE", "TRACE"} {
		for _, path := range []string{lbPath, "/healthz", "/nope"} {
			r := do(t, m, base+path, nil, nil)
			if r.status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d, want 405", m, path, r.status)
				continue
			}
			if allow := r.header.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", m, path, allow)
			}
			if e := decodeError(t, r); e.Error != "method_not_allowed" {
				t.Errorf("%s %s: %+v", m, path, e)
			}
		}
	}

	// A GET with a body, of a known length or chunked.
	for name, body := range map[string]io.Reader{
		"sized":   strings.NewReader(`{"from":"2024-01-01"}`),
		"chunked": io.MultiReader(strings.NewReader("x")), // no length known: chunked
	} {
		r := do(t, "GET", base+lbPath, nil, body)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("GET with a %s body: status %d, want 413", name, r.status)
			continue
		}
		if e := decodeError(t, r); e.Error != "body_not_accepted" {
			t.Errorf("GET with a %s body: %+v", name, e)
		}
	}

	// Unknown paths.
	for _, path := range []string{"/", "/api", "/api/v1", "/api/v1/leaderboards", "/api/v1/leaderboard/", "/api/v2/leaderboard?" + okPeriod, "/healthz/x"} {
		r := get(t, base+path)
		if r.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.status)
			continue
		}
		if e := decodeError(t, r); e.Error != "not_found" {
			t.Errorf("GET %s: %+v", path, e)
		}
	}

	// HEAD answers the headers of the GET, without its body.
	g := get(t, base+lbPath)
	for _, path := range []string{lbPath, "/api/v1/leaderboard?" + okPeriod + "&format=csv", "/api/v1/share?" + okPeriod, "/healthz", "/readyz"} {
		r := do(t, "HEAD", base+path, nil, nil)
		if r.status != http.StatusOK || len(r.body) != 0 {
			t.Errorf("HEAD %s: status %d, %d bytes of body", path, r.status, len(r.body))
		}
		if r.header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s: no Content-Type", path)
		}
	}
	if r := do(t, "HEAD", base+lbPath, nil, nil); r.header.Get("Content-Type") != g.header.Get("Content-Type") || r.header.Get("X-Contribtrack-Cache") != "hit" {
		t.Errorf("HEAD after GET: headers %v", r.header)
	}
	// A HEAD with bad parameters is refused like the GET (no body either).
	if r := do(t, "HEAD", base+"/api/v1/leaderboard?lmit=1", nil, nil); r.status != http.StatusBadRequest || len(r.body) != 0 {
		t.Errorf("HEAD with bad parameters: status %d, %d bytes", r.status, len(r.body))
	}
}

func TestProbes(t *testing.T) {
	e := newEnv(t)
	base := e.serve(t, api.Options{Metrics: fakeMetrics})
	r := get(t, base+"/healthz")
	status := func(r response) string {
		var v map[string]string
		if err := json.Unmarshal(r.body, &v); err != nil || len(v) != 1 {
			t.Errorf("probe body %q: want {\"status\": ...}", r.body)
		}
		return v["status"]
	}
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || status(r) != "ok" {
		t.Errorf("/healthz: %d %q", r.status, r.body)
	}
	r = get(t, base+"/readyz")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || status(r) != "ready" {
		t.Errorf("/readyz, migrated: %d %q", r.status, r.body)
	}

	ctx := context.Background()
	// A database that does not exist yet.
	dsn, _ := chtest.Database(t)
	missing, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { missing.Close() })
	// A database that exists, without the schema.
	dsn2, name2 := chtest.Database(t)
	if err := e.store.Conn().Exec(ctx, "CREATE DATABASE "+name2); err != nil {
		t.Fatal(err)
	}
	empty, err := store.Open(ctx, dsn2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { empty.Close() })

	for name, s := range map[string]*store.Store{"no database": missing, "no schema": empty} {
		base := e.serve(t, api.Options{Store: s, Metrics: fakeMetrics})
		if r := get(t, base+"/healthz"); r.status != http.StatusOK {
			t.Errorf("%s: /healthz %d: the process is up", name, r.status)
		}
		r := get(t, base+"/readyz")
		if r.status != http.StatusServiceUnavailable {
			t.Errorf("%s: /readyz %d, want 503: %s", name, r.status, r.body)
		} else if e := decodeError(t, r); e.Error != "not_ready" {
			t.Errorf("%s: /readyz %+v", name, e)
		}
		// The API cannot answer either, and says so without details.
		r = get(t, base+lbPath)
		if r.status != http.StatusServiceUnavailable {
			t.Errorf("%s: leaderboard %d, want 503: %s", name, r.status, r.body)
			continue
		}
		if e := decodeError(t, r); e.Error != "unavailable" || strings.Contains(e.Message, "ct_test_") || strings.Contains(e.Message, "clickhouse://") {
			t.Errorf("%s: leaderboard error %+v", name, e)
		}
		// Bad parameters are still a 400: they are read first.
		if r := get(t, base+"/api/v1/leaderboard?lmit=1"); r.status != http.StatusBadRequest {
			t.Errorf("%s: bad parameters: %d", name, r.status)
		}
		if r := get(t, base+"/metrics"); r.status != http.StatusOK {
			t.Errorf("%s: /metrics %d", name, r.status)
		}
	}
}

// A request whose time is up gets a JSON 504, not a hang or a panic; one
// whose client went away gets no answer.
func TestTimeouts(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	e.refresh(t)

	h := e.handler(t, api.Options{Timeout: time.Nanosecond})
	for _, path := range []string{lbPath, "/api/v1/share?" + okPeriod, "/api/v1/leaderboard?" + okPeriod + "&format=csv"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		r := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
		if r.status != http.StatusGatewayTimeout {
			t.Errorf("%s with a 1ns timeout: status %d, want 504: %s", path, r.status, r.body)
			continue
		}
		if e := decodeError(t, r); e.Error != "timeout" {
			t.Errorf("%s with a 1ns timeout: %+v", path, e)
		}
	}
	// The probes do not use the API's timeout.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("/readyz with a 1ns API timeout: %d", rec.Code)
	}

	// A request whose client went away (its context cancelled) gets no
	// answer, and leaves nothing in the cache.
	ok := e.handler(t, api.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec = httptest.NewRecorder()
	ok.ServeHTTP(rec, httptest.NewRequest("GET", lbPath, nil).WithContext(ctx))
	if rec.Code == http.StatusInternalServerError || rec.Body.Len() != 0 {
		t.Errorf("a cancelled request: status %d, body %q; want nothing written", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	ok.ServeHTTP(rec, httptest.NewRequest("GET", lbPath, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("X-Contribtrack-Cache") != "miss" {
		t.Errorf("after a cancelled request: status %d, cache %q; want a fresh answer", rec.Code, rec.Header().Get("X-Contribtrack-Cache"))
	}
}

// Many requests at once get the same answers (run with -race).
func TestConcurrentRequests(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{CacheEntries: 2})
	paths := []string{lbPath, lbPath + "&limit=1", lbPath + "&kind=commit", "/api/v1/share?" + okPeriod}
	want := map[string]string{}
	for _, p := range paths {
		want[p] = string(get(t, base+p).body)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := paths[i%len(paths)]
			resp, err := http.Get(base + p)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || string(b) != want[p] {
				errs <- p + ": status " + resp.Status + ": " + string(b)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// /readyz refuses a server older than the oldest supported release and
// names both releases.
func TestReadyzRefusesAnOldServer(t *testing.T) {
	e := newEnv(t)
	dsn, _, _ := chtest.LegacyDatabase(t)
	old, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { old.Close() })
	base := e.serve(t, api.Options{Store: old})
	r := get(t, base+"/readyz")
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("/readyz on %s: %d %q", old.ServerVersion(), r.status, r.body)
	}
	for _, want := range []string{"ClickHouse 18.16", "older than " + chversion.MinSupported.String()} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("/readyz body %q does not say %q", r.body, want)
		}
	}
}
