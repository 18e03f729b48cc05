package store

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/queries"
)

var settingsKnownSQL = queries.MustRead("settings_known.sql")

// knownSettings returns the settings of want that conn's server knows: a
// statement that needs a setting on current ClickHouse releases sends it
// only where it exists (18.16 refuses a query with a setting it does not
// know, and behaves there as the setting asks for).
func knownSettings(ctx context.Context, conn driver.Conn, want clickhouse.Settings) (clickhouse.Settings, error) {
	names := make([]any, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	rows, err := conn.Query(ctx, settingsKnownSQL, clickhouse.Named("names", clickhouse.GroupSet{Value: names}))
	if err != nil {
		return nil, fmt.Errorf("reading the server's settings: %w", err)
	}
	defer rows.Close()
	out := clickhouse.Settings{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("reading the server's settings: %w", err)
		}
		out[name] = want[name]
	}
	return out, rows.Err()
}

// readSettings are what the store's leaderboard statements run with where
// the server knows them: no column statistics. ClickHouse 26.x collects
// statistics for every part on its own and, until its cache holds them,
// loads them while planning each statement: 50-70 ms per statement on
// the 10M benchmark's rollups, for statements whose rows the primary key
// already narrows down.
var readSettings = clickhouse.Settings{"use_statistics": 0}

// readContext returns ctx with the read settings the server knows (asked
// once per store).
func (s *Store) readContext(ctx context.Context) context.Context {
	s.readOnce.Do(func() {
		conn, err := s.db()
		if err != nil {
			return
		}
		// Without them the statements are as exact, only slower.
		s.reads, _ = knownSettings(ctx, conn, readSettings)
	})
	if len(s.reads) == 0 {
		return ctx
	}
	return clickhouse.Context(ctx, clickhouse.WithSettings(s.reads))
}
