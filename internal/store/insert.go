package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

var insertContributions = queries.MustRead("contributions_insert.sql")

// ErrRowsStored is in the error of an Insert whose rows ClickHouse stored
// before a later step failed (marking the rollup after them): the batch is
// kept, and leaderboards read the raw sightings of its months until a
// refresh.
var ErrRowsStored = errors.New("the batch's contributions are stored")

// Insert stores a batch of contributions in one INSERT. Storing a
// contribution that is already stored is harmless: queries count it once.
// The pull request facts the contributions carry go to pull_requests
// first. On error none of this batch's contributions is stored, unless
// the error is ErrRowsStored; earlier batches stay.
func (s *Store) Insert(ctx context.Context, cs []contrib.Contribution) error {
	if len(cs) == 0 {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	// Every observation of a pull request is kept (the latest wins when
	// read), also those of sightings that lose to another of their key.
	prs := pullRequestsOf(cs)
	cs = latestPerKey(cs)
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
		reviews  = make([]string, n)
	)
	for i := range cs {
		c := &cs[i]
		kinds[i], keys[i], hashes[i] = string(c.Kind), c.Key, contrib.KeyHash(c.Kind, c.Key)
		times[i], actorIDs[i], logins[i] = c.CreatedAt, c.ActorID, c.ActorLogin
		repoIDs[i], repos[i], orgs[i] = c.RepoID, c.RepoName, c.Org
		sources[i], domains[i], reviews[i] = string(c.Via), c.EmailDomain, c.ReviewState
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
	if err := s.insertPullRequests(ctx, conn, prs); err != nil {
		return err
	}
	batch, err := conn.PrepareBatch(ctx, insertContributions)
	if err != nil {
		return fmt.Errorf("preparing insert of %d contributions: %w", n, err)
	}
	// ingested_at is left to the server's DEFAULT now().
	cols := []any{kinds, keys, hashes, times, actorIDs, logins, repoIDs, repos, orgs, sources, domains, numbers, reviews}
	for i, col := range cols {
		if err := batch.Column(i).Append(col); err != nil {
			batch.Abort()
			return fmt.Errorf("inserting contributions (column %d): %w", i, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("inserting %d contributions: %w", n, err)
	}
	if s.hooks.afterInsertRows != nil {
		if err := s.hooks.afterInsertRows(); err != nil {
			return fmt.Errorf("%w, but the rollup could not be marked after them: %w", ErrRowsStored, err)
		}
	}
	if err := s.markBuckets(ctx, months, false); err != nil {
		return fmt.Errorf("%w, but the rollup could not be marked after them: %w", ErrRowsStored, err)
	}
	return nil
}

// latestPerKey keeps one sighting per natural key of a batch: the one an
// argMax over (version, created_at) picks (API over GH Archive, then the
// latest). Rows of one batch share their version (ingested_at has whole
// seconds), and a background merge keeps an arbitrary one of equal-version
// rows: storing only the winner makes the answer the same before and
// after merges (an issue closed, reopened and closed in one GH Archive
// hour; a star removed and given again).
func latestPerKey(cs []contrib.Contribution) []contrib.Contribution {
	best := make(map[[2]uint64]int, len(cs))
	for i := range cs {
		k := [2]uint64{contrib.KeyHash(cs[i].Kind, cs[i].Key), uint64(len(cs[i].Key))}
		if j, seen := best[k]; !seen || beats(cs[i], cs[j]) {
			best[k] = i
		}
	}
	if len(best) == len(cs) {
		return cs
	}
	keep := make([]bool, len(cs))
	for _, i := range best {
		keep[i] = true
	}
	out := make([]contrib.Contribution, 0, len(best))
	for i := range cs {
		if keep[i] {
			out = append(out, cs[i])
		}
	}
	return out
}

// beats reports whether sighting a wins over b of the same key in one
// batch: a better source, else a later time (else the later in the batch).
func beats(a, b contrib.Contribution) bool {
	ra, rb := sourceRank(a.Via), sourceRank(b.Via)
	if ra != rb {
		return ra > rb
	}
	return !a.CreatedAt.Before(b.CreatedAt)
}

// sourceRank mirrors the version column's DEFAULT: API sightings outrank
// GH Archive's.
func sourceRank(s contrib.Via) int {
	if s == contrib.ViaGHArchive {
		return 0
	}
	return 1
}
