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

// MemberDetails are what a report shows of a roster member: the display
// name and the programs held at some time in a period.
type MemberDetails struct {
	Name     string
	Programs []string // sorted
}

// MemberDetails returns the details of the roster import's members for
// [from, to), by member id.
func (s *Store) MemberDetails(ctx context.Context, importID uint64, from, to time.Time) (map[uint64]MemberDetails, error) {
	out := map[uint64]MemberDetails{}
	if importID == 0 {
		return out, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	// ClickHouse 18.16 joins one table per SELECT: two reads.
	rows, err := conn.Query(ctx, `SELECT member_id, name FROM roster_members WHERE import_id = @imp`, namedImport(importID))
	if err != nil {
		return nil, fmt.Errorf("reading the roster's members: %w", err)
	}
	for rows.Next() {
		var id uint64
		var d MemberDetails
		if err := rows.Scan(&id, &d.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the roster's members: %w", err)
		}
		out[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the roster's members: %w", err)
	}
	rows, err = conn.Query(ctx, `SELECT member_id, arraySort(groupUniqArray(program)) FROM roster_memberships
		WHERE import_id = @imp AND program != '' AND starts < toDateTime(@to, 'UTC') AND ends > toDateTime(@from, 'UTC')
		GROUP BY member_id`, namedImport(importID), clickhouse.Named("from", uint32(from.Unix())), clickhouse.Named("to", uint32(to.Unix())))
	if err != nil {
		return nil, fmt.Errorf("reading the roster's memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint64
		var programs []string
		if err := rows.Scan(&id, &programs); err != nil {
			return nil, fmt.Errorf("reading the roster's memberships: %w", err)
		}
		d := out[id]
		d.Programs = programs
		out[id] = d
	}
	return out, rows.Err()
}
