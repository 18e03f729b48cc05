package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// The people rollup (rollup_people, migrations 0011 and 0012) holds, for every
// Monday, every person's contributions made before it, with identities
// already resolved to people by the active roster. A leaderboard of
// [from, to) reads two of its snapshots and subtracts one from the other,
// then adds or takes away the few days between each end and its Monday
// (rollup_people_days): about two rows per person, whatever the period. The
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
	rollupPeopleDaysSQL  = queries.MustRead("rollup_people_days.sql")
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
		clickhouse.Named("from", uint32(monthStart(lo).Unix())),
		clickhouse.Named("to", uint32(monthStart(hi).AddDate(0, 1, 0).Unix())),
		clickhouse.Named("base", uint32(base.Unix())),
		clickhouse.Named("first", uint32(first.Unix())),
		clickhouse.Named("last", uint32(last.Unix())),
	}
	// The days first: the snapshots are summed from them. A build covers
	// every month from lo on (180 of them for GH Archive since 2011), each
	// a partition of one INSERT: more than ClickHouse allows by default.
	conn, err := s.db()
	if err != nil {
		return err
	}
	settings, err := knownSettings(ctx, conn, buildSettings)
	if err != nil {
		return err
	}
	ctx = clickhouse.Context(ctx, clickhouse.WithSettings(settings))
	return s.rebuild(ctx, []string{"rollup_people_days", "rollup_people"}, []string{rollupPeopleDaysSQL, rollupPeopleSQL}, args, buckets, gen, covers)
}

// buildSettings are what a build of the people rollup runs with, where the
// server knows them.
var buildSettings = clickhouse.Settings{"max_partitions_per_insert_block": 0}

// peopleBots caches the logins of the people rollup that a set of bot
// rules leaves out, per build, and the state it was read at.
type peopleBots struct {
	mu      sync.Mutex
	state   peopleState
	botRE   string
	humanRE string
	logins  []string // nil: none read
}

// peopleBotLogins returns the logins of the people rollup (state st) that
// the bot rules leave out.
func (s *Store) peopleBotLogins(ctx context.Context, st peopleState, botRE, humanRE string) ([]string, error) {
	c := &s.bots
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.gen == st.gen && c.state.end.Equal(st.end) && c.botRE == botRE && c.humanRE == humanRE && c.logins != nil {
		c.state = st
		return c.logins, nil
	}
	logins := []string{}
	if botRE != "" {
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
	}
	c.state, c.botRE, c.humanRE, c.logins = st, botRE, humanRE, logins
	return logins, nil
}

// lastBots returns the state and bots read last for these rules (ok
// false: none).
func (s *Store) lastBots(botRE, humanRE string) (peopleState, []string, bool) {
	c := &s.bots
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.logins == nil || c.botRE != botRE || c.humanRE != humanRE {
		return peopleState{}, nil, false
	}
	return c.state, c.logins, true
}

// peopleAnswers reports whether the people rollup can answer a
// leaderboard with this filter: no filter it does not know (orgs,
// repositories, dated roster filters, one member), a period of whole days
// long enough, and both rollups up to date.
func (s *Store) peopleAnswers(f LeaderboardFilter) bool {
	return s.hasPeopleRollup() && !s.rawReads && !s.identityReads && !f.credited() &&
		f.Org == "" && f.Repo == "" && f.Set.Empty() && !f.dated() && f.Member == "" && f.only == nil &&
		!f.byRepo && f.grain == "" && dayAligned(f.From) && dayAligned(f.To) && f.To.Sub(f.From) >= minPeoplePeriod
}

// peopleWindow is how a period reads the people rollup: the snapshots of
// Mondays pb (added) and pa (taken away), the days of ea counted with sign
// (taken away when pa is before the period's start, added when after), and
// the days of [pb, to) added.
type peopleWindow struct {
	pa, pb time.Time
	ea     [2]time.Time
	sign   int8
}

// windowOf places a period in a people rollup whose last snapshot is end;
// ok is false when the two snapshots would be one.
func windowOf(from, to, end time.Time) (w peopleWindow, ok bool) {
	from, to = from.UTC(), to.UTC()
	// Monday pb is never after the end, so that no login of its snapshot
	// is later than the period; pa is the Monday nearest the start.
	w.pb, w.pa = monday(to), monday(from)
	if from.Sub(w.pa) > 3*24*time.Hour {
		w.pa = w.pa.AddDate(0, 0, 7)
	}
	// After the last snapshot nothing is stored: it stands for later ones.
	if w.pb.After(end) {
		w.pb = end
	}
	if w.pa.After(end) {
		w.pa = end
	}
	w.ea, w.sign = [2]time.Time{w.pa, from}, -1
	if w.pa.After(from) {
		w.ea, w.sign = [2]time.Time{from, w.pa}, 1
	}
	return w, w.pa.Before(w.pb)
}

// peopleLeaderboardAnswer answers a leaderboard from the people rollup;
// ok is false when it cannot (a rollup behind, another roster, no data),
// and the caller asks the identity rollup. The lines are those of
// Leaderboard over the identity rollup: counts of the selected kinds, the
// score rounded to 6 decimals as ClickHouse's round does it (half to
// even), ordered by score, login as shown, then person.
//
// One statement answers (leaderboard_people.sql). The rollups' state
// (peopleState) is read before every answer: when the state read last
// still holds, it is read at the same time as the answer, which is kept
// if the state did not change; otherwise the state is read first.
func (s *Store) peopleLeaderboardAnswer(ctx context.Context, f LeaderboardFilter) ([]ActorScore, bool, error) {
	if last, bots, known := s.lastBots(f.BotRegex, f.HumanRegex); known && last.usable(f) {
		if w, ok := windowOf(f.From, f.To, last.end); ok {
			type stateRead struct {
				st  peopleState
				err error
			}
			now := make(chan stateRead, 1)
			go func() {
				st, err := s.peopleState(ctx)
				now <- stateRead{st, err}
			}()
			lines, err := s.peopleLines(ctx, f, w, bots)
			read := <-now
			if err != nil {
				return nil, false, err
			}
			if read.err != nil {
				return nil, false, read.err
			}
			if read.st.same(last) {
				return lines, true, nil
			}
		}
	}
	st, err := s.peopleState(ctx)
	if err != nil || !st.usable(f) {
		return nil, false, err
	}
	w, ok := windowOf(f.From, f.To, st.end)
	if !ok {
		return nil, false, nil
	}
	bots, err := s.peopleBotLogins(ctx, st, f.BotRegex, f.HumanRegex)
	if err != nil {
		return nil, false, err
	}
	lines, err := s.peopleLines(ctx, f, w, bots)
	return lines, err == nil, err
}

// peopleLines asks leaderboard_people.sql for the lines of the people a
// leaderboard lists, weighed and ordered.
func (s *Store) peopleLines(ctx context.Context, f LeaderboardFilter, w peopleWindow, bots []string) ([]ActorScore, error) {
	query, args := peopleStatement(f, w, bots)
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(s.readContext(ctx), query, args...)
	if err != nil {
		return nil, fmt.Errorf("leaderboard query: %w", err)
	}
	defer rows.Close()
	selected := f.selected()
	var out []ActorScore
	for rows.Next() {
		var (
			a      ActorScore
			counts []uint64
		)
		if err := rows.Scan(&a.ActorID, &a.Login, &counts); err != nil {
			return nil, fmt.Errorf("leaderboard row: %w", err)
		}
		if a.Counts, err = selectedCounts(counts, selected); err != nil {
			return nil, err
		}
		if len(a.Counts) == 0 {
			continue
		}
		if a.Login == "" {
			a.Login = contrib.EmailLabel(a.ActorID)
		}
		var score float64
		for _, k := range contrib.Kinds { // in order: the same sum every time
			score += float64(a.Counts[k]) * f.Weights[k]
		}
		a.Score = math.RoundToEven(score*1e6) / 1e6
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("leaderboard row: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].Login != out[j].Login {
			return out[i].Login < out[j].Login
		}
		return out[i].ActorID < out[j].ActorID
	})
	if len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// peopleStatement returns leaderboard_people.sql for a leaderboard, its
// window and the bots' logins, with its arguments.
func peopleStatement(f LeaderboardFilter, w peopleWindow, bots []string) (string, []any) {
	// One sum finds who counts when every selected kind weighs something.
	having, minScore := "leaderboard_people_having_score.sql", 0.0
	for _, k := range f.Kinds {
		wk := f.Weights[k]
		if wk <= 0 {
			having = "leaderboard_people_having_count.sql"
			break
		}
		if minScore == 0 || wk/2 < minScore {
			minScore = wk / 2
		}
	}
	selected := f.selected()
	weights, selection := make([]float64, len(contrib.Kinds)), make([]float64, len(contrib.Kinds))
	for i, k := range contrib.Kinds {
		if selected[i] == 1 {
			weights[i], selection[i] = f.Weights[k], 1
		}
	}
	query := queries.MustFill(leaderboardPeopleSQL, "having", queries.MustRead(having))
	botLines := ""
	if len(bots) > 0 {
		botLines = queries.MustRead("leaderboard_people_bots.sql")
	}
	query = queries.MustFillEach(query, "bots", botLines)
	args := []any{
		clickhouse.Named("to", uint32(f.To.Unix())),
		clickhouse.Named("limit", uint64(f.Limit)),
		clickhouse.Named("weights", weights), clickhouse.Named("selection", selection),
		clickhouse.Named("pa", uint32(w.pa.Unix())), clickhouse.Named("pb", uint32(w.pb.Unix())),
		clickhouse.Named("ea_from", uint32(w.ea[0].Unix())), clickhouse.Named("ea_to", uint32(w.ea[1].Unix())),
		clickhouse.Named("ea_sign", w.sign), clickhouse.Named("min_score", minScore),
	}
	if len(bots) > 0 {
		set := make([]any, len(bots))
		for i, l := range bots {
			set[i] = l
		}
		args = append(args, clickhouse.Named("bots", clickhouse.GroupSet{Value: set}))
	}
	return query, args
}
