package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// RosterPeople is what leaderboards need of the active roster: each
// member's shown login, and the flags.
type RosterPeople struct {
	Logins map[uint64]string   // member id -> login shown
	Flags  map[string][]string // bot, human, opt_out -> lower-cased logins or ids
	Hidden map[uint64]bool     // members who opted out (by any of their logins or ids), and identities credited under an opted-out login
}

// People reads the active roster's members and flags.
func (s *Store) People(ctx context.Context, importID uint64) (RosterPeople, error) {
	p := RosterPeople{Logins: map[uint64]string{}, Flags: map[string][]string{}, Hidden: map[uint64]bool{}}
	if importID == 0 {
		return p, nil
	}
	conn, err := s.db()
	if err != nil {
		return p, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("roster_member_logins.sql"), namedImport(importID))
	if err != nil {
		return p, fmt.Errorf("reading the roster: %w", err)
	}
	for rows.Next() {
		var id uint64
		var login string
		if err := rows.Scan(&id, &login); err != nil {
			rows.Close()
			return p, err
		}
		p.Logins[id] = login
	}
	rows.Close()
	// Opt-outs name any login or id of a member: hide the member; and the
	// identities credited under an opted-out login, under any login.
	for _, name := range []string{"roster_opted_out.sql", "roster_opted_out_identities.sql"} {
		rows, err = conn.Query(ctx, queries.MustRead(name), namedImport(importID))
		if err != nil {
			return p, fmt.Errorf("reading the roster's opt-outs: %w", err)
		}
		for rows.Next() {
			var id uint64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return p, err
			}
			p.Hidden[id] = true
		}
		rows.Close()
	}
	rows, err = conn.Query(ctx, queries.MustRead("roster_flags.sql"), namedImport(importID))
	if err != nil {
		return p, fmt.Errorf("reading the roster: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var flag, v string
		if err := rows.Scan(&flag, &v); err != nil {
			return p, err
		}
		p.Flags[flag] = append(p.Flags[flag], v)
	}
	return p, rows.Err()
}

// MemberTarget is a roster member the member-wide collector follows.
type MemberTarget struct {
	MemberID uint64
	Key      string
	Logins   []string // lower-cased
	IDs      []uint64 // GitHub user ids, when the roster knows them
	Since    time.Time
}

// MemberTargets lists the active roster's members with their logins, ids
// and the start of their earliest membership (the first day their work
// counts for the community).
func (s *Store) MemberTargets(ctx context.Context, importID uint64) ([]MemberTarget, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("roster_member_targets.sql"), namedImport(importID))
	if err != nil {
		return nil, fmt.Errorf("reading the roster's members: %w", err)
	}
	defer rows.Close()
	var out []MemberTarget
	for rows.Next() {
		var t MemberTarget
		if err := rows.Scan(&t.MemberID, &t.Key, &t.Logins, &t.IDs, &t.Since); err != nil {
			return nil, fmt.Errorf("reading the roster's members: %w", err)
		}
		t.Since = t.Since.UTC()
		if t.Since.Unix() <= 0 {
			t.Since = time.Time{} // no membership (the join's default)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Unclaimed is a commit email identity nobody has claimed.
type Unclaimed struct {
	ActorID uint64
	Commits uint64
	Domain  string
	Repos   []string
}

// UnclaimedEmails lists the commit email identities of [from, to) that no
// roster member has claimed, most commits first.
func (s *Store) UnclaimedEmails(ctx context.Context, importID uint64, from, to time.Time, limit int) ([]Unclaimed, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("unclaimed_emails.sql"),
		clickhouse.Named("from", uint32(from.Unix())), clickhouse.Named("to", uint32(to.Unix())),
		clickhouse.Named("roster", importID), clickhouse.Named("limit", uint64(limit)))
	if err != nil {
		return nil, fmt.Errorf("unclaimed emails: %w", err)
	}
	defer rows.Close()
	var out []Unclaimed
	for rows.Next() {
		var u Unclaimed
		if err := rows.Scan(&u.ActorID, &u.Commits, &u.Domain, &u.Repos); err != nil {
			return nil, fmt.Errorf("unclaimed emails: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// RosterAccounts returns the GitHub ids and logins of the active roster's
// members (importers keep their events wherever they happen).
func (s *Store) RosterAccounts(ctx context.Context, importID uint64) (ids []uint64, logins []string, err error) {
	if importID == 0 {
		return nil, nil, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("roster_accounts.sql"), namedImport(importID))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the roster: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		var id uint64
		if err := rows.Scan(&kind, &value, &id); err != nil {
			return nil, nil, err
		}
		if kind == "id" {
			ids = append(ids, id)
		} else {
			logins = append(logins, value)
		}
	}
	return ids, logins, rows.Err()
}

// RosterPrograms returns the programs the roster import has memberships
// in (a bounded set: the roster's).
func (s *Store) RosterPrograms(ctx context.Context, importID uint64) ([]string, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("roster_programs.sql"), clickhouse.Named("id", importID))
	if err != nil {
		return nil, fmt.Errorf("reading the roster's programs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("reading the roster's programs: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// MemberDetails are what a report shows of a roster member: the display
// name and the programs held at some time in a period.
type MemberDetails struct {
	Name     string
	Programs []string // sorted
}

// MemberDetails returns the details of the roster import's members for
// [from, to), by member id.
func (s *Store) MemberDetails(ctx context.Context, importID uint64, from, to time.Time) (map[uint64]MemberDetails, error) {
	out := map[uint64]MemberDetails{}
	if importID == 0 {
		return out, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	// ClickHouse 18.16 joins one table per SELECT: two reads.
	rows, err := conn.Query(ctx, queries.MustRead("roster_member_names.sql"), namedImport(importID))
	if err != nil {
		return nil, fmt.Errorf("reading the roster's members: %w", err)
	}
	for rows.Next() {
		var id uint64
		var d MemberDetails
		if err := rows.Scan(&id, &d.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the roster's members: %w", err)
		}
		out[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the roster's members: %w", err)
	}
	rows, err = conn.Query(ctx, queries.MustRead("roster_member_programs.sql"), namedImport(importID), clickhouse.Named("from", uint32(from.Unix())), clickhouse.Named("to", uint32(to.Unix())))
	if err != nil {
		return nil, fmt.Errorf("reading the roster's memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint64
		var programs []string
		if err := rows.Scan(&id, &programs); err != nil {
			return nil, fmt.Errorf("reading the roster's memberships: %w", err)
		}
		d := out[id]
		d.Programs = programs
		out[id] = d
	}
	return out, rows.Err()
}
