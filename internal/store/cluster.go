package store

import (
	"context"
	"regexp"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// clusterConn runs the store's statements on a cluster. A query on a
// Distributed table is sent to every shard as it is written, so its
// subqueries run there, in the shard's default database; and ClickHouse
// refuses a subquery on a Distributed table inside one (double-distributed)
// unless told what to do (distributed_product_mode, a string setting that
// clickhouse-go cannot send to 18.16). So every "IN (SELECT c FROM t"
// is rewritten:
//
//   - "key_hash IN (SELECT key_hash FROM contributions": every sighting of
//     a key is on one shard (sharded by key_hash), so each shard reads its
//     own rows: db.contributions_local.
//   - any other subquery on contributions: the set is computed once over
//     every shard and sent to each (GLOBAL IN db.contributions).
//   - a subquery on another table (a small table, whole on every node):
//     db.t.
type clusterConn struct {
	driver.Conn
	database string
}

var inSubquery = regexp.MustCompile(`\b(\w+) IN \(SELECT (\w+) FROM (\w+)\b`)

// clusterSQL rewrites a statement for a cluster.
func clusterSQL(query, database string) string {
	return inSubquery.ReplaceAllStringFunc(query, func(m string) string {
		p := inSubquery.FindStringSubmatch(m)
		outer, column, table := p[1], p[2], p[3]
		switch {
		case table == "contributions" && outer == "key_hash" && column == "key_hash":
			return "key_hash IN (SELECT key_hash FROM " + database + ".contributions_local"
		case table == "contributions":
			return outer + " GLOBAL IN (SELECT " + column + " FROM " + database + ".contributions"
		}
		return outer + " IN (SELECT " + column + " FROM " + database + "." + table
	})
}

func (c clusterConn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	return c.Conn.Query(ctx, clusterSQL(query, c.database), args...)
}

func (c clusterConn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	return c.Conn.QueryRow(ctx, clusterSQL(query, c.database), args...)
}

func (c clusterConn) Exec(ctx context.Context, query string, args ...any) error {
	return c.Conn.Exec(ctx, clusterSQL(query, c.database), args...)
}

func (c clusterConn) Select(ctx context.Context, dest any, query string, args ...any) error {
	return c.Conn.Select(ctx, dest, clusterSQL(query, c.database), args...)
}
