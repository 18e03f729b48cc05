// Facts stored in ClickHouse by name (the settings table, migration 0006)
// that every process writing to the database agrees on: the fingerprint
// of the email key, where the GH Archive schedule resumes.

package store

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// Setting returns a stored setting ("" when unset).
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	conn, err := s.db()
	if err != nil {
		return "", err
	}
	rows, err := conn.Query(ctx, queries.MustRead("setting.sql"), clickhouse.Named("name", name))
	if err != nil {
		return "", fmt.Errorf("reading setting %s: %w", name, err)
	}
	defer rows.Close()
	var v string
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return "", err
		}
	}
	return v, rows.Err()
}

// SetSetting stores a setting.
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	conn, err := s.db()
	if err != nil {
		return err
	}
	b, err := conn.PrepareBatch(ctx, queries.MustRead("settings_insert.sql"))
	if err != nil {
		return fmt.Errorf("storing setting %s: %w", name, err)
	}
	if err := b.Append(name, value); err != nil {
		b.Abort()
		return err
	}
	return b.Send()
}
