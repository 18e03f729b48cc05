package queries

import "regexp"

// insertInto is an INSERT statement's target table, at the start of a line.
var insertInto = regexp.MustCompile(`(?m)^\s*INSERT INTO (\w+)\b`)

// InsertTable returns the table an INSERT statement of this package writes
// ("" for any other statement). On a cluster without replication the store
// writes a small table on every node (docs/cluster.md), and it knows those
// statements by their table.
func InsertTable(statement string) string {
	if m := insertInto.FindStringSubmatch(statement); m != nil {
		return m[1]
	}
	return ""
}

// inSubquery is a subquery of a statement's condition:
// "OUTER [NOT ]IN (SELECT COLUMNS FROM TABLE", where OUTER is a column or a
// tuple of them ("(repo_id, number)") and COLUMNS one or more, on one line
// or several.
var inSubquery = regexp.MustCompile(`(\((?:[\w.]+,\s*)+[\w.]+\)|\b[\w.]+)\s+(NOT\s+)?IN\s*\(SELECT\s+([\w.]+(?:,\s*[\w.]+)*)\s+FROM\s+(\w+)\b`)

// ForCluster rewrites a statement of this package for a cluster (see
// docs/cluster.md; the store runs every statement through it there). A
// query on a Distributed table is sent to every shard as it is written, so
// its subqueries run there, in the shard's default database; and
// ClickHouse refuses a subquery on a Distributed table inside one
// (double-distributed) unless told what to do (distributed_product_mode, a
// string setting that clickhouse-go cannot send to 18.16). So every
// "OUTER [NOT ]IN (SELECT COLUMNS FROM TABLE" of the statement is
// rewritten (on one line, spaced once), and nothing else:
//
//   - "key_hash IN (SELECT key_hash FROM contributions": every sighting of
//     a key is on one shard (sharded by key_hash), so each shard reads its
//     own rows: "key_hash IN (SELECT key_hash FROM database.contributions_local".
//   - any other subquery on contributions: the set is computed once over
//     every shard and sent to each:
//     "OUTER GLOBAL [NOT ]IN (SELECT COLUMN FROM database.contributions".
//   - a subquery on another table (a small table, whole on every node):
//     "OUTER [NOT ]IN (SELECT COLUMN FROM database.TABLE".
//
// database is the store's (a checked name).
func ForCluster(statement, database string) string {
	return inSubquery.ReplaceAllStringFunc(statement, func(m string) string {
		p := inSubquery.FindStringSubmatch(m)
		outer, not, column, table := p[1], p[2], p[3], p[4]
		if not != "" {
			not = "NOT "
		}
		switch {
		case table == "contributions" && outer == "key_hash" && column == "key_hash" && not == "":
			return "key_hash IN (SELECT key_hash FROM " + database + ".contributions_local"
		case table == "contributions":
			return outer + " GLOBAL " + not + "IN (SELECT " + column + " FROM " + database + ".contributions"
		}
		return outer + " " + not + "IN (SELECT " + column + " FROM " + database + "." + table
	})
}
