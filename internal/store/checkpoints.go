package store

import (
	"context"
	"fmt"
	"time"

	"contribtrack/queries"
)

// Checkpoint is where the API collector stands for one resource of one
// repository (see queries/migrations/0002_sync_checkpoints.sql).
type Checkpoint struct {
	RepoID    uint64
	RepoName  string
	Resource  string // pulls, issues, issue_comments, review_comments, commits, releases, stars, forks
	Signature string // the repository's state for this resource when synced
	Cursor    string // where an incremental fetch resumes
	Total     uint64 // the total GitHub reported
	SyncedAt  time.Time
}

// CheckpointKey identifies a checkpoint.
type CheckpointKey struct {
	RepoID   uint64
	Resource string
}

// Checkpoints returns the latest checkpoint of every repository and resource.
func (s *Store) Checkpoints(ctx context.Context) (map[CheckpointKey]Checkpoint, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("checkpoints.sql"))
	if err != nil {
		return nil, fmt.Errorf("reading sync checkpoints: %w", err)
	}
	defer rows.Close()
	out := map[CheckpointKey]Checkpoint{}
	for rows.Next() {
		var c Checkpoint
		if err := rows.Scan(&c.RepoID, &c.Resource, &c.RepoName, &c.Signature, &c.Cursor, &c.Total, &c.SyncedAt); err != nil {
			return nil, fmt.Errorf("reading sync checkpoints: %w", err)
		}
		out[CheckpointKey{c.RepoID, c.Resource}] = c
	}
	return out, rows.Err()
}

// SaveCheckpoints stores checkpoints. Call it only once the contributions
// they cover are stored: Insert returns after the server confirmed them.
func (s *Store) SaveCheckpoints(ctx context.Context, cps []Checkpoint) error {
	if len(cps) == 0 {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	b, err := conn.PrepareBatch(ctx, queries.MustRead("checkpoints_insert.sql"))
	if err != nil {
		return fmt.Errorf("saving sync checkpoints: %w", err)
	}
	for _, c := range cps {
		at := c.SyncedAt.UTC()
		// Nanoseconds keep two checkpoints written in the same second in order.
		if err := b.Append(c.RepoID, c.RepoName, c.Resource, c.Signature, c.Cursor, c.Total, at, uint64(at.UnixNano())); err != nil {
			b.Abort()
			return fmt.Errorf("saving sync checkpoints: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("saving %d sync checkpoints: %w", len(cps), err)
	}
	return nil
}
