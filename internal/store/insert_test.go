package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// TestInsertSaysWhenItsRowsAreStored: when the step after the rows fails
// (ClickHouse gone before the rollup is marked again), Insert's error says
// the rows are stored (callers count the batch as kept), and they are.
func TestInsertSaysWhenItsRowsAreStored(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	gone := errors.New("connection refused")
	s.hooks.afterInsertRows = func() error { return gone }
	defer func() { s.hooks.afterInsertRows = nil }()
	cs := []contrib.Contribution{
		{Kind: contrib.Commit, Key: "a", CreatedAt: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), ActorID: 1, ActorLogin: "a", RepoID: 1, RepoName: "o/r", Org: "o", Via: contrib.ViaGraphQL},
		{Kind: contrib.Commit, Key: "b", CreatedAt: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), ActorID: 1, ActorLogin: "a", RepoID: 1, RepoName: "o/r", Org: "o", Via: contrib.ViaGraphQL},
	}
	err := s.Insert(ctx, cs)
	if !errors.Is(err, ErrRowsStored) || !errors.Is(err, gone) {
		t.Fatalf("Insert: %v; want ErrRowsStored and the cause", err)
	}
	var n uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM contributions").Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d rows stored (%v), want 2", n, err)
	}
	// The mark before the rows is there: readers know the rollup is behind.
	if fresh, err := s.RollupFresh(ctx); err != nil || fresh {
		t.Errorf("rollup fresh = %v (%v) after an insert whose second mark failed", fresh, err)
	}
	s.hooks.afterInsertRows = nil
	if err := s.Insert(ctx, cs[:1]); err != nil {
		t.Fatalf("Insert without the failure: %v", err)
	}
}
