package store

import (
	"context"
	"fmt"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// Checkpoints returns the latest checkpoint of every repository and resource.
func (s *Store) Checkpoints(ctx context.Context) (map[contrib.CheckpointKey]contrib.Checkpoint, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("checkpoints.sql"))
	if err != nil {
		return nil, fmt.Errorf("reading sync checkpoints: %w", err)
	}
	defer rows.Close()
	out := map[contrib.CheckpointKey]contrib.Checkpoint{}
	for rows.Next() {
		var c contrib.Checkpoint
		if err := rows.Scan(&c.RepoID, &c.Resource, &c.RepoName, &c.Signature, &c.Cursor, &c.Total, &c.SyncedAt); err != nil {
			return nil, fmt.Errorf("reading sync checkpoints: %w", err)
		}
		out[c.Key()] = c
	}
	return out, rows.Err()
}

// SaveCheckpoints stores checkpoints. Call it only once the contributions
// they cover are stored: Insert returns after the server confirmed them.
func (s *Store) SaveCheckpoints(ctx context.Context, cps []contrib.Checkpoint) error {
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
