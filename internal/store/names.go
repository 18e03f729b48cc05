package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// What a question can name, and where the names it knows come from: the
// stored contributions (orgs, repositories, logins) and the roster
// (programs, categories, groups, regions, countries).
var (
	storedNamesSQL = map[string]string{
		"org":  queries.MustRead("names_orgs.sql"),
		"repo": queries.MustRead("names_repos.sql"),
	}
	nameStoredSQL = map[string]string{
		"org":   queries.MustRead("name_stored_org.sql"),
		"repo":  queries.MustRead("name_stored_repo.sql"),
		"login": queries.MustRead("name_stored_login.sql"),
	}
	rosterNamesSQL = queries.MustRead("names_roster.sql")
)

// StoredNames lists, lower-cased and sorted, the orgs (what "org") or
// repositories ("repo") that have a stored contribution.
func (s *Store) StoredNames(ctx context.Context, what string) ([]string, error) {
	q, ok := storedNamesSQL[what]
	if !ok {
		return nil, fmt.Errorf("stored names: no list of %q", what)
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing the stored %ss: %w", what, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("listing the stored %ss: %w", what, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// RosterNames lists what the roster import's memberships name, by
// dimension ("program", "category", "group", "region", "country"), each
// sorted; empty without a roster.
func (s *Store) RosterNames(ctx context.Context, importID uint64) (map[string][]string, error) {
	out := map[string][]string{}
	if importID == 0 {
		return out, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, rosterNamesSQL, clickhouse.Named("id", importID))
	if err != nil {
		return nil, fmt.Errorf("listing the roster's names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var what, name string
		if err := rows.Scan(&what, &name); err != nil {
			return nil, fmt.Errorf("listing the roster's names: %w", err)
		}
		out[what] = append(out[what], name)
	}
	return out, rows.Err()
}

// NameStored reports whether a contribution is stored for the org (what
// "org"), the repository ("repo", owner/name) or under the login
// ("login"), compared without case.
func (s *Store) NameStored(ctx context.Context, what, name string) (bool, error) {
	q, ok := nameStoredSQL[what]
	if !ok {
		return false, fmt.Errorf("stored names: no %q", what)
	}
	conn, err := s.db()
	if err != nil {
		return false, err
	}
	var n uint64
	if err := conn.QueryRow(ctx, q, clickhouse.Named("name", strings.ToLower(name))).Scan(&n); err != nil {
		return false, fmt.Errorf("looking for the %s %q: %w", what, name, err)
	}
	return n > 0, nil
}
