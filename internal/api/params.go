package api

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// badParameter is a 400 answer: what is wrong with which parameter.
type badParameter struct {
	Parameter string
	Message   string
}

func (e *badParameter) Error() string { return e.Parameter + ": " + e.Message }

func bad(name, format string, args ...any) *badParameter {
	return &badParameter{Parameter: name, Message: fmt.Sprintf(format, args...)}
}

// params reads a request's query parameters. Every parameter may appear
// once (kind may repeat), and parameters an endpoint does not know are
// rejected: a misspelt filter must not silently widen an answer.
type params struct {
	values url.Values
	known  map[string]bool
	err    *badParameter
}

func newParams(q url.Values, known ...string) *params {
	p := &params{values: q, known: map[string]bool{}}
	for _, k := range known {
		p.known[k] = true
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !p.known[name] {
			p.fail(bad(name, "unknown parameter (known: %s)", strings.Join(known, ", ")))
		}
	}
	return p
}

func (p *params) fail(e *badParameter) {
	if p.err == nil {
		p.err = e
	}
}

// parseQuery reads a raw query string strictly. url.ParseQuery (and so
// r.URL.Query) skips a pair it cannot read, such as one holding a ';' or a
// bad %-escape, which would silently drop that filter and widen the
// answer: such a pair is refused instead, naming its parameter.
func parseQuery(raw string) (url.Values, error) {
	v, err := url.ParseQuery(raw)
	if err == nil {
		return v, nil
	}
	for _, pair := range strings.Split(raw, "&") {
		if _, perr := url.ParseQuery(pair); perr != nil {
			name, _, _ := strings.Cut(pair, "=")
			if n, uerr := url.QueryUnescape(name); uerr == nil {
				name = n
			}
			return nil, bad(name, "cannot be read (%v): escape ';' as %%3B and '%%' as %%25", perr)
		}
	}
	return nil, bad("", "the query string cannot be read: %v", err)
}

// maxValue bounds every parameter value.
const maxValue = 200

// one returns the single value of a parameter ("" when absent), checked
// for length and control characters.
func (p *params) one(name string) string {
	vs := p.values[name]
	if len(vs) == 0 {
		return ""
	}
	if len(vs) > 1 {
		p.fail(bad(name, "given %d times; give it once", len(vs)))
		return ""
	}
	v := vs[0]
	switch {
	case len(v) > maxValue:
		p.fail(bad(name, "longer than %d bytes", maxValue))
		return ""
	case !utf8.ValidString(v):
		p.fail(bad(name, "not valid UTF-8"))
		return ""
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		p.fail(bad(name, "contains control characters"))
		return ""
	}
	return v
}

func (p *params) date(name string, required bool) time.Time {
	v := p.one(name)
	if v == "" {
		if required && p.err == nil {
			p.fail(bad(name, "required (a UTC date such as 2024-01-31)"))
		}
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		p.fail(bad(name, "%q is not a date such as 2024-01-31", v))
		return time.Time{}
	}
	if !contrib.ValidDay(t) {
		p.fail(bad(name, "%s is not between %s", v, contrib.DayRange()))
	}
	return t
}

func (p *params) integer(name string, def, lo, hi int) int {
	v := p.one(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(bad(name, "%q is not a whole number between %d and %d", v, lo, hi))
		return def
	}
	return n
}

func (p *params) boolean(name string) bool {
	switch v := p.one(name); v {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	default:
		p.fail(bad(name, "%q is not true or false", v))
		return false
	}
}

// choice returns one of the allowed values (def when absent).
func (p *params) choice(name, def string, allowed []string) string {
	v := p.one(name)
	if v == "" {
		return def
	}
	if !slices.Contains(allowed, v) {
		p.fail(bad(name, "%q is not one of %s", v, strings.Join(allowed, ", ")))
		return def
	}
	return v
}

// queryParams are the parameters leaderboard-like endpoints share, named
// like the CLI's flags.
var queryParams = []string{"from", "to", "org", "repo", "kind", "include_bots",
	"program", "category", "group", "region", "country", "affiliation"}

// query reads the filters every leaderboard-like endpoint takes.
func (p *params) query() leaderboard.Query {
	q := leaderboard.Query{
		Question: store.Question{
			From:        p.date("from", true),
			To:          p.date("to", true),
			Org:         p.one("org"), // checked by Validate, as for the CLI
			Repo:        p.one("repo"),
			Program:     p.one("program"),
			Category:    p.one("category"),
			Group:       p.one("group"),
			Region:      p.one("region"),
			Country:     p.one("country"),
			Affiliation: p.choice("affiliation", "", store.AffiliationClasses),
		},
		IncludeBots: p.boolean("include_bots"),
	}
	kinds := p.values["kind"]
	if len(kinds) > len(contrib.Kinds) {
		p.fail(bad("kind", "given %d times", len(kinds)))
		return q
	}
	for _, list := range kinds {
		for _, k := range strings.Split(list, ",") {
			kind, err := contrib.ParseKind(k)
			if err != nil {
				p.fail(bad("kind", "%v", err))
				return q
			}
			q.Kinds = append(q.Kinds, kind)
		}
	}
	return q
}

// validate finishes reading: the first bad parameter, else the query's own
// checks (which fill in the default kinds).
func (p *params) validate(q *leaderboard.Query) error {
	if p.err != nil {
		return p.err
	}
	return validated(q.Validate())
}

// validated says a question's own check (leaderboard.Query.Validate) as
// a bad parameter: its field is the parameter's name.
func validated(err error) error {
	var fe *leaderboard.FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return bad(fe.Field, "%s", fe.Problem)
	}
	return bad("", "%v", err)
}
