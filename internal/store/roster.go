package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/internal/roster"
	"contribtrack/queries"
)

// RosterImport describes a stored roster.
type RosterImport struct {
	ID         uint64
	ImportedAt time.Time
	Source     string
	Members    uint32
}

// ImportRoster stores r as the active roster. The rows go in under a new
// import id and roster_imports is written last: a failure part-way leaves
// the previous roster active.
func (s *Store) ImportRoster(ctx context.Context, r *roster.Roster, source string, key contrib.EmailKey) (RosterImport, error) {
	conn, err := s.db()
	if err != nil {
		return RosterImport{}, err
	}
	now := time.Now().UTC()
	// Later than every import before, whatever this host's clock says.
	prev, err := s.ActiveRoster(ctx)
	if err != nil {
		return RosterImport{}, err
	}
	imp := RosterImport{ID: max(uint64(now.UnixNano()), prev.ID+1), ImportedAt: now.Truncate(time.Second), Source: source, Members: uint32(len(r.Members))}
	batch := func(table string, rows [][]any) error {
		if len(rows) == 0 {
			return nil
		}
		b, err := conn.PrepareBatch(ctx, rosterInserts[table])
		if err != nil {
			return fmt.Errorf("importing the roster (%s): %w", table, err)
		}
		for _, row := range rows {
			if err := b.Append(row...); err != nil {
				b.Abort()
				return fmt.Errorf("importing the roster (%s): %w", table, err)
			}
		}
		if err := b.Send(); err != nil {
			return fmt.Errorf("importing the roster (%s): %w", table, err)
		}
		return nil
	}
	var members, ids, ships, flags [][]any
	owner := map[string]uint64{} // member key -> id
	for _, m := range r.Members {
		id := m.ID()
		owner[strings.ToLower(m.Key)] = id
		members = append(members, []any{imp.ID, id, m.Key, m.Name, m.Login(), m.Country, m.Region})
		for _, l := range m.Logins {
			ids = append(ids, []any{imp.ID, "login", strings.ToLower(l), uint64(0), id})
		}
		for _, gid := range m.GitHubIDs {
			ids = append(ids, []any{imp.ID, "id", strconv.FormatInt(gid, 10), uint64(gid), id})
		}
		for _, e := range m.Emails {
			ids = append(ids, emailIdentity(imp.ID, e, id, key))
		}
		ships = append(ships, []any{imp.ID, id, "", "", "", m.Country, m.Region, time.Unix(0, 0).UTC(), roster.Forever})
		for _, ms := range m.Memberships {
			ships = append(ships, []any{imp.ID, id, ms.Program, ms.Category, ms.Group, m.Country, m.Region, ms.Start(), ms.End()})
		}
	}
	for _, c := range r.Corrections {
		id := owner[strings.ToLower(c.Member)]
		switch {
		case c.Login != "":
			ids = append(ids, []any{imp.ID, "login", strings.ToLower(c.Login), uint64(0), id})
		case c.GitHubID != 0:
			ids = append(ids, []any{imp.ID, "id", strconv.FormatInt(c.GitHubID, 10), uint64(c.GitHubID), id})
		case c.Email != "":
			ids = append(ids, emailIdentity(imp.ID, c.Email, id, key))
		}
	}
	var affs, domains [][]any
	for _, a := range r.Affiliations {
		vendor := uint8(0)
		if r.IsVendor(a.Employer) {
			vendor = 1
		}
		if a.Domain != "" {
			domains = append(domains, []any{imp.ID, a.Domain, a.Employer, vendor})
			continue
		}
		affs = append(affs, []any{imp.ID, owner[strings.ToLower(a.Member)], a.Employer, vendor, a.Start(), a.End()})
	}
	for flag, list := range map[string][]string{"bot": r.Bots, "human": r.Humans, "opt_out": r.OptOut} {
		for _, v := range list {
			flags = append(flags, []any{imp.ID, flag, strings.ToLower(v)})
		}
	}
	if err := batch("roster_members", members); err != nil {
		return RosterImport{}, err
	}
	if err := batch("roster_identities", ids); err != nil {
		return RosterImport{}, err
	}
	if err := batch("roster_memberships", ships); err != nil {
		return RosterImport{}, err
	}
	if err := batch("roster_flags", flags); err != nil {
		return RosterImport{}, err
	}
	if err := batch("roster_affiliations", affs); err != nil {
		return RosterImport{}, err
	}
	if err := batch("roster_domains", domains); err != nil {
		return RosterImport{}, err
	}
	// The people rollup resolved everyone with the roster before: stale
	// before this import is active (so that no question reads it with the
	// new roster) and after (so that a build that read the old roster does
	// not cover the new one). RefreshRollup rebuilds it.
	if err := s.markPeopleFromStart(ctx); err != nil {
		return RosterImport{}, err
	}
	// Last: this row makes the import the active roster.
	if err := batch("roster_imports", [][]any{{imp.ID, imp.ImportedAt, source, imp.Members}}); err != nil {
		return RosterImport{}, err
	}
	if err := s.markPeopleFromStart(ctx); err != nil {
		return imp, fmt.Errorf("the roster is imported, but the leaderboards' people rollup could not be marked out of date: %w (run `contribtrack migrate` to rebuild it)", err)
	}
	return imp, nil
}

// rosterInserts store a roster's rows, by table.
var rosterInserts = func() map[string]string {
	out := map[string]string{}
	for _, t := range []string{"roster_members", "roster_identities", "roster_memberships", "roster_flags", "roster_affiliations", "roster_domains", "roster_imports"} {
		out[t] = queries.MustRead(t + "_insert.sql")
	}
	return out
}()

// emailIdentity keeps an email as the id contributions derive from it and
// its domain; never the address.
func emailIdentity(importID uint64, email string, member uint64, key contrib.EmailKey) []any {
	return []any{importID, "email", contrib.DomainOf(email), key.ActorID(email), member}
}

// ActiveRoster returns the active roster's import (ID 0 when none).
func (s *Store) ActiveRoster(ctx context.Context) (RosterImport, error) {
	conn, err := s.db()
	if err != nil {
		return RosterImport{}, err
	}
	var imp RosterImport
	rows, err := conn.Query(ctx, queries.MustRead("roster_active.sql"))
	if err != nil {
		return imp, fmt.Errorf("reading the roster: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&imp.ID, &imp.ImportedAt, &imp.Source, &imp.Members); err != nil {
			return imp, fmt.Errorf("reading the roster: %w", err)
		}
	}
	return imp, rows.Err()
}

func namedImport(id uint64) any { return clickhouse.Named("imp", id) }
