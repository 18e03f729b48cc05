package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

// scoreEndpoint answers /api/v1/contributors/{login}/score: every
// contribution behind a person's score of a period, its points and why
// (leaderboard.Explain), and those flagged as spam. People who opted out,
// and logins with nothing stored in the period, are not found.
func (s *Server) scoreEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, r *http.Request) (question, error) {
			login := r.PathValue("login")
			p := newParams(v, slices.DeleteFunc(slices.Clone(queryParams), func(n string) bool { return n == "affiliation" })...)
			q := question{login: login}
			if !contrib.ValidLogin(login) {
				p.fail(bad("login", "%q is not a GitHub login", login))
			}
			_, hasFrom := v["from"]
			_, hasTo := v["to"]
			if !hasFrom && !hasTo { // the whole history, as a profile
				v = cloneWith(v, "from", contrib.FirstDay.Format(time.DateOnly), "to", contrib.LastDay.Format(time.DateOnly))
				p.values = v
			}
			q.query = p.query()
			q.query.Limit = 1 // not used
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			ex, err := leaderboard.Explain(ctx, s.opts.Store, q.query, settings, q.login, time.Now())
			switch {
			case errors.Is(err, leaderboard.ErrNoContributions), errors.Is(err, leaderboard.ErrOptedOut):
				return answer{}, errNotFound
			case err != nil:
				return answer{}, err
			}
			return jsonAnswer(ex)
		},
	}
}
