package store

import (
	"context"
	"fmt"
	"time"

	"contribtrack/queries"
)

// rollupState is what one read of the rollups' bookkeeping says
// (rollup_state.sql): the parts of the data version, and whether the
// people rollup can answer.
type rollupState struct {
	marked uint64 // the latest mark
	marks  uint64 // the sum over buckets of each bucket's latest mark of each kind
	built  uint64 // the latest build's generation
	roster uint64 // the active roster import

	staleIdentity, stalePeople int       // buckets behind, of each rollup
	peopleEnd                  time.Time // the people rollup's latest snapshot (zero: empty or none)
	peopleGen                  uint64    // its latest build
}

// rollupStateSQL is rollup_state.sql without the people rollup's line, and
// rollupStatePeopleSQL with it.
var (
	rollupStateSQL       = queries.MustFill(queries.MustRead("rollup_state.sql"), "people", "")
	rollupStatePeopleSQL = queries.MustFill(queries.MustRead("rollup_state.sql"), "people", queries.MustRead("rollup_state_people.sql"))
)

// The parts of rollup_state.sql.
const (
	stateMark   = 0
	stateBuild  = 1
	stateRoster = 2
	statePeople = 3
)

// readRollupState reads the rollups' state; the people rollup's last
// snapshot only when people is set (the data version does not need it).
func (s *Store) readRollupState(ctx context.Context, people bool) (rollupState, error) {
	var st rollupState
	conn, err := s.db()
	if err != nil {
		return st, err
	}
	query := rollupStateSQL
	if people && s.hasPeopleRollup() {
		query = rollupStatePeopleSQL
	}
	rows, err := conn.Query(s.readContext(ctx), query)
	if err != nil {
		return st, fmt.Errorf("reading the rollup's state: %w", err)
	}
	defer rows.Close()
	marked := map[uint32]uint64{}  // each bucket's latest mark
	covered := map[uint32]uint64{} // the latest mark its latest build covers
	for rows.Next() {
		var (
			part, derived uint8
			bucket        uint32
			value, gen    uint64
		)
		if err := rows.Scan(&part, &bucket, &derived, &value, &gen); err != nil {
			return st, fmt.Errorf("reading the rollup's state: %w", err)
		}
		switch part {
		case stateMark:
			st.marked = max(st.marked, value)
			st.marks += value // wraps as ClickHouse's sum does: only change matters
			marked[bucket] = max(marked[bucket], value)
		case stateBuild:
			st.built = max(st.built, gen)
			covered[bucket] = value
			if isPeopleBucket(bucket) {
				st.peopleGen = max(st.peopleGen, gen)
			}
		case stateRoster:
			st.roster = value
		case statePeople:
			if value > 0 {
				st.peopleEnd = time.Unix(int64(value), 0).UTC()
			}
		}
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("reading the rollup's state: %w", err)
	}
	// A bucket is behind when its latest mark is later than what its latest
	// build covers (as rollup_stale.sql finds them).
	for b, m := range marked {
		if m <= covered[b] {
			continue
		}
		if isPeopleBucket(b) {
			st.stalePeople++
		} else {
			st.staleIdentity++
		}
	}
	return st, nil
}

// DataVersion changes whenever an answer of the store could: a
// contribution stored (Insert marks the rollup), a rollup rebuilt, a roster
// imported. Caches of answers key on it; two versions are the same data
// when they are equal (==).
type DataVersion struct {
	// Marked is the latest mark; Marks the sum over buckets of each
	// bucket's latest mark of each kind (it changes with every new mark
	// when the overall latest may not, since marks are monotonic per
	// bucket and not across buckets, and it does not change when
	// ClickHouse merges the marks, which keeps only each bucket's latest:
	// a merge costs no cache miss).
	Marked, Marks uint64
	Built         uint64 // the latest rollup build
	Roster        uint64 // the active roster import
}

// String is the version as one token (cache keys, logs).
func (v DataVersion) String() string {
	return fmt.Sprintf("%d.%d.%d.%d", v.Marked, v.Marks, v.Built, v.Roster)
}

// version is the data version this state is at.
func (st rollupState) version() DataVersion {
	return DataVersion{Marked: st.marked, Marks: st.marks, Built: st.built, Roster: st.roster}
}

// DataVersion reads the data version.
func (s *Store) DataVersion(ctx context.Context) (DataVersion, error) {
	st, err := s.readRollupState(ctx, false)
	if err != nil {
		return DataVersion{}, err
	}
	return st.version(), nil
}

// peopleState is what a reader of the people rollup needs to know.
type peopleState struct {
	staleIdentity, stalePeople int       // buckets behind, of each rollup
	end                        time.Time // the latest snapshot (zero: empty)
	gen                        uint64    // the latest build
	roster                     uint64    // the active roster, which builds resolve people with
}

// fresh reports whether both rollups are up to date.
func (st peopleState) fresh() bool { return st.staleIdentity == 0 && st.stalePeople == 0 }

// usable reports whether a leaderboard with filter f can read the people
// rollup in this state.
func (st peopleState) usable(f LeaderboardFilter) bool {
	return st.fresh() && !st.end.IsZero() && st.roster == f.Roster
}

// same reports whether two reads of the state found the same rollups.
func (st peopleState) same(o peopleState) bool {
	return st.fresh() == o.fresh() && st.roster == o.roster && st.gen == o.gen && st.end.Equal(o.end)
}

// peopleState reads the people rollup's state.
func (s *Store) peopleState(ctx context.Context) (peopleState, error) {
	st, err := s.readRollupState(ctx, true)
	if err != nil {
		return peopleState{}, err
	}
	return peopleState{staleIdentity: st.staleIdentity, stalePeople: st.stalePeople, end: st.peopleEnd, gen: st.peopleGen, roster: st.roster}, nil
}
