package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
)

// ClassShare is one group's part of a period's contributions.
type ClassShare struct {
	Class         string // the group: community, vendor, other, a program, a region ... ("" none)
	Contributions uint64
	People        uint64
	Score         float64
}

// Share splits the contributions a leaderboard filter selects into f.By's
// groups (the filter's Limit and Affiliation are not used).
func (s *Store) Share(ctx context.Context, f LeaderboardFilter) ([]ClassShare, error) {
	rows, err := s.run(ctx, "share", f, true, shareSQL, stages{memberships: true, affiliations: true, credited: f.credited()})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClassShare
	for rows.Next() {
		var (
			c     ClassShare
			first time.Time
			login string
			actor uint64
			kinds uint64
		)
		if err := rows.Scan(&c.Class, &c.Contributions, &c.People, &c.Score, &first, &login, &actor, &kinds); err != nil {
			return nil, fmt.Errorf("share row: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Totals are how many people made contributions that a filter selects, and
// how many contributions.
type Totals struct {
	People, Contributions uint64
}

// Totals counts the people and contributions a leaderboard filter selects
// (its Limit is not used).
func (s *Store) Totals(ctx context.Context, f LeaderboardFilter) (Totals, error) {
	rows, err := s.run(ctx, "totals", f, f.dated(), totalsSQL, f.stages())
	if err != nil {
		return Totals{}, err
	}
	defer rows.Close()
	var (
		t            Totals
		last         time.Time
		login        string
		actor, kinds uint64
		score        float64
	)
	if !rows.Next() {
		return Totals{}, fmt.Errorf("totals query: no row: %v", rows.Err())
	}
	if err := rows.Scan(&t.People, &t.Contributions, &last, &login, &actor, &score, &kinds); err != nil {
		return Totals{}, fmt.Errorf("totals query: %w", err)
	}
	return t, rows.Err()
}

// PersonCount is one person's contributions in a period.
type PersonCount struct {
	Person        uint64
	Contributions uint64
}

// PeopleCounts returns the contributions of everyone a filter selects,
// most first (the filter's Limit is not used).
func (s *Store) PeopleCounts(ctx context.Context, f LeaderboardFilter) ([]PersonCount, error) {
	rows, err := s.run(ctx, "people counts", f, f.dated(), peopleCountsSQL, f.stages())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PersonCount
	for rows.Next() {
		var (
			c            PersonCount
			score        float64
			last         time.Time
			login        string
			actor, kinds uint64
		)
		if err := rows.Scan(&c.Person, &c.Contributions, &score, &last, &login, &actor, &kinds); err != nil {
			return nil, fmt.Errorf("people counts row: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MergeTimes are the pull requests merged in a period and how long they
// took from being opened.
type MergeTimes struct {
	Merged uint64        // pull requests merged
	Timed  uint64        // of which the opening is known
	Median time.Duration // of the timed ones
	P90    time.Duration
}

// MergeTimes measures the pull requests merged in [f.From, f.To) in f.Org
// or f.Repo (all when empty), leaving out those opened by bots (f.BotRegex).
func (s *Store) MergeTimes(ctx context.Context, f LeaderboardFilter) (MergeTimes, error) {
	conn, err := s.db()
	if err != nil {
		return MergeTimes{}, err
	}
	var (
		m        MergeTimes
		p50, p90 int64 // seconds; a difference of times is signed
	)
	if err := conn.QueryRow(ctx, mergeTimesSQL, f.projectArgs()...).Scan(&m.Merged, &m.Timed, &p50, &p90); err != nil {
		return MergeTimes{}, fmt.Errorf("merge times: %w", err)
	}
	m.Median, m.P90 = time.Duration(p50)*time.Second, time.Duration(p90)*time.Second
	return m, nil
}

// FirstResponses are the issues or pull requests opened in a period and
// how long they waited for a first response from someone else.
type FirstResponses struct {
	Opened    uint64        // items opened (bots' left out)
	Responded uint64        // of which someone else responded to
	Median    time.Duration // of the responded ones
	P90       time.Duration
}

// FirstResponses measures the issues ("issue_opened") and pull requests
// ("pr_opened") opened in [f.From, f.To) in f.Org or f.Repo (all when
// empty): the first comment or review by someone other than the author,
// bots (f.BotRegex) left out on both sides.
func (s *Store) FirstResponses(ctx context.Context, f LeaderboardFilter) (map[contrib.Kind]FirstResponses, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, firstResponsesSQL, f.projectArgs()...)
	if err != nil {
		return nil, fmt.Errorf("first responses: %w", err)
	}
	defer rows.Close()
	out := map[contrib.Kind]FirstResponses{}
	for rows.Next() {
		var (
			kind     string
			r        FirstResponses
			p50, p90 int64
		)
		if err := rows.Scan(&kind, &r.Opened, &r.Responded, &p50, &p90); err != nil {
			return nil, fmt.Errorf("first responses row: %w", err)
		}
		r.Median, r.P90 = time.Duration(p50)*time.Second, time.Duration(p90)*time.Second
		out[contrib.Kind(kind)] = r
	}
	return out, rows.Err()
}

// ProjectActivity is one repository's or org's activity in a period.
type ProjectActivity struct {
	Name          string // owner/name, or the org
	Contributions uint64
	People        uint64
	Score         float64
	First, Last   time.Time // days of the first and latest contribution
}

// Projects returns the activity of every repository (byOrg: org) with
// contributions a filter selects, most contributions first (Limit is not
// used).
func (s *Store) Projects(ctx context.Context, f LeaderboardFilter, byOrg bool) ([]ProjectActivity, error) {
	f.byRepo = true
	rows, err := s.run(ctx, "projects", f, true, projectsSQL, f.stages(), clickhouse.Named("by_org", boolInt(byOrg)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProjectActivity
	for rows.Next() {
		var (
			p            ProjectActivity
			login        string
			actor, kinds uint64
		)
		if err := rows.Scan(&p.Name, &p.Contributions, &p.People, &p.Score, &p.First, &p.Last, &login, &actor, &kinds); err != nil {
			return nil, fmt.Errorf("projects row: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
