package githubtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

// obj is a JSON object as the server renders it.
type obj = map[string]any

const docsREST = "https://docs.github.com/rest"

// result is what a REST handler answers.
type result struct {
	status int
	body   any
	link   string
}

// restCtx is one REST request being served. Handlers run with the
// dataset's read lock held.
type restCtx struct {
	s    *Server
	r    *http.Request
	q    url.Values
	l    links
	ds   *ghdata.Dataset
	vars map[string]string
	ts   *tokenState
	now  time.Time
	link string
}

type route struct {
	pattern string
	h       func(*restCtx) result
}

// routes are matched in order: literal segments come before the wildcard
// routes they would otherwise fall into (pulls/comments before
// pulls/{number}).
var routes = []route{
	{"/users/{login}", getUser},
	{"/orgs/{org}/repos", listOrgRepos},
	{"/repos/{owner}/{repo}", getRepo},
	{"/repos/{owner}/{repo}/pulls", listPulls},
	{"/repos/{owner}/{repo}/pulls/comments", listReviewComments},
	{"/repos/{owner}/{repo}/pulls/{number}", getPull},
	{"/repos/{owner}/{repo}/pulls/{number}/reviews", listReviews},
	{"/repos/{owner}/{repo}/pulls/{number}/files", listPullFiles},
	{"/repos/{owner}/{repo}/issues", listIssues},
	{"/repos/{owner}/{repo}/issues/comments", listIssueComments},
	{"/repos/{owner}/{repo}/issues/events", listIssueEvents},
	{"/repos/{owner}/{repo}/comments", listCommitComments},
	{"/repos/{owner}/{repo}/commits", listCommits},
	{"/repos/{owner}/{repo}/compare/{basehead}", compareCommits},
	{"/repos/{owner}/{repo}/releases", listReleases},
	{"/repos/{owner}/{repo}/stargazers", listStargazers},
	{"/repos/{owner}/{repo}/forks", listForks},
}

// match returns the route for path (escaped) and its wildcard values.
func match(path string) (func(*restCtx) result, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range routes {
		ps := strings.Split(strings.Trim(rt.pattern, "/"), "/")
		if len(ps) != len(segs) {
			continue
		}
		vars, ok := map[string]string{}, true
		for i, p := range ps {
			seg, err := url.PathUnescape(segs[i])
			if err != nil {
				ok = false
				break
			}
			if strings.HasPrefix(p, "{") {
				vars[strings.Trim(p, "{}")] = seg
			} else if p != seg {
				ok = false
				break
			}
		}
		if ok {
			return rt.h, vars
		}
	}
	return nil, nil
}

// serveREST answers a REST request: authentication, the core budget,
// faults, the handler, ETag and 304.
func (s *Server) serveREST(w *recorder, r *http.Request, prefix, path string) {
	now := time.Now()
	h := w.Header()
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	ts := s.authenticate(r, now)
	if ts == nil {
		setRateHeaders(h, s.unauthRate(now))
		writeJSON(w, http.StatusUnauthorized, obj{"message": "Bad credentials", "documentation_url": docsREST})
		return
	}
	free := path == "/rate_limit"
	s.mu.Lock()
	if free {
		s.stats.RateLimitChecks++
	}
	exhausted := s.admitLocked(ts, core, now, free)
	var fault FaultKind
	if on := FaultOnREST; !exhausted {
		if free {
			on = FaultOnRateLimit
		}
		fault = s.nextFaultLocked(on)
	}
	rt := snapshot(&ts.buckets[core], core)
	charged := !exhausted && !free && fault == 0
	if charged {
		rt, _ = s.chargeLocked(ts, core, 1, now)
	}
	s.mu.Unlock()
	if exhausted {
		s.writeRateLimited(w, ts, rt)
		return
	}
	if fault != 0 && fault != FaultTruncated {
		s.serveFault(w, fault, ts, rt, now)
		return
	}

	c := &restCtx{s: s, r: r, q: r.URL.Query(), l: newLinks(r, prefix), ds: s.ds, ts: ts, now: now}
	var res result
	switch hnd, vars := match(r.URL.EscapedPath()[len(prefix):]); {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		res = notFound()
	case free:
		var body obj
		body, rt = s.rateLimitBody(ts, now)
		res = result{status: http.StatusOK, body: body}
	case hnd == nil:
		res = notFound()
	default:
		c.vars = vars
		s.ds.RLock()
		res = hnd(c)
		s.ds.RUnlock()
	}
	body := encode(res.body)
	if res.link != "" {
		h.Set("Link", res.link)
	}
	if res.status == http.StatusOK {
		etag := `"` + etagOf(body) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
		h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
		if fault == 0 && matchesETag(r.Header.Get("If-None-Match"), etag) {
			if charged {
				s.mu.Lock()
				rt = s.refundLocked(ts, core, 1, rt.Reset)
				s.mu.Unlock()
			}
			setRateHeaders(h, rt)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	setRateHeaders(h, rt)
	h.Set("Content-Type", "application/json; charset=utf-8")
	if fault == FaultTruncated {
		s.writeTruncated(w, body)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(res.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func notFound() result {
	return result{status: http.StatusNotFound, body: obj{"message": "Not Found", "documentation_url": docsREST}}
}

func invalid(field, value string) result {
	return result{status: http.StatusUnprocessableEntity, body: obj{
		"message":           "Validation Failed",
		"errors":            []obj{{"resource": "Search", "field": field, "code": "invalid", "value": value}},
		"documentation_url": docsREST,
	}}
}

func ok(body any) result { return result{status: http.StatusOK, body: body} }

// encode renders v as GitHub does: no HTML escaping, no trailing newline.
func encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // the server only renders maps, slices and scalars
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := encode(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// matchesETag reports whether an If-None-Match header names etag
// (weak comparison, as GitHub does).
func matchesETag(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// pager is a request's page and page size.
type pager struct{ page, perPage int }

func pagerOf(q url.Values) pager {
	p := pager{page: 1, perPage: 30}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		p.perPage = min(n, 100)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		p.page = n
	}
	return p
}

// paginate returns the requested page of items and sets the Link header
// the way GitHub builds it (prev, next, last, first).
func paginate[T any](c *restCtx, items []T) []T {
	p := pagerOf(c.q)
	last := max(1, (len(items)+p.perPage-1)/p.perPage)
	at := func(page int) string {
		return c.l.origin + c.r.URL.EscapedPath() + "?" + withPage(c.r.URL.RawQuery, page)
	}
	var parts []string
	if p.page > 1 {
		parts = append(parts, fmt.Sprintf(`<%s>; rel="prev"`, at(p.page-1)))
	}
	if p.page < last {
		parts = append(parts, fmt.Sprintf(`<%s>; rel="next"`, at(p.page+1)), fmt.Sprintf(`<%s>; rel="last"`, at(last)))
	}
	if p.page > 1 {
		parts = append(parts, fmt.Sprintf(`<%s>; rel="first"`, at(1)))
	}
	c.link = strings.Join(parts, ", ")
	lo := min((p.page-1)*p.perPage, len(items))
	hi := min(lo+p.perPage, len(items))
	return items[lo:hi]
}

// withPage keeps the query's parameters in their order and sets page last.
func withPage(raw string, page int) string {
	var kept []string
	for _, kv := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k == "" || k == "page" {
			continue
		}
		kept = append(kept, kv)
	}
	return strings.Join(append(kept, "page="+strconv.Itoa(page)), "&")
}

// list answers a paginated list.
func list[T any](c *restCtx, items []T, render func(T) obj) result {
	page := paginate(c, items)
	out := make([]obj, len(page))
	for i, it := range page {
		out[i] = render(it)
	}
	return result{status: http.StatusOK, body: out, link: c.link}
}
