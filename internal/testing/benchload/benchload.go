// Package benchload fills a contributions table with the leaderboard
// benchmarks' synthetic history: about 50,000 actors, 500 repositories in
// 20 orgs, five years (2020-2024), and 10% of the natural keys delivered
// twice. It is generated on the server, so loading 10M rows takes seconds.
package benchload

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/queries"
)

// DefaultRows is the benchmarks' size: 10 million contributions.
const DefaultRows = 10_000_000

// Rows returns the size to load: CONTRIBTRACK_BENCH_ROWS when set, else
// DefaultRows.
func Rows() int {
	if v, err := strconv.Atoi(os.Getenv("CONTRIBTRACK_BENCH_ROWS")); err == nil && v > 0 {
		return v
	}
	return DefaultRows
}

// Load inserts rows contributions (0.9 rows natural keys, then repeated
// deliveries) behind the store's back: callers must rebuild the rollup
// (store.RebuildRollup). It returns the number of natural keys.
func Load(ctx context.Context, conn driver.Conn, rows int) (keys int, err error) {
	keys = rows * 9 / 10
	return keys, conn.Exec(ctx, queries.MustRead("bench_load.sql"), clickhouse.Named("unique", uint64(keys)), clickhouse.Named("rows", uint64(rows)))
}

// Settle waits until the server runs no merge in database: what the load
// and the rollup's build wrote is merged in the background for a while,
// and a benchmark measured meanwhile measures the merges too.
func Settle(ctx context.Context, conn driver.Conn, database string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	for {
		var n uint64
		if err := conn.QueryRow(ctx, queries.MustRead("bench_merges.sql"), clickhouse.Named("database", database)).Scan(&n); err != nil {
			return fmt.Errorf("waiting for merges: %w", err)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for merges: %d still running: %w", n, ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}
