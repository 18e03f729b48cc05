package store

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// ScoringRules are the rules a score is computed by: the weight of each
// kind and the bot rules as RE2 expressions (see LeaderboardFilter).
type ScoringRules struct {
	Weights    map[contrib.Kind]float64
	BotRegex   string
	HumanRegex string
}

// ruleValues is the rules as scoring_rules' rows: name -> value.
func (r ScoringRules) ruleValues() map[string]string {
	out := map[string]string{"bot_regex": r.BotRegex, "human_regex": r.HumanRegex}
	for _, k := range contrib.Kinds {
		w, ok := r.Weights[k]
		if !ok {
			w = contrib.DefaultWeights()[k]
		}
		out["weight."+string(k)] = strconv.FormatFloat(w, 'g', -1, 64)
	}
	return out
}

// PublishRules stores the rules the API answers by where the views
// (contributor_days, scoring_weights, bot_rules) read them, so that
// dashboards score as the API does. It writes only when they changed.
func (s *Store) PublishRules(ctx context.Context, r ScoringRules) error {
	want := r.ruleValues()
	have, err := s.PublishedRules(ctx)
	if err != nil {
		return err
	}
	if maps.Equal(have, want) {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	b, err := conn.PrepareBatch(ctx, queries.MustRead("scoring_rules_insert.sql"))
	if err != nil {
		return fmt.Errorf("publishing the scoring rules: %w", err)
	}
	version := uint64(time.Now().UnixNano())
	for name, value := range want {
		if err := b.Append(name, value, version); err != nil {
			b.Abort()
			return fmt.Errorf("publishing the scoring rules: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("publishing the scoring rules: %w", err)
	}
	return nil
}

// PublishedRules returns the scoring rules as last published, rule name
// -> value (empty before any publication).
func (s *Store) PublishedRules(ctx context.Context) (map[string]string, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("scoring_rules.sql"))
	if err != nil {
		return nil, fmt.Errorf("reading the published scoring rules: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return nil, fmt.Errorf("reading the published scoring rules: %w", err)
		}
		out[name] = value
	}
	return out, rows.Err()
}
