package api

import (
	"context"
	"errors"
	"time"

	"contribtrack/internal/leaderboard"
)

// scoreEndpoint answers /api/v1/contributors/{login}/score: every
// contribution behind a person's score of a period, its points and why
// (leaderboard.Explain), and those flagged as spam. People who opted out,
// and logins with nothing stored in the period, are not found.
func (s *Server) scoreEndpoint() endpoint {
	return endpoint{
		parse: contributorQuestion,
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			ex, err := leaderboard.Explain(ctx, s.opts.Store, q.query, settings, q.login, time.Now())
			var fe *leaderboard.FieldError
			switch {
			case errors.As(err, &fe):
				return answer{}, bad(fe.Field, "%s", fe.Problem)
			case errors.Is(err, leaderboard.ErrNoContributions), errors.Is(err, leaderboard.ErrOptedOut):
				return answer{}, errNotFound
			case err != nil:
				return answer{}, err
			}
			return jsonAnswer(ex)
		},
	}
}
