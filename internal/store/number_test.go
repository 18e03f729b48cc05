package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
)

// storedNumbers reads the number column by "kind/key".
func storedNumbers(t *testing.T, s *Store) map[string]uint64 {
	t.Helper()
	rows, err := s.Conn().Query(context.Background(), "SELECT toString(kind), key, number FROM contributions")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]uint64{}
	for rows.Next() {
		var kind, key string
		var n uint64
		if err := rows.Scan(&kind, &key, &n); err != nil {
			t.Fatal(err)
		}
		got[kind+"/"+key] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestInsertStoresNumber(t *testing.T) {
	s := migrated(t)
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	c := func(k contrib.Kind, key string, n int64) contrib.Contribution {
		return contrib.Contribution{Kind: k, Key: key, CreatedAt: at, ActorID: 10, ActorLogin: "ana", RepoID: 1,
			RepoName: "aws/x", Org: "aws", Via: contrib.ViaGraphQL, Number: n}
	}
	cs := []contrib.Contribution{
		c(contrib.PROpened, "1#1234", 1234),
		c(contrib.IssueComment, "555", 1234),
		c(contrib.PRReview, "556", 1<<40), // far beyond UInt32
		c(contrib.Commit, "1@abc", 0),
		c(contrib.Release, "557", -3), // negative: stored as unknown
	}
	if err := s.Insert(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"pr_opened/1#1234": 1234, "issue_comment/555": 1234, "pr_review/556": 1 << 40,
		"commit/1@abc": 0, "release/557": 0}
	if diff := cmp.Diff(want, storedNumbers(t, s)); diff != "" {
		t.Errorf("numbers (-want +got):\n%s", diff)
	}
}

// Rows stored before migration 0008 keep number 0; running its ALTER again
// (a re-run after a failure part-way) is tolerated.
func TestNumberMigrationKeepsOldRows(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.migrateTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	b, err := s.Conn().PrepareBatch(ctx, "INSERT INTO contributions (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source, email_domain)")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2023, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := b.Append("issue_comment", "42", contrib.KeyHash(contrib.IssueComment, "42"), at, uint64(3), "bo", uint64(1), "aws/x", "aws", "rest", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	applied, err := s.migrateTo(ctx, 8)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"0008_contribution_number"}, applied); diff != "" {
		t.Fatalf("applied (-want +got):\n%s", diff)
	}
	var typ string
	if err := s.Conn().QueryRow(ctx, "SELECT type FROM system.columns WHERE database = @db AND table = 'contributions' AND name = 'number'",
		namedDB(s)).Scan(&typ); err != nil {
		t.Fatal(err)
	}
	if typ != "UInt64" {
		t.Errorf("number column: type %s, want UInt64", typ)
	}
	if got := storedNumbers(t, s); got["issue_comment/42"] != 0 || len(got) != 1 {
		t.Errorf("after the migration: %v, want the old row with number 0", got)
	}
	ms, err := Migrations(s.Database(), s.layout)
	if err != nil {
		t.Fatal(err)
	}
	m := ms[len(ms)-1]
	for _, st := range Statements(m.SQL) {
		if err := s.Conn().Exec(ctx, st); err != nil && !columnExists(st, err) {
			t.Errorf("re-running %q: %v", st, err)
		}
	}
}
