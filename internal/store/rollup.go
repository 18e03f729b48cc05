package store

import (
	"context"
	"fmt"
	"time"

	"contribtrack/queries"
)

// The rollup (rollup_days, rollup_months, rollup_years; migration 0007)
// holds every natural key counted once, so that a leaderboard reads tens of
// thousands of pre-aggregated rows instead of reducing millions of
// sightings. It is kept exact this way:
//
//   - Insert marks the months of its batch (rollup_marks) before and after
//     storing it. A mark is always later than every earlier mark of its
//     bucket, whichever process or clock wrote those.
//   - RefreshRollup rebuilds every bucket whose latest mark is later than
//     what its latest build covers, in build tables of its own, swaps the
//     result in with REPLACE PARTITION, and records the build
//     (rollup_builds) afterwards.
//   - Readers use the rollup only when no bucket is stale; otherwise they
//     compute the same rows from the raw sightings (slower, as exact).
//
// A month bucket (YYYYMM) is its partition of rollup_days; a year bucket
// (YYYY) its partitions of rollup_months and rollup_years.

// maxRefreshRounds bounds RefreshRollup's rounds: a round rebuilds the
// stale months, and may mark others whose keys moved (see rollup_spread).
const maxRefreshRounds = 8

// monthsPerPass is how many stale months one reduction covers: the whole
// history at once would need memory in proportion to it.
const monthsPerPass = 12

// contributionMonthsSQL lists the months with contributions (RebuildRollup).
var contributionMonthsSQL = queries.MustRead("contribution_months.sql")

// RollupFresh reports whether the rollup (the identity rollup and the
// people rollup) reflects every stored contribution and the active roster.
func (s *Store) RollupFresh(ctx context.Context) (bool, error) {
	stale, err := s.staleBuckets(ctx)
	return len(stale) == 0, err
}

// identityRollupFresh reports whether the identity rollup (days, months,
// years) reflects every stored contribution: what its readers need,
// whatever the people rollup's state.
func (s *Store) identityRollupFresh(ctx context.Context) (bool, error) {
	stale, err := s.staleBuckets(ctx)
	if err != nil {
		return false, err
	}
	for _, b := range stale {
		if !isPeopleBucket(b.bucket) {
			return false, nil
		}
	}
	return true, nil
}

// RebuildRollup marks every month with contributions stale and refreshes
// the rollup: for contributions written without Insert (an INSERT ...
// SELECT by hand, a restored backup).
func (s *Store) RebuildRollup(ctx context.Context) (RollupStats, error) {
	months, err := s.contributionMonths(ctx)
	if err != nil {
		return RollupStats{}, err
	}
	if err := s.markBuckets(ctx, months, false); err != nil {
		return RollupStats{}, err
	}
	return s.RefreshRollup(ctx)
}

// contributionMonths lists every month (YYYYMM) with a stored sighting.
func (s *Store) contributionMonths(ctx context.Context) ([]uint32, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, contributionMonthsSQL)
	if err != nil {
		return nil, fmt.Errorf("listing months: %w", err)
	}
	defer rows.Close()
	var months []uint32
	for rows.Next() {
		var m uint32
		if err := rows.Scan(&m); err != nil {
			return nil, fmt.Errorf("listing months: %w", err)
		}
		months = append(months, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing months: %w", err)
	}
	return months, nil
}

// RollupStats says what a RefreshRollup did.
type RollupStats struct {
	Months, Years int // buckets rebuilt
	People        int // builds of the people rollup
	Rounds        int
}

// RefreshRollup brings the rollup up to date with the stored
// contributions: it rebuilds the stale months, then the stale years. Safe
// to run at any time, from several processes: the latest build of a
// bucket wins, and a build never claims marks written after it started.
func (s *Store) RefreshRollup(ctx context.Context) (RollupStats, error) {
	var st RollupStats
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		return st, err
	}
	// One refresh at a time on a cluster, across processes: a refresh
	// swaps each bucket in shard by shard, and an older build swapped in
	// between a newer one's shards would be taken for it. (On one server
	// a bucket is one swap, and the check after it catches an overtaken
	// build.)
	if s.layout.Cluster == "" {
		return s.refreshRollup(ctx)
	}
	err := s.holding(ctx, "rollup-refresh", refreshLeaseTTL, func() error {
		var err error
		st, err = s.refreshRollup(ctx)
		return err
	})
	return st, err
}

// refreshLeaseTTL is how long a refresh's lease lasts unless renewed.
const refreshLeaseTTL = 60 * time.Second

func (s *Store) refreshRollup(ctx context.Context) (RollupStats, error) {
	var st RollupStats
	if err := s.dropStaleBuildTables(ctx); err != nil {
		return st, err
	}
	for st.Rounds < maxRefreshRounds {
		stale, err := s.staleBuckets(ctx)
		if err != nil {
			return st, err
		}
		var months, years, people []staleBucket
		for _, b := range stale {
			switch {
			case yearBucket(b.bucket):
				years = append(years, b)
			case isPeopleBucket(b.bucket):
				people = append(people, b)
			default:
				months = append(months, b)
			}
		}
		if len(months) == 0 && len(years) == 0 {
			if len(people) == 0 {
				return st, nil
			}
			if err := s.buildPeople(ctx, people); err != nil {
				return st, err
			}
			st.People++
			st.Rounds++
			continue
		}
		if len(months) == 0 {
			if err := s.buildYears(ctx, years); err != nil {
				return st, err
			}
			st.Years += len(years)
			st.Rounds++
			continue
		}
		for len(months) > 0 {
			n := min(len(months), monthsPerPass)
			if err := s.buildMonths(ctx, months[:n]); err != nil {
				return st, err
			}
			st.Months += n
			months = months[n:]
		}
		st.Rounds++
	}
	return st, fmt.Errorf("rollup: still stale after %d rounds (other processes keep writing); the next refresh continues", maxRefreshRounds)
}
