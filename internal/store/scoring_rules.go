package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
	// Profile is contrib.ProfileActivity (every contribution at its
	// kind's weight) or contrib.ProfileAccepted (Accepted judges each;
	// docs/scoring.md).
	Profile  string
	Accepted Acceptance
	// HoldDays is the accepted profile's hold: a question sets
	// Accepted.HoldUntil this many days before its own time.
	HoldDays int
}

// ruleValues is the rules as scoring_rules' rows: name -> value. A kind
// the weights do not name weighs 0, as in a leaderboard's statement.
func (r ScoringRules) ruleValues() map[string]string {
	profile := r.Profile
	if profile == "" {
		profile = contrib.ProfileActivity
	}
	out := map[string]string{"bot_regex": r.BotRegex, "human_regex": r.HumanRegex, "profile": profile}
	for _, k := range contrib.Kinds {
		out["weight."+string(k)] = strconv.FormatFloat(r.Weights[k], 'g', -1, 64)
	}
	// The accepted profile's settings, as credits.sql binds them
	// (Acceptance.args), for the view contributor_credits.
	a := r.Accepted
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	var opted []string
	for _, o := range a.OptedIn {
		opted = append(opted, strings.ToLower(o))
	}
	for name, v := range map[string]string{
		"hold_days": strconv.Itoa(r.HoldDays), "opted_in": strings.Join(opted, ","),
		"f_self_merge": num(a.SelfMerge), "f_self_review": num(a.SelfReview), "f_own_repository": num(a.OwnRepository),
		"f_own_issue": num(a.OwnIssue), "f_whitespace": num(a.Whitespace), "f_typo": num(a.Typo), "f_mass": num(a.Mass),
		"typo_lines": strconv.Itoa(a.TypoLines), "mass_repos": strconv.Itoa(max(a.MassRepos, 1)),
		"mass_seconds": strconv.FormatInt(int64(a.MassWindow/time.Second), 10), "spam_close_seconds": strconv.FormatInt(int64(a.SpamClose/time.Second), 10),
	} {
		out["accepted."+name] = v
	}
	return out
}

// PublishRules stores the rules the API answers by where the views
// (contributor_days, sightings, scoring_weights, bot_rules) read them, so
// that dashboards score as the API does. Every publication writes all the
// rules (a few rows; on a cluster without replication, every node gets
// them again) under a version later than any before, whatever the
// publisher's clock says.
func (s *Store) PublishRules(ctx context.Context, r ScoringRules) error {
	conn, err := s.db()
	if err != nil {
		return err
	}
	var last uint64
	if err := conn.QueryRow(ctx, queries.MustRead("scoring_rules_version.sql")).Scan(&last); err != nil {
		return fmt.Errorf("publishing the scoring rules: %w", err)
	}
	version := max(uint64(time.Now().UnixNano()), last+1)
	b, err := conn.PrepareBatch(ctx, queries.MustRead("scoring_rules_insert.sql"))
	if err != nil {
		return fmt.Errorf("publishing the scoring rules: %w", err)
	}
	for name, value := range r.ruleValues() {
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
