package store

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// ActorScore is one leaderboard line as ClickHouse computes it.
type ActorScore struct {
	ActorID uint64
	Login   string // the latest login, or email:<hex> for an email-only identity
	Score   float64
	Counts  map[contrib.Kind]uint64
}

// A leaderboard or share statement is built from stages, each a query
// around the previous one (in place of its line "-- @input"): people (rows
// summed per identity and resolved to people; the rows are put in place of
// its line "-- @rows": the rollup's, or the raw sightings' when the rollup
// is behind), then memberships and affiliations when the question needs
// them, then the statement itself. Stages a question does not need cost
// nothing.
var (
	peopleSQL           = queries.MustReadWith("people.sql", withoutCounts)
	peopleWithCountsSQL = queries.MustRead("people.sql")
	membershipsSQL      = queries.MustRead("memberships.sql")
	affiliationsSQL     = queries.MustRead("affiliations.sql")
	leaderboardSQL      = queries.MustRead("leaderboard.sql")
	shareSQL            = queries.MustRead("share.sql")
	totalsSQL           = queries.MustRead("totals.sql")
	peopleCountsSQL     = queries.MustRead("people_counts.sql")
	mergeTimesSQL       = queries.MustRead("merge_times.sql")
	firstResponsesSQL   = queries.MustRead("first_responses.sql")
	projectsSQL         = queries.MustRead("projects.sql")
	rawRowsSQL          = queries.MustRead("contribution_rows_raw.sql")
	onlyRowsSQL         = queries.MustRead("contribution_rows_only.sql")
)

var withoutCounts = map[string]string{"identity_counts.sql": "identity_no_counts.sql"}

// The people stage under the accepted profile, which reads one row per
// contribution and its factor (credits_rows.sql).
var (
	peopleCreditedSQL = queries.MustReadWith("people.sql",
		map[string]string{"identity_counts.sql": "identity_no_counts.sql", "people_score.sql": "people_score_credited.sql"})
	peopleCreditedWithCountsSQL = queries.MustReadWith("people.sql", map[string]string{"people_score.sql": "people_score_credited.sql"})
	creditsRowsSQL              = queries.MustRead("credits_rows.sql")
)

// stages says which stages a statement needs.
type stages struct {
	counts       bool // counts per kind
	memberships  bool // roster filters, or grouping by membership
	affiliations bool // an affiliation class
	credited     bool // the accepted profile: one row per contribution, with its factor
}

// statement assembles the statement around its stages.
func statement(outer string, st stages) string {
	q := peopleSQL
	switch {
	case st.credited && st.counts:
		q = peopleCreditedWithCountsSQL
	case st.credited:
		q = peopleCreditedSQL
	case st.counts:
		q = peopleWithCountsSQL
	}
	if st.memberships || st.affiliations {
		q = wrap(membershipsSQL, q)
	}
	if st.affiliations {
		q = wrap(affiliationsSQL, q)
	}
	return wrap(outer, q)
}

func wrap(outer, inner string) string { return queries.MustFill(outer, "input", inner) }

// plan puts the rows in a statement and returns it with its arguments.
func (s *Store) plan(ctx context.Context, f LeaderboardFilter, dated bool, statement string) (string, []any, error) {
	fresh, err := s.identityRollupFresh(ctx)
	if err != nil {
		return "", nil, err
	}
	args := f.args(dated || f.grain != "")
	if f.credited() {
		// Every contribution judged one by one, from the raw sightings.
		return queries.MustFill(statement, "rows", creditsRowsSQL), append(args, f.creditArgs()...), nil
	}
	only := ""
	if f.only != nil {
		only = onlyRowsSQL
		args = append(args, f.only.args()...)
	}
	// The rollup knows days: a period that starts or ends within a day is
	// counted from the raw sightings.
	if !fresh || s.rawReads || !dayAligned(f.From) || !dayAligned(f.To) {
		rows := queries.MustFill(rawRowsSQL, "only", only)
		return queries.MustFill(statement, "rows", rows), args, nil
	}
	coarsest := levelYears
	switch {
	case dated || f.Org != "" || f.Repo != "" || !f.Set.Empty() || f.byRepo || f.grain == "day":
		coarsest = levelDays
	case f.grain == "month":
		coarsest = levelMonths
	}
	rows, rowArgs := splitPeriod(f.From, f.To, coarsest).rowsSQL(only)
	return queries.MustFill(statement, "rows", rows), append(args, rowArgs...), nil
}

// stages are the stages f's filters need.
func (f LeaderboardFilter) stages() stages {
	return stages{memberships: f.rosterFiltered(), affiliations: f.Affiliation != "", credited: f.credited()}
}

// member restricts f to its Member's identities (the roster member with
// that login, else whoever used it), unless it is restricted already.
func (s *Store) member(ctx context.Context, f LeaderboardFilter) (LeaderboardFilter, error) {
	if f.Member == "" || f.only != nil {
		return f, nil
	}
	who, err := s.resolve(ctx, f.Roster, f.Member, 0)
	if err != nil {
		return f, err
	}
	f.only = who.identities()
	return f, nil
}

// run assembles the statement around outer with the stages st, puts f's
// rows in it and runs it (extra: the outer statement's own arguments);
// what names the statement in errors.
func (s *Store) run(ctx context.Context, what string, f LeaderboardFilter, dated bool, outer string, st stages, extra ...any) (driver.Rows, error) {
	if len(f.Kinds) == 0 {
		return nil, fmt.Errorf("%s: no kinds selected", what)
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	if f, err = s.member(ctx, f); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	query, args, err := s.plan(ctx, f, dated, statement(outer, st))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	rows, err := conn.Query(s.readContext(ctx), query, append(args, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("%s query: %w", what, err)
	}
	return rows, nil
}

// Leaderboard returns the top actors by score (rounded to 6 decimals),
// highest first, ties by the login as shown, then id.
func (s *Store) Leaderboard(ctx context.Context, f LeaderboardFilter) ([]ActorScore, error) {
	// One statement with the counts per kind costs less than asking for
	// the top without them and then for their counts: on ClickHouse 18.16
	// planning a statement this deep costs about as much as summing the
	// counts of 50,000 identities.
	if s.peopleAnswers(f) && len(f.Kinds) > 0 {
		out, ok, err := s.peopleLeaderboardAnswer(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("leaderboard: %w", err)
		}
		if ok {
			return out, nil
		}
	}
	st := f.stages()
	st.counts = true
	rows, err := s.run(ctx, "leaderboard", f, f.dated(), leaderboardSQL, st)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	selected := f.selected()
	var out []ActorScore
	for rows.Next() {
		var (
			a             ActorScore
			latest        string
			contributions uint64
			counts        []uint64
		)
		if err := rows.Scan(&a.ActorID, &latest, &a.Login, &a.Score, &contributions, &counts); err != nil {
			return nil, fmt.Errorf("leaderboard row: %w", err)
		}
		if a.Counts, err = selectedCounts(counts, selected); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// selectedCounts turns a leaderboard row's counts per kind (in the order
// of contrib.Kinds) into the non-zero counts of the selected kinds.
func selectedCounts(counts []uint64, selected []uint32) (map[contrib.Kind]uint64, error) {
	if len(counts) != len(contrib.Kinds) {
		return nil, fmt.Errorf("leaderboard row: %d counts for %d kinds", len(counts), len(contrib.Kinds))
	}
	out := map[contrib.Kind]uint64{}
	for i, k := range contrib.Kinds {
		if selected[i] == 1 && counts[i] > 0 {
			out[k] = counts[i]
		}
	}
	return out, nil
}
