package config

import (
	"fmt"
	"math"

	"contribtrack/internal/bots"
	"contribtrack/internal/contrib"
)

// DefaultAccepted is the accepted profile's defaults (docs/scoring.md says
// why each).
func DefaultAccepted() Accepted {
	return Accepted{
		Factors:          Factors{SelfMerge: 0.5, SelfReview: 0, OwnRepository: 0.5, OwnIssueComment: 0.5, Whitespace: 0, Typo: 0.25, MassGenerated: 0},
		TypoMaxLines:     5,
		DiffCheckLines:   50,
		MassMinRepos:     5,
		MassWindowHours:  24,
		SpamCloseMinutes: 10,
	}
}

// validate checks the scoring settings.
func (s Scoring) validate() []error {
	var errs []error
	if s.Profile != contrib.ProfileActivity && s.Profile != contrib.ProfileAccepted {
		errs = append(errs, fmt.Errorf("scoring.profile: %q is not a profile (valid: %s, %s)", s.Profile, contrib.ProfileActivity, contrib.ProfileAccepted))
	}
	a := s.Accepted
	for _, f := range []struct {
		name string
		v    float64
	}{{"self_merge", a.Factors.SelfMerge}, {"self_review", a.Factors.SelfReview}, {"own_repository", a.Factors.OwnRepository},
		{"own_issue_comment", a.Factors.OwnIssueComment}, {"whitespace", a.Factors.Whitespace}, {"typo", a.Factors.Typo}, {"mass_generated", a.Factors.MassGenerated}} {
		if f.v < 0 || f.v > 1 || math.IsNaN(f.v) {
			errs = append(errs, fmt.Errorf("scoring.accepted.factors.%s: %v is not between 0 and 1", f.name, f.v))
		}
	}
	if a.HoldDays < 0 || a.HoldDays > 365 {
		errs = append(errs, fmt.Errorf("scoring.accepted.hold_days: %d is not between 0 and 365", a.HoldDays))
	}
	if a.DiffCheckLines < 0 || a.DiffCheckLines > 10000 {
		errs = append(errs, fmt.Errorf("scoring.accepted.diff_check_lines: %d is not between 0 and 10000", a.DiffCheckLines))
	}
	if a.TypoMaxLines < 0 {
		errs = append(errs, fmt.Errorf("scoring.accepted.typo_max_lines: %d is negative", a.TypoMaxLines))
	}
	if a.MassMinRepos < 2 {
		errs = append(errs, fmt.Errorf("scoring.accepted.mass_min_repos: %d is fewer than 2 repositories", a.MassMinRepos))
	}
	if !(a.MassWindowHours > 0 && a.MassWindowHours <= 24*365) {
		errs = append(errs, fmt.Errorf("scoring.accepted.mass_window_hours: %v is not between 0 (excluded) and a year", a.MassWindowHours))
	}
	if !(a.SpamCloseMinutes >= 0 && a.SpamCloseMinutes <= 24*60) {
		errs = append(errs, fmt.Errorf("scoring.accepted.spam_close_minutes: %v is not between 0 and a day", a.SpamCloseMinutes))
	}
	for i, r := range a.OptedIn {
		if !contrib.ValidRepo(r) && !contrib.ValidLogin(r) {
			errs = append(errs, fmt.Errorf("scoring.accepted.opted_in[%d]: %q is neither a repository (owner/name) nor an org", i, r))
		}
	}
	return errs
}

// Weights returns the score weight of every kind: the defaults with the
// configured weights on top.
func (c *Config) Weights() map[contrib.Kind]float64 {
	w := contrib.DefaultWeights()
	for k, v := range c.Scoring.Weights {
		w[contrib.Kind(k)] = v
	}
	return w
}

// BotRules returns the bot rules: contribtrack's defaults (see package
// bots) with the configured patterns, logins and humans.
func (c *Config) BotRules() (*bots.Rules, error) {
	return bots.New(c.Bots.Patterns, c.Bots.Logins, c.Bots.Humans)
}

// BotRegex returns one case-insensitive RE2 expression matching every bot
// login (what ClickHouse's match uses).
func (c *Config) BotRegex() string {
	r, err := c.BotRules()
	if err != nil {
		return "" // Load validated the rules
	}
	return r.Regex()
}

// HumanRegex matches the logins configured as people.
func (c *Config) HumanRegex() string {
	r, err := c.BotRules()
	if err != nil || len(c.Bots.Humans) == 0 {
		return ""
	}
	return r.HumanRegex()
}
