package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

// FuzzParams is the fuzz target of the API's query parameters (issue 16).
// Run it with
//
//	go test -run '^$' -fuzz '^FuzzParams$' -fuzztime 10s ./internal/api
//
// or every target with scripts/fuzz.sh. It needs no ClickHouse: it stops
// where a question would be asked. The seeds run with the ordinary tests.

var paramSeeds = []string{
	"from=2024-01-01&to=2024-02-01",
	"from=2024-01-01&to=2024-02-01&org=aws&kind=commit,pr_merged&kind=pr_review&limit=5&format=csv&include_bots=true",
	"from=2024-01-01&to=2024-02-01&repo=aws/aws-cdk&program=aws-heroes&category=Serverless&group=x&region=EMEA&country=PT&affiliation=community&by=org",
	"from=2024-01-01&to=2024-02-01&project=cdk&member=ana&format=html",
	"from=2024-02-01&to=2024-01-01",
	"from=1969-12-31&to=2106-01-01",
	"from=2024-01-01&from=2024-01-02&to=2025-01-01",
	"from=2024-01-01&to=2024-02-01&org=aws&repo=aws/x",
	"from=2024-01-01&to=2024-02-01&limit=0&kind=star,,nope",
	"from=2024-01-01&to=2024-02-01&country=%1B%5B2J&program=%00",
	"from=2024-01-01;to=2024-02-01",
	"fr%ZZom=1&to=%",
	"a=%ff%fe&b",
	"&&=&",
	"",
}

// fuzzEndpoints are the endpoints whose parameters are fuzzed, with the
// login their path gives (profiles).
var fuzzEndpoints = []struct {
	name string
	e    func(s *Server) endpoint
}{
	{"leaderboard", (*Server).leaderboardEndpoint},
	{"share", (*Server).shareEndpoint},
	{"projects", (*Server).projectsEndpoint},
	{"projects/metrics", (*Server).projectMetricsEndpoint},
	{"sync", (*Server).syncEndpoint},
	{"contributors/{login}", (*Server).profileEndpoint},
	{"contributors/{login}/score", (*Server).scoreEndpoint},
	{"reports", (*Server).reportsEndpoint},
}

// FuzzParams reads an arbitrary query string (and profile login) the way
// every endpoint does. Properties: no panic; a refusal is a 400 (or 404 for
// an unknown project) with a JSON body whose parameter is one the request
// gave, or from/to, or none, never a 5xx; an accepted question keeps every
// rule the store relies on (a valid period of UTC days in range, a limit in
// range, known kinds in the vocabulary's order and each once, filters of
// printable UTF-8 no longer than maxValue, org and repo names of GitHub's
// shape); and the cache key's encoding reads back as the same parameters,
// so that two different questions never share a cached answer.
func FuzzParams(f *testing.F) {
	for _, s := range paramSeeds {
		f.Add(s, "ana")
	}
	f.Add("", "bot[bot]")
	f.Add("from=2024-01-01", "../x")
	f.Fuzz(func(t *testing.T, raw, login string) {
		s := &Server{opts: Options{Projects: map[string][]string{"cdk": {"aws/aws-cdk", "cdklabs"}}},
			log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		values, err := parseQuery(raw)
		if err != nil {
			checkRefusal(t, s, err, raw, nil)
			return
		}
		back, err := url.ParseQuery(values.Encode())
		if err != nil {
			t.Fatalf("the cache key's encoding of %q does not read back: %v", raw, err)
		}
		if diff := cmp.Diff(map[string][]string(values), map[string][]string(back)); diff != "" && !(len(values) == 0 && len(back) == 0) {
			t.Fatalf("the cache key's encoding of %q reads back otherwise (-parsed +read back):\n%s", raw, diff)
		}
		for _, ep := range fuzzEndpoints {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/x", nil)
			r.SetPathValue("login", login)
			q, err := ep.e(s).parse(values, r)
			if err != nil {
				checkRefusal(t, s, err, raw, values)
				continue
			}
			checkQuestion(t, ep.name, values, q)
		}
	})
}

// checkRefusal checks that a parse error is a client's mistake, answered
// as one.
func checkRefusal(t *testing.T, s *Server, err error, raw string, values url.Values) {
	t.Helper()
	var bp *badParameter
	if !errors.As(err, &bp) {
		t.Fatalf("%q: refused with %T %v, not a bad parameter", raw, err, err)
	}
	w := httptest.NewRecorder()
	s.fail(w, httptest.NewRequest(http.MethodGet, "/api/v1/x", nil), err)
	if w.Code != http.StatusBadRequest && w.Code != http.StatusNotFound {
		t.Fatalf("%q: refused with status %d: %s", raw, w.Code, w.Body)
	}
	var body errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error == "" || body.Message == "" {
		t.Fatalf("%q: error body %q does not say what is wrong (%v)", raw, w.Body, err)
	}
	if p := bp.Parameter; p != "" && p != "from" && p != "to" && p != "login" {
		if _, given := values[p]; !given && !slices.Contains(rawNames(raw), p) {
			t.Fatalf("%q: refusal names parameter %q, which the request does not give", raw, p)
		}
	}
}

// checkQuestion checks an accepted question.
func checkQuestion(t *testing.T, endpoint string, values url.Values, q question) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s?%s accepted: "+format, append([]any{endpoint, values.Encode()}, args...)...)
	}
	if endpoint == "sync" {
		return // it takes no parameters
	}
	if endpoint == "reports" {
		r := q.report
		if !r.From.Before(r.To) || r.From.Year() < 1970 || r.To.Year() > 2105 {
			fail("period %v to %v", r.From, r.To)
		}
		if !slices.Contains([]string{"json", "md", "csv", "html"}, q.format) {
			fail("report format %q", q.format)
		}
		return
	}
	lq := q.query
	if !lq.From.Before(lq.To) || lq.From.Unix() < 0 || lq.To.Unix() > 1<<32-1 {
		fail("period %v to %v", lq.From, lq.To)
	}
	if !lq.From.Equal(lq.From.Truncate(24*time.Hour)) || !lq.To.Equal(lq.To.Truncate(24*time.Hour)) || lq.From.Location() != time.UTC {
		fail("period %v to %v is not of UTC days", lq.From, lq.To)
	}
	if lq.Limit < 1 || lq.Limit > leaderboard.MaxLimit {
		fail("limit %d", lq.Limit)
	}
	if len(lq.Kinds) == 0 {
		fail("no kinds")
	}
	for i, k := range lq.Kinds {
		if !k.Valid() || i > 0 && slices.Index(contrib.Kinds, k) <= slices.Index(contrib.Kinds, lq.Kinds[i-1]) {
			fail("kinds %v", lq.Kinds)
		}
	}
	if lq.Org != "" && !contrib.ValidOwner(lq.Org) || lq.Repo != "" && !contrib.ValidRepo(lq.Repo) {
		fail("org %q, repo %q", lq.Org, lq.Repo)
	}
	for _, v := range []string{lq.Program, lq.Category, lq.Group, lq.Region, lq.Country, lq.Affiliation} {
		if len(v) > maxValue || !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
			fail("filter %q", v)
		}
	}
	if strings.HasPrefix(endpoint, "contributors/{login}") && !contrib.ValidLogin(q.login) {
		fail("login %q", q.login)
	}
}

// rawNames are the parameter names of a raw query string, as given and
// unescaped where they can be.
func rawNames(raw string) []string {
	var names []string
	for _, pair := range strings.Split(raw, "&") {
		name, _, _ := strings.Cut(pair, "=")
		names = append(names, name)
		if n, err := url.QueryUnescape(name); err == nil {
			names = append(names, n)
		}
	}
	return names
}
