package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// Crediter judges contributions one by one; *store.Store is one.
type Crediter interface {
	Credits(ctx context.Context, f store.LeaderboardFilter, a store.Acceptance) ([]store.Credit, error)
}

// Explanation is how one person's score of a period comes about: every
// contribution of the selected kinds, its weight, what the profile makes
// of it and why (`score explain`, /api/v1/contributors/{login}/score).
type Explanation struct {
	Login   string    `json:"login"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Profile string    `json:"profile"`
	Score   float64   `json:"score"`
	// Counted is how many contributions count (a factor above 0, as a
	// leaderboard counts them); Items lists them all, those that count for
	// nothing too, oldest first.
	Counted int           `json:"counted"`
	Items   []CreditEntry `json:"items"`
	// Flagged are the items marked as spam, for a program manager to check.
	Flagged []CreditEntry `json:"flagged"`
}

// CreditEntry is one contribution in an explanation. Points is Weight
// times Factor; Rule names what discounted it ("" counts fully), Why says
// it in words.
type CreditEntry struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	Repository string    `json:"repository"`
	Number     int64     `json:"number,omitempty"`
	Title      string    `json:"title,omitempty"`
	Weight     float64   `json:"weight"`
	Factor     float64   `json:"factor"`
	Points     float64   `json:"points"`
	Rule       string    `json:"rule,omitempty"`
	Why        string    `json:"why"`
}

// ruleWhy says what each rule of the accepted profile means (docs/scoring.md
// has why each exists).
var ruleWhy = map[string]string{
	"":                 "counts fully",
	"not_opted_in":     "the repository did not opt in",
	"spam_label":       "the pull request is labelled spam or invalid",
	"spam_closed_fast": "closed unmerged within minutes by someone else, with no review: flagged as spam",
	"draft":            "the pull request is still a draft",
	"not_accepted":     "the pull request was neither merged nor approved by someone else",
	"on_hold":          "accepted too recently: held until the hold period passes",
	"self_merge":       "merged by its own author with no review by anyone else",
	"own_repository":   "to a repository its author owns",
	"mass_generated":   "the same title sent to many repositories within hours",
	"whitespace":       "a diff that changes only whitespace",
	"typo":             "a small typo or whitespace fix",
	"self_review":      "a review of one's own pull request",
	"own_issue":        "a comment on one's own issue or pull request",
}

// Why says what a rule means.
func Why(rule string) string {
	if w, ok := ruleWhy[rule]; ok {
		return w
	}
	return rule
}

// flaggedRules are the rules that mark an item as spam.
var flaggedRules = []string{"spam_label", "spam_closed_fast"}

// Explain lists how login's score of q's period comes about under the
// settings' profile. Under the activity profile every contribution of a
// selected kind counts fully; under the accepted profile each is judged
// (store.Credits). It is an error when login has no contribution stored
// at all in the period.
func Explain(ctx context.Context, src Crediter, q Query, s Settings, login string, now time.Time) (Explanation, error) {
	if field := RosterFilter(q.Question); field != "" {
		return Explanation{}, &FieldError{Field: field, Problem: "an explanation lists every contribution of the period; filter a leaderboard by the roster instead"}
	}
	q.Member = login
	f, err := Filter(q, s)
	if err != nil {
		return Explanation{}, err
	}
	credits, err := src.Credits(ctx, f, s.acceptance(now))
	if err != nil {
		return Explanation{}, err
	}
	profile := s.Profile
	if profile == "" {
		profile = contrib.ProfileActivity
	}
	out := Explanation{Login: login, From: f.From, To: f.To, Profile: profile, Items: []CreditEntry{}, Flagged: []CreditEntry{}}
	for _, c := range credits {
		if !slices.Contains(f.Kinds, c.Kind) {
			continue
		}
		rule, factor := c.Rule, c.Factor
		if profile != contrib.ProfileAccepted {
			rule, factor = "", 1
		}
		e := CreditEntry{At: c.At, Kind: string(c.Kind), Repository: c.RepoName, Number: c.Number, Title: c.Title,
			Weight: s.Weights[c.Kind], Factor: factor, Rule: rule, Why: Why(rule)}
		e.Points = e.Weight * e.Factor
		out.Score += e.Points
		if e.Factor > 0 {
			out.Counted++
		}
		out.Items = append(out.Items, e)
		if profile == contrib.ProfileAccepted && slices.Contains(flaggedRules, rule) {
			out.Flagged = append(out.Flagged, e)
		}
	}
	out.Score = math.Round(out.Score*1e6) / 1e6
	var ids []uint64
	for _, c := range credits {
		ids = append(ids, c.ActorID)
	}
	hidden := s.OptedOut(s.memberOf(login), []string{login}, ids)
	for _, id := range ids {
		hidden = hidden || s.People.Hidden[id]
	}
	if hidden {
		return Explanation{}, fmt.Errorf("%w: %s", ErrOptedOut, login)
	}
	if len(credits) == 0 {
		return out, fmt.Errorf("%w: %s has no contribution stored between %s and %s", ErrNoContributions, login,
			f.From.Format(time.DateOnly), f.To.Format(time.DateOnly))
	}
	return out, nil
}

// ErrNoContributions: the person asked about has none in the period.
var ErrNoContributions = errors.New("no contributions")

// ErrOptedOut: the person asked about opted out of being shown.
var ErrOptedOut = errors.New("opted out of being shown")

// RosterFilter names the first roster filter a question sets (program,
// category, group, region, country, affiliation), "" when none.
func RosterFilter(q store.Question) string {
	for _, f := range []struct{ name, v string }{{"program", q.Program}, {"category", q.Category}, {"group", q.Group},
		{"region", q.Region}, {"country", q.Country}, {"affiliation", q.Affiliation}} {
		if f.v != "" {
			return f.name
		}
	}
	return ""
}

// memberOf is the roster member whose shown login is login (0: none).
func (s Settings) memberOf(login string) uint64 {
	for id, l := range s.People.Logins {
		if strings.EqualFold(l, login) {
			return id
		}
	}
	return 0
}
