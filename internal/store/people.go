package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// The people rollup (rollup_people, migration 0011) holds, for every
// Monday, every person's contributions made before it, with identities
// already resolved to people by the active roster. A leaderboard of
// [from, to) reads two of its snapshots and subtracts one from the other,
// then adds or takes away the few days between each end and its Monday
// from the day rollup: about two rows per person, whatever the period. The
// identity rollup reads a row per identity and month, and resolves people
// in every question.
//
// It is kept like the identity rollup (rollup.go): a month of snapshots is
// a bucket (peopleBase + YYYYMM) that marks make stale and builds make
// fresh, swapped in with REPLACE PARTITION. A snapshot depends on every
// day before it, so a build covers a contiguous run of months: from the
// earliest stale one to the month of the last snapshot. Rebuilding a month
// of the day rollup, or importing a roster, marks the people rollup stale
// from there on.
//
// It exists on one server of a current release only (window functions;
// the cluster tests' replication runs on 18.16): elsewhere, and whenever
// either rollup is behind, leaderboards read the identity rollup, as exact
// and slower.

// peopleBase offsets the people rollup's buckets from the identity
// rollup's months (YYYYMM) and years (YYYY).
const peopleBase = 100_000_000

func isPeopleBucket(b uint32) bool { return b >= peopleBase }

// partitionOf is the partition of its table that a bucket is.
func partitionOf(b uint32) uint32 {
	if isPeopleBucket(b) {
		return b - peopleBase
	}
	return b
}

// minPeoplePeriod is the shortest period a leaderboard reads from the
// people rollup: shorter ones read fewer rows from the identity rollup
// anyway, and a period this long keeps its two ends' days apart.
const minPeoplePeriod = 28 * 24 * time.Hour

var (
	rollupPeopleSQL      = queries.MustRead("rollup_people.sql")
	rollupPeopleStateSQL = queries.MustRead("rollup_people_state.sql")
	rollupPeopleBotsSQL  = queries.MustRead("rollup_people_bots.sql")
	rollupDaysSpanSQL    = queries.MustRead("rollup_days_span.sql")
	leaderboardPeopleSQL = queries.MustRead("leaderboard_people.sql")
)

// hasPeopleRollup reports whether the store keeps the people rollup.
func (s *Store) hasPeopleRollup() bool { return s.layout.Cluster == "" && !s.layout.Legacy }

// monday returns the Monday on or before a day.
func monday(t time.Time) time.Time {
	t = t.UTC().Truncate(24 * time.Hour)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// daysSpan returns the first and last day of the day rollup (zero times
// when it is empty).
func (s *Store) daysSpan(ctx context.Context) (first, last time.Time, err error) {
	conn, err := s.db()
	if err != nil {
		return first, last, err
	}
	if err := conn.QueryRow(ctx, rollupDaysSpanSQL).Scan(&first, &last); err != nil {
		return first, last, fmt.Errorf("reading the day rollup's span: %w", err)
	}
	if first.Unix() <= 0 {
		return time.Time{}, time.Time{}, nil
	}
	return first.UTC(), last.UTC(), nil
}

// markPeople marks the people rollup stale from month m on (YYYYMM; a
// build rebuilds every month after the earliest stale one).
func (s *Store) markPeople(ctx context.Context, m uint32) error {
	if !s.hasPeopleRollup() {
		return nil
	}
	return s.markBuckets(ctx, []uint32{peopleBase + m}, true)
}

// markPeopleFromStart marks the whole people rollup stale (a roster
// changes who everyone is).
func (s *Store) markPeopleFromStart(ctx context.Context) error {
	if !s.hasPeopleRollup() {
		return nil
	}
	first, _, err := s.daysSpan(ctx)
	if err != nil || first.IsZero() {
		return err
	}
	return s.markPeople(ctx, monthOf(first))
}

// peopleState is what the people rollup holds.
type peopleState struct {
	end    time.Time // its latest snapshot (zero: empty)
	gen    uint64    // its latest build
	roster uint64    // the active roster, which builds resolve people with
}

func (s *Store) peopleState(ctx context.Context) (peopleState, error) {
	var st peopleState
	conn, err := s.db()
	if err != nil {
		return st, err
	}
	if err := conn.QueryRow(ctx, rollupPeopleStateSQL).Scan(&st.end, &st.gen, &st.roster); err != nil {
		return st, fmt.Errorf("reading the people rollup's state: %w", err)
	}
	if st.end.Unix() <= 0 {
		st.end = time.Time{}
	}
	st.end = st.end.UTC()
	return st, nil
}

// buildPeople rebuilds the people rollup from its earliest stale month to
// its last snapshot: the Monday after the day rollup's last day.
func (s *Store) buildPeople(ctx context.Context, stale []staleBucket) error {
	lo := stale[0].bucket - peopleBase
	for _, b := range stale {
		lo = min(lo, b.bucket-peopleBase)
	}
	st, err := s.peopleState(ctx)
	if err != nil {
		return err
	}
	// Months after the current last snapshot have none yet: build them
	// too, however far the new data is.
	if !st.end.IsZero() {
		lo = min(lo, monthOf(st.end))
	}
	_, lastDay, err := s.daysSpan(ctx)
	if err != nil {
		return err
	}
	first := monday(monthStart(lo).AddDate(0, 0, 6)) // the first Monday of month lo
	base := first.AddDate(0, 0, -7)
	last := base // nothing to build: the swap empties the months
	if !lastDay.IsZero() {
		last = monday(lastDay).AddDate(0, 0, 7)
	}
	hi := lo
	for _, b := range stale {
		hi = max(hi, b.bucket-peopleBase)
	}
	hi = max(hi, monthOf(last))
	var buckets []uint32
	for m := monthStart(lo); !m.After(monthStart(hi)); m = m.AddDate(0, 1, 0) {
		buckets = append(buckets, peopleBase+monthOf(m))
	}
	covers, err := s.latestMarks(ctx, buckets)
	if err != nil {
		return err
	}
	gen, err := s.nextGen(ctx, buckets)
	if err != nil {
		return err
	}
	// The roster read after the marks: a roster imported later marks the
	// people rollup again, after this build's covers.
	active, err := s.ActiveRoster(ctx)
	if err != nil {
		return err
	}
	args := []any{
		clickhouse.Named("roster", active.ID),
		clickhouse.Named("base", uint32(base.Unix())),
		clickhouse.Named("first", uint32(first.Unix())),
		clickhouse.Named("last", uint32(last.Unix())),
	}
	return s.rebuild(ctx, []string{"rollup_people"}, []string{rollupPeopleSQL}, args, buckets, gen, covers)
}

// peopleBots caches the logins of the people rollup that a set of bot
// rules leaves out, per build.
type peopleBots struct {
	mu      sync.Mutex
	gen     uint64
	botRE   string
	humanRE string
	logins  []string
}

// peopleBotLogins returns the logins of the people rollup (latest
// snapshot end, build gen) that the bot rules leave out.
func (s *Store) peopleBotLogins(ctx context.Context, st peopleState, botRE, humanRE string) ([]string, error) {
	if botRE == "" {
		return nil, nil
	}
	c := &s.bots
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == st.gen && c.botRE == botRE && c.humanRE == humanRE && c.logins != nil {
		return c.logins, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, rollupPeopleBotsSQL, clickhouse.Named("end", uint32(st.end.Unix())),
		clickhouse.Named("bot_regex", botRE), clickhouse.Named("human_regex", humanRegex(humanRE)))
	if err != nil {
		return nil, fmt.Errorf("finding bots: %w", err)
	}
	defer rows.Close()
	logins := []string{}
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("finding bots: %w", err)
		}
		logins = append(logins, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding bots: %w", err)
	}
	c.gen, c.botRE, c.humanRE, c.logins = st.gen, botRE, humanRE, logins
	return logins, nil
}

// peopleAnswers reports whether the people rollup can answer a
// leaderboard with this filter: no filter it does not know (orgs,
// repositories, dated roster filters, one member), a period of whole days
// long enough, and both rollups up to date.
func (s *Store) peopleAnswers(f LeaderboardFilter) bool {
	return s.hasPeopleRollup() && !s.rawReads && !s.identityReads &&
		f.Org == "" && f.Repo == "" && f.Set.Empty() && !f.dated() && f.Member == "" && f.only == nil &&
		!f.byRepo && f.grain == "" && dayAligned(f.From) && dayAligned(f.To) && f.To.Sub(f.From) >= minPeoplePeriod
}

// peopleLeaderboard plans a leaderboard over the people rollup; ok is false
// when it cannot answer (a rollup behind, another roster, no data), and
// the caller asks the identity rollup.
func (s *Store) peopleLeaderboard(ctx context.Context, f LeaderboardFilter) (query string, args []any, ok bool, err error) {
	stale, err := s.staleBuckets(ctx)
	if err != nil || len(stale) > 0 {
		return "", nil, false, err
	}
	st, err := s.peopleState(ctx)
	if err != nil || st.end.IsZero() || st.roster != f.Roster {
		return "", nil, false, err
	}
	// Monday pb is never after the end, so that no login of its snapshot
	// is later than the period; pa is the Monday nearest the start.
	from, to := f.From.UTC(), f.To.UTC()
	pb := monday(to)
	pa := monday(from)
	if from.Sub(pa) > 3*24*time.Hour {
		pa = pa.AddDate(0, 0, 7)
	}
	// After the last snapshot nothing is stored: it stands for later ones.
	if pb.After(st.end) {
		pb = st.end
	}
	if pa.After(st.end) {
		pa = st.end
	}
	if !pa.Before(pb) {
		return "", nil, false, nil
	}
	bots, err := s.peopleBotLogins(ctx, st, f.BotRegex, f.HumanRegex)
	if err != nil {
		return "", nil, false, err
	}
	botSet := []any{"\x00"} // IN () is not valid SQL; no login is "\x00"
	for _, l := range bots {
		botSet = append(botSet, l)
	}
	// The edges' days: [min(pa, from), max(pa, from)) taken away or added,
	// [pb, to) added. The people stage reads them dated, without the bot
	// rules (the statement leaves bots out by login).
	ea := [2]time.Time{pa, from}
	sign := int8(-1)
	if pa.After(from) {
		ea, sign = [2]time.Time{from, pa}, 1
	}
	edges := rollupRanges{d1: ea, d2: [2]time.Time{pb, to}}
	empty := [2]time.Time{from, from}
	edges.m1, edges.m2, edges.y = empty, empty, empty
	rowsPart, rowArgs := edges.rowsSQL("")
	g := f
	g.BotRegex, g.HumanRegex = "", ""
	args = append(g.args(true), rowArgs...)
	args = append(args,
		clickhouse.Named("pa", uint32(pa.Unix())), clickhouse.Named("pb", uint32(pb.Unix())),
		clickhouse.Named("ea_from", uint32(ea[0].Unix())), clickhouse.Named("ea_to", uint32(ea[1].Unix())),
		clickhouse.Named("ea_sign", sign),
		clickhouse.Named("bots", clickhouse.GroupSet{Value: botSet}))
	query = wrap(leaderboardPeopleSQL, queries.MustFill(peopleWithCountsSQL, "rows", rowsPart))
	return query, args, true, nil
}
