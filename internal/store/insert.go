package store

import (
	"context"
	"fmt"
	"time"

	"contribtrack/internal/contrib"
)

const insertContributions = `INSERT INTO contributions
(kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source, email_domain, number)`

// Insert stores a batch of contributions in one INSERT. Storing a
// contribution that is already stored is harmless: queries count it once.
// On error nothing of this batch is stored and earlier batches stay.
func (s *Store) Insert(ctx context.Context, cs []contrib.Contribution) error {
	if len(cs) == 0 {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	n := len(cs)
	var (
		kinds    = make([]string, n)
		keys     = make([]string, n)
		hashes   = make([]uint64, n)
		times    = make([]time.Time, n)
		actorIDs = make([]uint64, n)
		logins   = make([]string, n)
		repoIDs  = make([]uint64, n)
		repos    = make([]string, n)
		orgs     = make([]string, n)
		sources  = make([]string, n)
		domains  = make([]string, n)
		numbers  = make([]uint64, n)
	)
	for i := range cs {
		c := &cs[i]
		kinds[i], keys[i], hashes[i] = string(c.Kind), c.Key, contrib.KeyHash(c.Kind, c.Key)
		times[i], actorIDs[i], logins[i] = c.CreatedAt, c.ActorID, c.ActorLogin
		repoIDs[i], repos[i], orgs[i] = c.RepoID, c.RepoName, c.Org
		sources[i], domains[i] = string(c.Source), c.EmailDomain
		if c.Number > 0 { // the column is unsigned: a negative number is stored as unknown (0)
			numbers[i] = uint64(c.Number)
		}
	}
	// The rollup is marked stale before the rows go in (so that a crash
	// after them cannot leave it stale unnoticed) and again after (so that
	// a rebuild that ran meanwhile and missed them does not count as
	// covering them).
	months := monthsOf(cs)
	if err := s.markBuckets(ctx, months, false); err != nil {
		return err
	}
	batch, err := conn.PrepareBatch(ctx, insertContributions)
	if err != nil {
		return fmt.Errorf("preparing insert of %d contributions: %w", n, err)
	}
	// ingested_at is left to the server's DEFAULT now().
	cols := []any{kinds, keys, hashes, times, actorIDs, logins, repoIDs, repos, orgs, sources, domains, numbers}
	for i, col := range cols {
		if err := batch.Column(i).Append(col); err != nil {
			batch.Abort()
			return fmt.Errorf("inserting contributions (column %d): %w", i, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("inserting %d contributions: %w", n, err)
	}
	return s.markBuckets(ctx, months, false)
}
