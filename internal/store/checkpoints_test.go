package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
)

func TestCheckpointsLatestWins(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	got, err := s.Checkpoints(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("fresh store: %v, %v; want no checkpoints", got, err)
	}
	t1 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	first := []contrib.Checkpoint{
		{RepoID: 1, RepoName: "o/a", Resource: "pulls", Signature: "3|x", Cursor: "2026-10-01T00:00:00Z", Total: 3, SyncedAt: t1},
		{RepoID: 1, RepoName: "o/a", Resource: "commits", Signature: "main@abc", Cursor: "abc", Total: 10, SyncedAt: t1},
	}
	if err := s.SaveCheckpoints(ctx, first); err != nil {
		t.Fatal(err)
	}
	// A later checkpoint in the same second still wins (nanosecond version).
	later := contrib.Checkpoint{RepoID: 1, RepoName: "o/a-renamed", Resource: "pulls", Signature: "4|y", Cursor: "2026-10-02T00:00:00Z",
		Total: 4, SyncedAt: t1.Add(time.Millisecond)}
	if err := s.SaveCheckpoints(ctx, []contrib.Checkpoint{later}); err != nil {
		t.Fatal(err)
	}
	got, err = s.Checkpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[contrib.CheckpointKey]contrib.Checkpoint{
		{RepoID: 1, Resource: "pulls"}:   {RepoID: 1, RepoName: "o/a-renamed", Resource: "pulls", Signature: "4|y", Cursor: "2026-10-02T00:00:00Z", Total: 4, SyncedAt: t1},
		{RepoID: 1, Resource: "commits"}: first[1],
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checkpoints (-want +got):\n%s", diff)
	}
	if err := s.SaveCheckpoints(ctx, nil); err != nil {
		t.Errorf("saving no checkpoints: %v", err)
	}
}
