package collector

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
		ActorID: 5, ActorLogin: "ana", RepoID: 9, RepoName: "o/r", Org: "o", Via: contrib.ViaREST}
	if err := s.add(ctx, c); err != nil {
		t.Fatal(err)
	}
	cp := contrib.Checkpoint{RepoID: 9, RepoName: "o/r", Resource: "issue_comments", Signature: "x", SyncedAt: time.Now()}
	if err := s.done(ctx, []contrib.Checkpoint{cp}); err != nil { // not due yet
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
	if _, ok := cps[contrib.CheckpointKey{RepoID: 9, Resource: "issue_comments"}]; !ok || s.storedByKind()[contrib.IssueComment] != 1 {
		t.Errorf("after a cancelled run: checkpoints %v, stored %v; want both kept", cps, s.storedByKind())
	}
}

// flushObserver records what a sink tells its observer.
type flushObserver struct {
	flushes  []Flush
	failures []string
}

func (o *flushObserver) Flushed(f Flush)                          { o.flushes = append(o.flushes, f) }
func (o *flushObserver) Failed(stage string, _ error)             { o.failures = append(o.failures, stage) }
func (o *flushObserver) RepoSynced(RepoResult)                    {}
func (o *flushObserver) RunFinished(string, time.Duration, error) {}

// When the contributions are stored but their checkpoints cannot be, the
// observer hears of both: what was stored, and a checkpoint failure. (The
// sink retries the save for a few seconds before it gives up.)
func TestSinkReportsAFailedCheckpointSave(t *testing.T) {
	dsn, _ := chtest.Database(t)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.Conn().Exec(context.Background(), "DROP TABLE sync_checkpoints"); err != nil {
		t.Fatal(err)
	}
	obs := &flushObserver{}
	s := newSink(st, 1000, time.Hour, nil)
	s.obs = obs
	ctx := context.Background()
	c := contrib.Contribution{Kind: contrib.Release, Key: "1", CreatedAt: time.Unix(1700000000, 0).UTC(),
		ActorID: 5, ActorLogin: "ana", RepoID: 9, RepoName: "o/r", Org: "o", Via: contrib.ViaREST}
	if err := s.add(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.done(ctx, []contrib.Checkpoint{{RepoID: 9, RepoName: "o/r", Resource: "releases", SyncedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(ctx); err == nil {
		t.Fatal("flush succeeded without a checkpoints table")
	}
	if len(obs.failures) != 1 || obs.failures[0] != StageCheckpoint {
		t.Errorf("failures %v, want [%s]", obs.failures, StageCheckpoint)
	}
	if len(obs.flushes) != 1 {
		t.Fatalf("%d flushes observed, want 1", len(obs.flushes))
	}
	f := obs.flushes[0]
	if f.Err == nil || f.Rows != 1 || f.Checkpoints != 1 {
		t.Errorf("flush %+v, want a failed one of 1 row and 1 checkpoint", f)
	}
	if diff := cmp.Diff(map[ViaKind]int{{contrib.ViaREST, contrib.Release}: 1}, f.Stored); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
}
