package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// Who is how one identity resolves in the active roster.
type Who struct {
	MemberID    uint64 // 0 when the identity is no member's
	MemberKey   string
	Name        string
	Login       string
	Country     string
	Region      string
	Via         string // how it was found: "login", "id" or "email"
	Memberships []WhoMembership
	Flags       []string // bot, human, opt_out
	Counts      map[string]uint64
	ActorIDs    []uint64 // the ids its contributions are stored under
	Logins      []string // its logins, lower-cased
	// strict: the logins name it only for contributions without a GitHub
	// id (2011-2014), because its GitHub ids are known and a login can
	// have belonged to someone else.
	strict bool
}

// WhoMembership is one membership of the member.
type WhoMembership struct {
	Program, Category, Group string
	Starts, Ends             time.Time
}

// WhoIs explains an identity: login is lower-cased; actorID is a GitHub id
// or the id derived from an email (0 when not known). Besides what the
// roster says, it counts the contributions stored under the identity's ids
// and logins, each once.
func (s *Store) WhoIs(ctx context.Context, importID uint64, login string, actorID uint64) (Who, error) {
	w, err := s.resolve(ctx, importID, login, actorID)
	if err != nil {
		return w, err
	}
	conn, err := s.db()
	if err != nil {
		return w, err
	}
	only := w.identities()
	cs, err := conn.Query(ctx, queries.MustRead("identity_kind_counts.sql"), only.args()...)
	if err != nil {
		return w, fmt.Errorf("roster who: %w", err)
	}
	defer cs.Close()
	for cs.Next() {
		var k string
		var n uint64
		if err := cs.Scan(&k, &n); err != nil {
			return w, err
		}
		w.Counts[k] = n
	}
	return w, cs.Err()
}

// identities are the ids and logins a resolved identity's contributions
// are stored under, logins of 2011-2014 included.
func (w Who) identities() *identities {
	only := &identities{}
	if !w.strict {
		only.logins = w.Logins
	}
	only.ids = append(only.ids, w.ActorIDs...)
	for _, l := range w.Logins {
		only.ids = append(only.ids, contrib.LoginActorID(l)) // 2011-2014 logins
	}
	return only
}

// Identify is WhoIs without the counts: what the roster says of a login,
// and the ids and logins its contributions are stored under.
func (s *Store) Identify(ctx context.Context, importID uint64, login string) (Who, error) {
	return s.resolve(ctx, importID, login, 0)
}

// IdentifyAccount is Identify for one account known by its login and
// GitHub id (or derived id), as contributions are stored.
func (s *Store) IdentifyAccount(ctx context.Context, importID uint64, login string, actorID uint64) (Who, error) {
	return s.resolve(ctx, importID, login, actorID)
}

// resolve is WhoIs without the counts.
func (s *Store) resolve(ctx context.Context, importID uint64, login string, actorID uint64) (Who, error) {
	w := Who{Counts: map[string]uint64{}}
	conn, err := s.db()
	if err != nil {
		return w, err
	}
	login = strings.ToLower(login)
	rows, err := conn.Query(ctx, queries.MustRead("roster_identity_member.sql"), namedImport(importID), clickhouse.Named("login", login), clickhouse.Named("actor", actorID))
	if err != nil {
		return w, fmt.Errorf("roster who: %w", err)
	}
	for rows.Next() {
		if err := rows.Scan(&w.MemberID, &w.Via); err != nil {
			rows.Close()
			return w, err
		}
	}
	rows.Close()
	idSet := []uint64{}
	logins := []string{}
	if actorID != 0 {
		idSet = append(idSet, actorID)
	}
	if login != "" {
		logins = append(logins, login)
	}
	if w.MemberID != 0 {
		if err := conn.QueryRow(ctx, queries.MustRead("roster_member.sql"), namedImport(importID), clickhouse.Named("m", w.MemberID)).Scan(&w.MemberKey, &w.Name, &w.Login, &w.Country, &w.Region); err != nil {
			return w, fmt.Errorf("roster who: %w", err)
		}
		ms, err := conn.Query(ctx, queries.MustRead("roster_member_memberships.sql"), namedImport(importID), clickhouse.Named("m", w.MemberID))
		if err != nil {
			return w, fmt.Errorf("roster who: %w", err)
		}
		for ms.Next() {
			var m WhoMembership
			if err := ms.Scan(&m.Program, &m.Category, &m.Group, &m.Starts, &m.Ends); err != nil {
				ms.Close()
				return w, err
			}
			w.Memberships = append(w.Memberships, m)
		}
		ms.Close()
		ids, err := conn.Query(ctx, queries.MustRead("roster_member_identities.sql"), namedImport(importID), clickhouse.Named("m", w.MemberID))
		if err != nil {
			return w, fmt.Errorf("roster who: %w", err)
		}
		for ids.Next() {
			var kind, value string
			var id uint64
			if err := ids.Scan(&kind, &value, &id); err != nil {
				ids.Close()
				return w, err
			}
			if kind == "login" {
				logins = append(logins, value)
			} else {
				idSet = append(idSet, id)
			}
			w.strict = w.strict || kind == "id"
		}
		ids.Close()
	}
	fl, err := conn.Query(ctx, queries.MustRead("roster_login_flags.sql"), namedImport(importID), clickhouse.Named("login", login), clickhouse.Named("login2", strings.ToLower(w.Login)))
	if err != nil {
		return w, fmt.Errorf("roster who: %w", err)
	}
	for fl.Next() {
		var f string
		if err := fl.Scan(&f); err != nil {
			fl.Close()
			return w, err
		}
		w.Flags = append(w.Flags, f)
	}
	fl.Close()
	if w.MemberID == 0 && actorID == 0 && login != "" {
		// Not a member: the GitHub account that used the login last (a
		// login can have belonged to someone else before, and the account
		// may have been renamed since).
		var latest uint64
		if err := conn.QueryRow(ctx, queries.MustRead("login_latest_account.sql"), clickhouse.Named("login", login)).Scan(&latest); err != nil {
			return w, fmt.Errorf("roster who: %w", err)
		}
		if latest != 0 {
			idSet, w.strict = append(idSet, latest), true
		}
	}
	w.ActorIDs = idSet
	for _, l := range logins {
		if l != "" {
			w.Logins = append(w.Logins, l)
		}
	}
	return w, nil
}
