package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Leases let several collectors share the work without doing it twice: a
// collector claims a resource (a repository) for a while, renews the
// claim while it works, and lets it expire when done or gone; another
// collector takes a resource whose lease expired.
//
// ClickHouse has no transactions, so a claim is a row, and the row with
// the highest version is the lease. Two collectors that claim the same
// free resource at once both write a row; each then waits (settle) and
// reads again, and only the one whose row won goes on. Doing the work
// twice would still count every contribution once (natural keys); leases
// save the rate-limit budget.

// leaseVersion is a version from the server's clock: seconds, then a
// random nonce (claims in one second are ordered by chance, and every
// reader agrees on the order).
const leaseVersionSQL = `toUInt64(toUInt32(now())) * 4294967296 + @nonce`

// LeaseHolder returns who holds a resource's lease and whether it is
// still running ("" when nobody ever claimed it).
func (s *Store) LeaseHolder(ctx context.Context, resource string) (holder string, active bool, err error) {
	conn, err := s.db()
	if err != nil {
		return "", false, err
	}
	var until time.Time
	var now time.Time
	if err := conn.QueryRow(ctx, `SELECT argMax(holder, version), argMax(until, version), now() FROM work_leases WHERE resource = @r`,
		clickhouse.Named("r", resource)).Scan(&holder, &until, &now); err != nil {
		return "", false, fmt.Errorf("reading the lease of %s: %w", resource, err)
	}
	return holder, holder != "" && until.After(now), nil
}

// Claim takes the resource's lease for ttl unless someone else holds it,
// waits settle, and reports whether the lease is holder's. Claiming a
// lease one holds renews it.
func (s *Store) Claim(ctx context.Context, resource, holder string, ttl, settle time.Duration) (bool, error) {
	current, active, err := s.LeaseHolder(ctx, resource)
	if err != nil {
		return false, err
	}
	if active && current != holder {
		return false, nil
	}
	if err := s.writeLease(ctx, resource, holder, ttl); err != nil {
		return false, err
	}
	if current == holder && active {
		return true, nil // a renewal: nobody could take it meanwhile
	}
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return false, ctx.Err()
	}
	winner, _, err := s.LeaseHolder(ctx, resource)
	if err != nil {
		return false, err
	}
	return winner == holder, nil
}

func (s *Store) writeLease(ctx context.Context, resource, holder string, ttl time.Duration) error {
	conn, err := s.db()
	if err != nil {
		return err
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	if err := conn.Exec(ctx, `INSERT INTO work_leases (resource, holder, until, version)
		SELECT @r, @h, now() + @ttl, `+leaseVersionSQL,
		clickhouse.Named("r", resource), clickhouse.Named("h", holder),
		clickhouse.Named("ttl", uint32(ttl.Seconds())), clickhouse.Named("nonce", uint64(binary.BigEndian.Uint32(b[:])))); err != nil {
		return fmt.Errorf("claiming %s: %w", resource, err)
	}
	return nil
}
