package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/chtest"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	dsn, _ := chtest.Database(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func migrated(t testing.TB) *Store {
	t.Helper()
	s := openTest(t)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMigrateCreatesDatabaseAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.CheckSchema(ctx); err == nil {
		t.Fatal("CheckSchema passed before migrating")
	}
	first, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || first[0] != "0001_contributions" {
		t.Fatalf("first run applied %v", first)
	}
	second, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 0 {
		t.Errorf("second run applied %v, want nothing", second)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Errorf("CheckSchema after migrating: %v", err)
	}
	var n uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if ms, _ := Migrations(s.Database(), Layout{}); n != uint64(len(ms)) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}
}

// The Enum8 of the kind column must list contrib.Kinds in order.
func TestKindEnumMatchesVocabulary(t *testing.T) {
	s := migrated(t)
	var typ string
	err := s.Conn().QueryRow(context.Background(),
		"SELECT type FROM system.columns WHERE database = @db AND table = 'contributions' AND name = 'kind'",
		namedDB(s)).Scan(&typ)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for i, k := range contrib.Kinds {
		parts = append(parts, "'"+string(k)+"' = "+itoa(i+1))
	}
	if want := "Enum8(" + strings.Join(parts, ", ") + ")"; typ != want {
		t.Errorf("kind column type\n got %s\nwant %s", typ, want)
	}
}

func TestInsertTwiceCountsOnce(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	cs := []contrib.Contribution{
		{Kind: contrib.PROpened, Key: "1#1", CreatedAt: at, ActorID: 10, ActorLogin: "ana", RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGHArchive},
		{Kind: contrib.PRMerged, Key: "1#1", CreatedAt: at.Add(time.Hour), ActorID: 10, ActorLogin: "ana", RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGHArchive},
		{Kind: contrib.Commit, Key: "1@abc", CreatedAt: at, ActorID: contrib.EmailActorID("a@b"), RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGHArchive},
	}
	for i := 0; i < 2; i++ {
		if err := s.Insert(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
	// The same pull request seen by the API counts once too.
	api := cs[0]
	api.Via = contrib.ViaREST
	if err := s.Insert(ctx, []contrib.Contribution{api}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Leaderboard(ctx, LeaderboardFilter{
		Question: Question{
			From:  at.Add(-time.Hour),
			To:    at.Add(24 * time.Hour),
			Kinds: contrib.ContributionKinds,
			Limit: 10,
		},
		Weights: map[contrib.Kind]float64{contrib.PROpened: 2, contrib.PRMerged: 3, contrib.Commit: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[uint64]ActorScore{}
	for _, r := range rows {
		got[r.ActorID] = r
	}
	want := map[uint64]ActorScore{
		10:                          {ActorID: 10, Login: "ana", Score: 5, Counts: map[contrib.Kind]uint64{contrib.PROpened: 1, contrib.PRMerged: 1}},
		contrib.EmailActorID("a@b"): {ActorID: contrib.EmailActorID("a@b"), Login: contrib.EmailLabel(contrib.EmailActorID("a@b")), Score: 1, Counts: map[contrib.Kind]uint64{contrib.Commit: 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leaderboard (-want +got):\n%s", diff)
	}
}

// One contribution credited to different ids by different sources (a
// commit GH Archive knows only by email, the API by account) counts once,
// for the API's actor.
func TestSameKeyFromTwoSourcesCountsOnceForTheBetterSource(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	archive := contrib.Contribution{Kind: contrib.Commit, Key: "1@abc", CreatedAt: at, ActorID: contrib.EmailActorID("a@b"),
		RepoID: 1, RepoName: "aws/x", Org: "aws", Via: contrib.ViaGHArchive}
	api := archive
	api.ActorID, api.ActorLogin, api.Via = 42, "ana", contrib.ViaREST
	for _, batch := range [][]contrib.Contribution{{archive}, {api}, {archive}} { // a later re-import must not win
		if err := s.Insert(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.Leaderboard(ctx, LeaderboardFilter{
		Question: Question{
			From:  at.Add(-time.Hour),
			To:    at.Add(time.Hour),
			Kinds: []contrib.Kind{contrib.Commit},
			Limit: 10,
		},
		Weights: map[contrib.Kind]float64{contrib.Commit: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []ActorScore{{ActorID: 42, Login: "ana", Score: 1, Counts: map[contrib.Kind]uint64{contrib.Commit: 1}}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("leaderboard (-want +got):\n%s", diff)
	}
}

func TestInsertIntoMissingDatabaseFailsClearly(t *testing.T) {
	s := openTest(t)
	err := s.Insert(context.Background(), []contrib.Contribution{{Kind: contrib.Star, Key: "1:1"}})
	if err == nil || !strings.Contains(err.Error(), "contribtrack migrate") {
		t.Fatalf("err = %v, want a hint to migrate", err)
	}
}

func TestOpenRejectsBadDSNs(t *testing.T) {
	for _, dsn := range []string{
		"clickhouse://127.0.0.1:9000/bad-name",
		"clickhouse://127.0.0.1:9000/x;DROP",
		"http://127.0.0.1:8123/contribtrack",
	} {
		if _, err := Open(context.Background(), dsn); err == nil {
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
	_, err := Open(context.Background(), "clickhouse://user:s3cret@127.0.0.1:1/contribtrack?dial_timeout=200ms")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v: want a failure that does not show the password", err)
	}
}

func TestClusterLayoutRendersReplicatedEngines(t *testing.T) {
	single, err := Migrations("db", Layout{})
	if err != nil {
		t.Fatal(err)
	}
	cluster, err := Migrations("db", Layout{Cluster: "ct"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(single[0].SQL, "ENGINE = ReplacingMergeTree(version)") || strings.Contains(single[0].SQL, "ON CLUSTER") {
		t.Errorf("single-node DDL:\n%s", single[0].SQL)
	}
	if len(Statements(cluster[0].SQL)) != 0 {
		t.Errorf("0001 on a cluster: %q (0003 creates the table there)", Statements(cluster[0].SQL))
	}
	for _, want := range []string{
		"CREATE TABLE IF NOT EXISTS db.contributions_local ON CLUSTER ct",
		"ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/contributions_local', '{replica}', version)",
		"CREATE TABLE IF NOT EXISTS db.contributions ON CLUSTER ct AS db.contributions_local ENGINE = Distributed(ct, db, contributions_local, key_hash)",
	} {
		if !strings.Contains(cluster[2].SQL, want) {
			t.Errorf("0003 on a cluster lacks %s:\n%s", want, cluster[2].SQL)
		}
	}
	if strings.Contains(cluster[2].SQL, "RENAME") || !strings.Contains(single[2].SQL, "RENAME") {
		t.Errorf("0003's copy runs on one node only")
	}
	// Small tables are replicated whole to every node.
	if want := "ReplicatedReplacingMergeTree('/clickhouse/tables/all/db/sync_checkpoints', '{shard}-{replica}', version)"; !strings.Contains(cluster[1].SQL, want) {
		t.Errorf("0002 on a cluster lacks %s:\n%s", want, cluster[1].SQL)
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"clickhouse://u:pw@h:9000/db":         "clickhouse://u:xxxxx@h:9000/db",
		"clickhouse://h:9000/db?password=pw":  "clickhouse://h:9000/db?password=xxxxx",
		"clickhouse://127.0.0.1:9000/contrib": "clickhouse://127.0.0.1:9000/contrib",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
