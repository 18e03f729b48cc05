package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
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

// The lease's statements: the version of a new row is explained in
// lease_write.sql.
var (
	leaseHolderSQL = queries.MustRead("lease_holder.sql")
	leaseWriteSQL  = queries.MustRead("lease_write.sql")
)

// LeaseHolder returns who holds a resource's lease and whether it is
// still running ("" when nobody ever claimed it).
func (s *Store) LeaseHolder(ctx context.Context, resource string) (holder string, active bool, err error) {
	conn, err := s.db()
	if err != nil {
		return "", false, err
	}
	// On a cluster, leases are replicated to every node: read them with
	// every claim acknowledged so far.
	if err := s.syncReplicas(ctx, "work_leases"); err != nil {
		return "", false, err
	}
	var until time.Time
	var now time.Time
	if err := conn.QueryRow(ctx, leaseHolderSQL, clickhouse.Named("r", resource)).Scan(&holder, &until, &now); err != nil {
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
	if err := conn.Exec(ctx, leaseWriteSQL,
		clickhouse.Named("r", resource), clickhouse.Named("h", holder),
		clickhouse.Named("ttl", int32(ttl.Seconds())), clickhouse.Named("nonce", uint64(binary.BigEndian.Uint32(b[:])>>16))); err != nil {
		return fmt.Errorf("claiming %s: %w", resource, err)
	}
	return nil
}

// Release ends holder's lease of a resource at once (if it holds it).
func (s *Store) Release(ctx context.Context, resource, holder string) error {
	current, active, err := s.LeaseHolder(ctx, resource)
	if err != nil || !active || current != holder {
		return err
	}
	return s.writeLease(ctx, resource, holder, -time.Second)
}

// holding runs work while holding the resource's lease: it waits (polling)
// until the lease is free, renews it while work runs, and releases it
// after.
func (s *Store) holding(ctx context.Context, resource string, ttl time.Duration, work func() error) error {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	holder := fmt.Sprintf("%x", b)
	deadline := time.Now().Add(2 * ttl)
	for {
		ok, err := s.Claim(ctx, resource, holder, ttl, leaseSettle)
		if err != nil {
			return err
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: another process has held the lease for longer than %s", resource, 2*ttl)
		}
		select {
		case <-time.After(leasePoll):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	renewCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(ttl / 3)
		defer tick.Stop()
		for {
			select {
			case <-renewCtx.Done():
				return
			case <-tick.C:
				_, _ = s.Claim(renewCtx, resource, holder, ttl, 0)
			}
		}
	}()
	err := work()
	stop()
	<-done
	if rerr := s.Release(context.WithoutCancel(ctx), resource, holder); err == nil {
		err = rerr
	}
	return err
}

// How long a claim of the store's own leases waits to be confirmed, and
// how often a waiting one looks again.
const (
	leaseSettle = 250 * time.Millisecond
	leasePoll   = 500 * time.Millisecond
)
