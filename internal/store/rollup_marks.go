// The rollups' write side: the marks that make buckets stale (Insert,
// roster imports, rebuilds), and how stale buckets are found.

package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// The statements that mark buckets stale and find them.
var (
	rollupMarksInsertSQL = queries.MustRead("rollup_marks_insert.sql")
	rollupMarksLatestSQL = queries.MustRead("rollup_marks_latest.sql")
	rollupStaleSQL       = queries.MustRead("rollup_stale.sql")
)

// yearBucket tells a year bucket (YYYY) from a month bucket (YYYYMM).
func yearBucket(b uint32) bool { return b < 10000 }

func monthOf(t time.Time) uint32 {
	t = t.UTC()
	return uint32(t.Year())*100 + uint32(t.Month())
}

// monthsOf returns the distinct months of the contributions' times.
func monthsOf(cs []contrib.Contribution) []uint32 {
	seen := map[uint32]bool{}
	var out []uint32
	for i := range cs {
		if m := monthOf(cs[i].CreatedAt); !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// markBuckets records that the buckets' contributions changed. Each mark
// is later than the bucket's latest mark so far, so that a build which
// started before this call never covers it.
func (s *Store) markBuckets(ctx context.Context, buckets []uint32, derived bool) error {
	if len(buckets) == 0 {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	latest, err := s.latestMarks(ctx, buckets)
	if err != nil {
		return err
	}
	batch, err := conn.PrepareBatch(ctx, rollupMarksInsertSQL)
	if err != nil {
		return fmt.Errorf("marking the rollup stale: %w", err)
	}
	now := uint64(time.Now().UnixNano())
	for _, b := range buckets {
		at := now
		if m := latest[b]; m >= at {
			at = m + 1
		}
		if err := batch.Append(b, at, boolInt(derived)); err != nil {
			batch.Abort()
			return fmt.Errorf("marking the rollup stale: %w", err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("marking the rollup stale: %w", err)
	}
	return nil
}

// latestMarks returns the latest mark of each bucket (absent: none).
func (s *Store) latestMarks(ctx context.Context, buckets []uint32) (map[uint32]uint64, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, rollupMarksLatestSQL, clickhouse.Named("buckets", groupSet(buckets)))
	if err != nil {
		return nil, fmt.Errorf("reading rollup marks: %w", err)
	}
	defer rows.Close()
	out := map[uint32]uint64{}
	for rows.Next() {
		var b uint32
		var at uint64
		if err := rows.Scan(&b, &at); err != nil {
			return nil, fmt.Errorf("reading rollup marks: %w", err)
		}
		out[b] = at
	}
	return out, rows.Err()
}

func groupSet(buckets []uint32) clickhouse.GroupSet {
	v := make([]any, len(buckets))
	for i, b := range buckets {
		v[i] = b
	}
	return clickhouse.GroupSet{Value: v}
}

// staleBucket is a bucket whose latest mark is later than its latest build
// covers; raw tells whether an insert (not only a rebuilt month of its
// year, or a moved key) marked it since.
type staleBucket struct {
	bucket uint32
	marked uint64
	raw    bool
}

// staleBuckets lists the buckets the rollup is behind on, oldest first.
func (s *Store) staleBuckets(ctx context.Context) ([]staleBucket, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, rollupStaleSQL)
	if err != nil {
		return nil, fmt.Errorf("reading the rollup's state: %w", err)
	}
	defer rows.Close()
	var out []staleBucket
	for rows.Next() {
		var b staleBucket
		var raw uint8
		if err := rows.Scan(&b.bucket, &b.marked, &raw); err != nil {
			return nil, fmt.Errorf("reading the rollup's state: %w", err)
		}
		b.raw = raw == 1
		out = append(out, b)
	}
	return out, rows.Err()
}

func monthStart(bucket uint32) time.Time {
	return time.Date(int(bucket/100), time.Month(bucket%100), 1, 0, 0, 0, 0, time.UTC)
}

func bucketList(buckets []uint32) string {
	if len(buckets) == 1 {
		return fmt.Sprint(buckets[0])
	}
	return fmt.Sprintf("%d..%d", buckets[0], buckets[len(buckets)-1])
}
