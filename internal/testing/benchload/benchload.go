// Package benchload fills a contributions table with the leaderboard
// benchmarks' synthetic history: about 50,000 actors, 500 repositories in
// 20 orgs, five years (2020-2024), and 10% of the natural keys delivered
// twice. It is generated on the server, so loading 10M rows takes seconds.
package benchload

import (
	"context"
	"os"
	"strconv"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
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
	const load = `INSERT INTO contributions (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source)
		SELECT toUInt8(1 + k % 11) AS kind, toString(k) AS key, cityHash64(k) AS key_hash,
		       toDateTime(1577836800 + intDiv(k * 157680000, @unique), 'UTC') AS created_at,
		       1 + (cityHash64(k, 1) % 50000) AS actor_id, concat('user', toString(actor_id)) AS actor_login,
		       1 + (k % 500) AS repo_id, concat('org', toString(repo_id % 20), '/repo', toString(repo_id)) AS repo_name,
		       concat('org', toString(repo_id % 20)) AS org, toUInt8(2) AS source
		FROM (SELECT if(number < @unique, number, number % @unique) AS k FROM numbers(@rows))`
	return keys, conn.Exec(ctx, load, clickhouse.Named("unique", uint64(keys)), clickhouse.Named("rows", uint64(rows)))
}
