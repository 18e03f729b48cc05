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

// RosterPeople is what leaderboards need of the active roster: each
// member's shown login, and the flags.
type RosterPeople struct {
	Logins map[uint64]string   // member id -> login shown
	Flags  map[string][]string // bot, human, opt_out -> lower-cased logins or ids
	Hidden map[uint64]bool     // members who opted out (by any of their logins or ids)
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
	// Opt-outs name any login or id of a member: hide the member.
	rows, err = conn.Query(ctx, queries.MustRead("roster_opted_out.sql"), namedImport(importID))
	if err != nil {
		return p, fmt.Errorf("reading the roster: %w", err)
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

func namedImport(id uint64) any { return clickhouse.Named("imp", id) }

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
