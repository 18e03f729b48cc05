// Package leaderboard ranks contributors: it asks the store for scored
// counts and turns them into ranked entries in the shape the CLI, the API
// and reports share.
package leaderboard

import (
	"context"
	"fmt"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// Query is what a leaderboard is asked for.
type Query struct {
	From, To    time.Time      // [From, To) in UTC
	Org         string         // optional
	Repo        string         // optional, owner/name
	Kinds       []contrib.Kind // empty: every contribution kind
	Limit       int            // 1..MaxLimit
	IncludeBots bool
}

// MaxLimit bounds the number of entries one leaderboard returns.
const MaxLimit = 10000

// Entry is one ranked contributor. Its JSON form is a public contract:
// {"rank", "login", "score", "counts": {kind: n}}.
type Entry struct {
	Rank   int               `json:"rank"`
	Login  string            `json:"login"`
	Score  float64           `json:"score"`
	Counts map[string]uint64 `json:"counts"`
}

// Scorer computes scored counts; *store.Store is one.
type Scorer interface {
	Leaderboard(ctx context.Context, f store.LeaderboardFilter) ([]store.ActorScore, error)
}

// Settings are the scoring rules from the configuration.
type Settings struct {
	Weights  map[contrib.Kind]float64
	BotRegex string
}

// Validate checks a query and fills in the default kinds.
func (q *Query) Validate() error {
	if q.From.IsZero() || q.To.IsZero() {
		return fmt.Errorf("both --from and --to are needed")
	}
	if !q.From.Before(q.To) {
		return fmt.Errorf("--from %s is not before --to %s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.From.Unix() < 0 || q.To.Unix() > 1<<32-1 {
		return fmt.Errorf("dates must lie between 1970 and 2106")
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return fmt.Errorf("--limit %d: must be between 1 and %d", q.Limit, MaxLimit)
	}
	if len(q.Kinds) == 0 {
		q.Kinds = contrib.ContributionKinds
	}
	// Columns and SQL follow the vocabulary's order, each kind once.
	selected := map[contrib.Kind]bool{}
	for _, k := range q.Kinds {
		selected[k] = true
	}
	q.Kinds = nil
	for _, k := range contrib.Kinds {
		if selected[k] {
			q.Kinds = append(q.Kinds, k)
		}
	}
	return nil
}

// Compute runs q and ranks the result. Entries with equal scores share a
// rank (1, 2, 2, 4); within a rank they are ordered by login.
func Compute(ctx context.Context, src Scorer, q Query, s Settings) ([]Entry, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	f := store.LeaderboardFilter{
		From: q.From.UTC(), To: q.To.UTC(), Org: q.Org, Repo: q.Repo,
		Kinds: q.Kinds, Weights: s.Weights, Limit: q.Limit,
	}
	if !q.IncludeBots {
		f.BotRegex = s.BotRegex
	}
	rows, err := src.Leaderboard(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		e := Entry{Rank: i + 1, Login: r.Login, Score: r.Score, Counts: map[string]uint64{}}
		if i > 0 && r.Score == rows[i-1].Score {
			e.Rank = out[i-1].Rank
		}
		for k, n := range r.Counts {
			if n > 0 {
				e.Counts[string(k)] = n
			}
		}
		out[i] = e
	}
	return out, nil
}
