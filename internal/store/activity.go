package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// ActivityUnits are the buckets Activity can sum by.
var ActivityUnits = []string{"day", "week", "month", "year"}

// ActivityBucket is one bucket of activity: its first day (a Monday for
// weeks), how many people contributed in it and their contributions.
type ActivityBucket struct {
	Start         time.Time
	People        uint64
	Contributions uint64
	Counts        map[contrib.Kind]uint64
}

var activitySQL = queries.MustRead("activity.sql")

// Activity sums the contributions a filter selects per day, week (from
// Monday), month or year; buckets without a contribution are left out.
func (s *Store) Activity(ctx context.Context, f LeaderboardFilter, unit string) ([]ActivityBucket, error) {
	if !slices.Contains(ActivityUnits, unit) {
		return nil, fmt.Errorf("activity: unit %q: want one of %v", unit, ActivityUnits)
	}
	st := f.stages()
	st.counts = true
	// Rows dated by the unit: a month's or a year's sums come from the
	// coarser rollups when no filter needs days.
	f.grain = map[string]string{"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
	rows, err := s.run(ctx, "activity", f, f.dated(), activitySQL, st, clickhouse.Named("unit", unit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	selected := f.selected()
	var out []ActivityBucket
	for rows.Next() {
		var (
			b      ActivityBucket
			counts []uint64
			score  float64
			login  string
			actor  uint64
		)
		if err := rows.Scan(&b.Start, &b.People, &b.Contributions, &counts, &score, &login, &actor); err != nil {
			return nil, fmt.Errorf("activity row: %w", err)
		}
		b.Start = b.Start.UTC()
		b.Counts = map[contrib.Kind]uint64{}
		for i, k := range contrib.Kinds {
			if i < len(counts) && selected[i] == 1 && counts[i] > 0 {
				b.Counts[k] = counts[i]
			}
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
