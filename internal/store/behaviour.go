package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/bots"
	"contribtrack/queries"
)

// SaveBehaviour stores what accounts did in one unit of a source (a GH
// Archive hour): each account's signal counts (bots.Evidence.Counts).
// Storing a unit again replaces what it said before, all of it: the
// unit's rows share one version, and only a unit's latest version is
// read; a marker row (no login) carries it when the unit holds nothing.
func (s *Store) SaveBehaviour(ctx context.Context, unit string, evidence []bots.Evidence) error {
	conn, err := s.db()
	if err != nil {
		return err
	}
	version := uint64(time.Now().UnixNano())
	b, err := conn.PrepareBatch(ctx, queries.MustRead("account_behaviour_insert.sql"))
	if err != nil {
		return fmt.Errorf("storing accounts' behaviour: %w", err)
	}
	if err := b.Append("", "", unit, "", uint64(0), version); err != nil {
		b.Abort()
		return fmt.Errorf("storing accounts' behaviour: %w", err)
	}
	for _, e := range evidence {
		for sig, n := range e.Counts() {
			if err := b.Append(strings.ToLower(e.Login), e.Login, unit, string(sig), uint64(n), version); err != nil {
				b.Abort()
				return fmt.Errorf("storing accounts' behaviour: %w", err)
			}
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("storing accounts' behaviour of %s: %w", unit, err)
	}
	return nil
}

// UnitLogins returns the accounts the latest storing of a unit held.
func (s *Store) UnitLogins(ctx context.Context, unit string) ([]string, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("account_behaviour_unit_logins.sql"), clickhouse.Named("unit", unit))
	if err != nil {
		return nil, fmt.Errorf("reading accounts' behaviour of %s: %w", unit, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("reading accounts' behaviour of %s: %w", unit, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Behaviour returns the stored behaviour of these accounts (logins), each
// summed over every unit: the evidence bots.Judge weighs.
func (s *Store) Behaviour(ctx context.Context, logins []string) ([]bots.Evidence, error) {
	if len(logins) == 0 {
		return nil, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	lc := make([]any, len(logins))
	for i, l := range logins {
		lc[i] = strings.ToLower(l)
	}
	rows, err := conn.Query(ctx, queries.MustRead("account_behaviour.sql"), clickhouse.Named("logins", clickhouse.GroupSet{Value: lc}))
	if err != nil {
		return nil, fmt.Errorf("reading accounts' behaviour: %w", err)
	}
	defer rows.Close()
	byLogin := map[string]*bots.Evidence{}
	var order []string
	for rows.Next() {
		var key, login, sig string
		var n uint64
		if err := rows.Scan(&key, &login, &sig, &n); err != nil {
			return nil, fmt.Errorf("reading accounts' behaviour: %w", err)
		}
		e := byLogin[key]
		if e == nil {
			e = &bots.Evidence{Login: login, Signals: map[bots.Signal]int{}}
			byLogin[key] = e
			order = append(order, key)
		}
		e.Signals[bots.Signal(sig)] += int(n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading accounts' behaviour: %w", err)
	}
	out := make([]bots.Evidence, len(order))
	for i, k := range order {
		out[i] = *byLogin[k]
	}
	return out, nil
}

// SaveVerdicts stores what bots.Judge decided of accounts: the latest
// verdict on each wins.
func (s *Store) SaveVerdicts(ctx context.Context, verdicts []bots.Verdict) error {
	if len(verdicts) == 0 {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	version := uint64(time.Now().UnixNano())
	b, err := conn.PrepareBatch(ctx, queries.MustRead("detected_bots_insert.sql"))
	if err != nil {
		return fmt.Errorf("storing the bots found by behaviour: %w", err)
	}
	for _, v := range verdicts {
		because := make([]string, len(v.Because))
		for i, s := range v.Because {
			because[i] = string(s)
		}
		if err := b.Append(strings.ToLower(v.Login), v.Login, boolInt(v.Bot), strings.Join(because, ","), version); err != nil {
			b.Abort()
			return fmt.Errorf("storing the bots found by behaviour: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("storing the bots found by behaviour: %w", err)
	}
	return nil
}

// DetectedBot is an account found to be a bot by its behaviour.
type DetectedBot struct {
	Login   string
	Because []string // the signals that decided
}

// DetectedBots lists the accounts whose latest verdict is bot.
func (s *Store) DetectedBots(ctx context.Context) ([]DetectedBot, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("detected_bots.sql"))
	if err != nil {
		return nil, fmt.Errorf("reading the bots found by behaviour: %w", err)
	}
	defer rows.Close()
	var out []DetectedBot
	for rows.Next() {
		var d DetectedBot
		var because string
		if err := rows.Scan(&d.Login, &because); err != nil {
			return nil, fmt.Errorf("reading the bots found by behaviour: %w", err)
		}
		d.Because = strings.Split(because, ",")
		out = append(out, d)
	}
	return out, rows.Err()
}
