package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

var creditsSQL = queries.MustRead("credits.sql")

// Acceptance is how the accepted scoring profile judges contributions
// (docs/scoring.md): which rules apply and what a discounted contribution
// is worth.
type Acceptance struct {
	// HoldUntil holds pull requests accepted after it (zero: no hold).
	HoldUntil time.Time
	// OptedIn are the repositories (owner/name) and orgs whose
	// contributions count, lower-cased; empty: all.
	OptedIn []string
	// The factors of the discounting rules, between 0 and 1.
	SelfMerge, SelfReview, OwnRepository, OwnIssue, Whitespace, Typo, Mass float64
	// TypoLines is the most changed lines a typo fix has.
	TypoLines int
	// MassRepos and MassWindow: a title sent by one author to MassRepos
	// repositories or more within MassWindow is a campaign.
	MassRepos  int
	MassWindow time.Duration
	// SpamClose: a pull request closed unmerged this soon after opening,
	// by someone else and with no review, is flagged as spam.
	SpamClose time.Duration
}

// Credit is one contribution as the accepted profile judges it: Rule is
// "" when it counts fully (Factor 1), else the rule that discounted it.
type Credit struct {
	Kind     contrib.Kind
	Key      string
	At       time.Time
	ActorID  uint64
	Login    string
	RepoName string
	Number   int64
	Title    string // a pull request's, when known
	Rule     string
	Factor   float64
}

// args binds a's values for credits.sql.
func (a Acceptance) args() []any {
	opted := []any{""} // IN () is not valid SQL
	for _, r := range a.OptedIn {
		opted = append(opted, strings.ToLower(r))
	}
	var hold uint32
	if !a.HoldUntil.IsZero() {
		hold = uint32(a.HoldUntil.Unix())
	}
	return []any{
		clickhouse.Named("hold_until", hold),
		clickhouse.Named("opted_in", boolInt(len(a.OptedIn) > 0)),
		clickhouse.Named("opted_repos", clickhouse.GroupSet{Value: opted}),
		clickhouse.Named("f_self_merge", a.SelfMerge),
		clickhouse.Named("f_self_review", a.SelfReview),
		clickhouse.Named("f_own_repository", a.OwnRepository),
		clickhouse.Named("f_own_issue", a.OwnIssue),
		clickhouse.Named("f_whitespace", a.Whitespace),
		clickhouse.Named("f_typo", a.Typo),
		clickhouse.Named("f_mass", a.Mass),
		clickhouse.Named("typo_lines", uint32(a.TypoLines)),
		clickhouse.Named("mass_repos", uint32(max(a.MassRepos, 1))),
		clickhouse.Named("mass_seconds", int64(a.MassWindow/time.Second)),
		clickhouse.Named("spam_close_seconds", uint32(a.SpamClose/time.Second)),
	}
}

// creditArgs binds what credits.sql takes besides the period and place:
// the identities it keeps (@only, when f is restricted to them) and the
// accepted profile's settings.
func (f LeaderboardFilter) creditArgs() []any {
	only := f.only
	args := []any{clickhouse.Named("only", boolInt(only != nil)), clickhouse.Named("flagged_only", boolInt(f.flaggedOnly))}
	if only == nil {
		only = &identities{}
	}
	return append(append(args, only.args()...), f.Accepted.args()...)
}

// Credits lists the contributions of f's period, place and identities
// (f.Member: one person) with what the accepted profile makes of each:
// what `score explain` shows.
func (s *Store) Credits(ctx context.Context, f LeaderboardFilter, a Acceptance) ([]Credit, error) {
	f.flaggedOnly = false
	return s.credits(ctx, f, a)
}

// Flagged is Credits with only the items the accepted profile marks as
// spam (rules spam_label and spam_closed_fast), for the whole place when
// f.Member is empty: what reports list per person for a program manager
// to check.
func (s *Store) Flagged(ctx context.Context, f LeaderboardFilter, a Acceptance) ([]Credit, error) {
	f.flaggedOnly = true
	return s.credits(ctx, f, a)
}

func (s *Store) credits(ctx context.Context, f LeaderboardFilter, a Acceptance) ([]Credit, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	if f, err = s.member(ctx, f); err != nil {
		return nil, fmt.Errorf("credits: %w", err)
	}
	f.Accepted = a
	args := append([]any{
		clickhouse.Named("from", uint32(f.From.Unix())),
		clickhouse.Named("to", uint32(f.To.Unix())),
		clickhouse.Named("org", f.Org),
		clickhouse.Named("repo", f.Repo),
	}, f.setArgs()...)
	args = append(args, f.creditArgs()...)
	rows, err := conn.Query(ctx, creditsSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("credits: %w", err)
	}
	defer rows.Close()
	var out []Credit
	for rows.Next() {
		var c Credit
		var kind, email, org string
		var repoID, number uint64
		if err := rows.Scan(&kind, &c.Key, &c.At, &c.ActorID, &c.Login, &email, &org, &c.RepoName, &repoID, &number, &c.Title, &c.Rule, &c.Factor); err != nil {
			return nil, fmt.Errorf("credits: %w", err)
		}
		c.Kind, c.Number, c.At = contrib.Kind(kind), int64(number), c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
