package collector

import (
	"context"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// After Ctrl-C (a cancelled context) the sink still stores what finished,
// checkpoints included, instead of failing on the cancelled context.
func TestSinkStoresAfterCancel(t *testing.T) {
	dsn, _ := chtest.Database(t)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := newSink(st, 1000, time.Hour, nil)
	ctx, cancel := context.WithCancel(context.Background())
	c := contrib.Contribution{Kind: contrib.IssueComment, Key: "1", CreatedAt: time.Unix(1700000000, 0).UTC(),
		ActorID: 5, ActorLogin: "ana", RepoID: 9, RepoName: "o/r", Org: "o", Source: contrib.SourceREST}
	if err := s.add(ctx, c); err != nil {
		t.Fatal(err)
	}
	cp := store.Checkpoint{RepoID: 9, RepoName: "o/r", Resource: "issue_comments", Signature: "x", SyncedAt: time.Now()}
	if err := s.done(ctx, []store.Checkpoint{cp}); err != nil { // not due yet
		t.Fatal(err)
	}
	cancel()
	if err := s.flush(ctx); err != nil {
		t.Fatalf("flush after cancel: %v", err)
	}
	cps, err := st.Checkpoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cps[store.CheckpointKey{RepoID: 9, Resource: "issue_comments"}]; !ok || s.storedByKind()[contrib.IssueComment] != 1 {
		t.Errorf("after a cancelled run: checkpoints %v, stored %v; want both kept", cps, s.storedByKind())
	}
}
