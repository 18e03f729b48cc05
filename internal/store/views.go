package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// The views: who a person is, what counts as a bot and what a
// contribution is worth, defined once in queries/views/ from the
// statements the API's own questions use, for the dashboards and anyone's
// SQL to read (docs/schema.md, "Views"). Every migrate replaces them, so
// that they follow the kind table and the statements they include.
// Views are the names of the views the store keeps, in the order they are
// created (queries/views/NAME.sql).
var Views = []string{"scoring_weights", "bot_rules", "contributor_days", "sightings"}

// activeRosterParam is a roster import's parameter in the statements a
// view includes (@roster, @imp): in a view it is the active roster.
var activeRosterParam = regexp.MustCompile(`@(roster|imp)\b`)

// anyParam is a bound parameter left in a view's text.
var anyParam = regexp.MustCompile(`@[a-z_]+\b`)

// viewText is the text of a view's file with the active roster in place
// of the roster parameter.
func viewText(name string) (string, error) {
	var roster []string
	for _, line := range strings.Split(queries.MustRead("views/active_roster.sql"), "\n") {
		if !strings.HasPrefix(line, "--") {
			roster = append(roster, line)
		}
	}
	text := activeRosterParam.ReplaceAllLiteralString(queries.MustRead(name), strings.TrimSpace(strings.Join(roster, " ")))
	return text, unbound(name, text)
}

// unbound checks that a view's text binds nothing: a view is DDL, which
// takes no parameters, so a parameter left is an error in its file.
func unbound(name, text string) error {
	for _, line := range strings.Split(text, "\n") {
		code, _, _ := strings.Cut(line, "--")
		if p := anyParam.FindString(code); p != "" {
			return fmt.Errorf("%s: a view cannot bind %s", name, p)
		}
	}
	return nil
}

// ensureViews creates or replaces the views. A server older than the
// oldest supported release (only the replication tests run one) has none:
// the dashboards need a current release.
func (s *Store) ensureViews(ctx context.Context) error {
	if s.layout.Legacy {
		return nil
	}
	for _, v := range Views {
		f := "views/" + v + ".sql"
		text, err := viewText(f)
		if err != nil {
			return err
		}
		sql, err := render(text, s.database, s.layout)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, stmt := range Statements(sql) {
			if err := s.execDDL(ctx, stmt); err != nil {
				return fmt.Errorf("creating the view of %s: %w", f, err)
			}
		}
	}
	return nil
}

// checkViews returns ErrNotMigrated when a view is missing (a database
// migrated by an older contribtrack).
func (s *Store) checkViews(ctx context.Context) error {
	if s.layout.Legacy {
		return nil
	}
	for _, v := range Views {
		var n uint64
		if err := s.conn.QueryRow(ctx, queries.MustRead("table_exists.sql"), clickhouse.Named("table", v)).Scan(&n); err != nil {
			return fmt.Errorf("looking for the view %s: %w", v, err)
		}
		if n == 0 {
			return fmt.Errorf("the view %s is missing: %w", v, ErrNotMigrated)
		}
	}
	return nil
}
