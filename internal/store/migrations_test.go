package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

func TestStatements(t *testing.T) {
	got := Statements("-- a comment; with a semicolon\nCREATE TABLE a (x UInt8);\n\n-- another\nINSERT INTO a\nSELECT 1; -- a note\nDROP TABLE b")
	want := []string{"CREATE TABLE a (x UInt8)", "INSERT INTO a\nSELECT 1", "DROP TABLE b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Statements = %q, want %q", got, want)
	}
}

// Contributions stored before the move to yearly partitions are all there
// after it, and running the move again after a failure part-way loses
// nothing.
func TestYearlyPartitionsMigrationKeepsData(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.migrateTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	var cs []contrib.Contribution
	for i := 0; i < 50; i++ {
		at := time.Date(2019+i%7, time.Month(1+i%12), 3, 4, 5, 6, 0, time.UTC)
		cs = append(cs, contrib.Contribution{Kind: contrib.IssueComment, Key: contrib.KeyForID(int64(1000 + i)), CreatedAt: at,
			ActorID: uint64(7 + i%5), ActorLogin: "u", RepoID: 9, RepoName: "o/r", Org: "o", Via: contrib.ViaREST})
	}
	// The columns of schema version 2 (email_domain comes with 0005).
	b, err := s.Conn().PrepareBatch(ctx, "INSERT INTO contributions (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source)")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := b.Append(string(c.Kind), c.Key, contrib.KeyHash(c.Kind, c.Key), c.CreatedAt, c.ActorID, c.ActorLogin, c.RepoID, c.RepoName, c.Org, string(c.Via)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	engine := func() string {
		var e string
		if err := s.Conn().QueryRow(ctx, "SELECT engine_full FROM system.tables WHERE database = @db AND name = 'contributions'",
			namedDB(s)).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	if !strings.Contains(engine(), "toYYYYMM") {
		t.Fatalf("before 0003 the table is not partitioned by month: %s", engine())
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if e := engine(); !strings.Contains(e, "toYear(created_at)") {
		t.Errorf("after 0003: %s", e)
	}
	count := func() (rows, keys uint64) {
		if err := s.Conn().QueryRow(ctx, "SELECT count(), uniqExact(key) FROM contributions").Scan(&rows, &keys); err != nil {
			t.Fatal(err)
		}
		return
	}
	if rows, keys := count(); rows != 50 || keys != 50 {
		t.Fatalf("after the move: %d rows, %d keys; want 50, 50", rows, keys)
	}
	// A failure after the swap but before the old table was dropped, then
	// the migration again from the start.
	ms, err := Migrations(s.Database(), s.layout)
	if err != nil {
		t.Fatal(err)
	}
	var m Migration
	for _, x := range ms {
		if x.Version == 3 {
			m = x
		}
	}
	stmts := Statements(m.SQL)
	for _, st := range stmts[:4] {
		if err := s.Conn().Exec(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	for _, st := range stmts {
		if err := s.Conn().Exec(ctx, st); err != nil {
			t.Fatalf("re-running %q: %v", st, err)
		}
	}
	if _, keys := count(); keys != 50 {
		t.Errorf("after a re-run: %d keys, want 50", keys)
	}
	var left uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = @db AND name LIKE 'contributions_%'",
		namedDB(s)).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d leftover tables after the re-run", left)
	}
}

// A new database is migrated by EnsureSchema, and so is one whose first
// migration was cut short before anything was stored (a command killed
// while it created the schema refused to run again); an existing one that
// holds contributions and is behind is not touched (only `contribtrack
// migrate` upgrades it).
func TestEnsureSchemaMigratesOnlyNewDatabases(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatalf("new database: %v", err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("after EnsureSchema: %v", err)
	}
	cut := openTest(t)
	if _, err := cut.migrateTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := cut.EnsureSchema(ctx); err != nil {
		t.Fatalf("a creation cut short: %v", err)
	}
	if err := cut.CheckSchema(ctx); err != nil {
		t.Fatalf("a creation cut short, after EnsureSchema: %v", err)
	}
	old := openTest(t)
	if _, err := old.migrateTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := old.Conn().Exec(ctx, `INSERT INTO contributions (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source)
		VALUES ('commit', 'k', 1, now(), 1, 'a', 1, 'o/r', 'o', 'rest')`); err != nil {
		t.Fatal(err)
	}
	err := old.EnsureSchema(ctx)
	if !errors.Is(err, ErrNotMigrated) || !strings.Contains(err.Error(), "contribtrack migrate") {
		t.Errorf("database behind: err = %v, want ErrNotMigrated telling to run contribtrack migrate", err)
	}
	if err := old.CheckSchema(ctx); err == nil {
		t.Errorf("EnsureSchema upgraded an existing database")
	}
}

// Adding a column a failed run already added is not an error on re-run.
func TestAddColumnAgainIsTolerated(t *testing.T) {
	s := migrated(t)
	stmt := "ALTER TABLE contributions ADD COLUMN email_domain String DEFAULT ''"
	err := s.Conn().Exec(context.Background(), stmt)
	if err == nil {
		t.Fatal("adding an existing column succeeded: the test shows nothing")
	}
	if !columnExists(stmt, err) {
		t.Errorf("columnExists(%v) = false", err)
	}
	if columnExists("CREATE TABLE x (a UInt8)", err) {
		t.Errorf("columnExists is true for a statement that adds no column")
	}
}

// 0010 moves contributions into the compact layout (sorted by natural
// key, LowCardinality, codecs) and keeps every row, also when it is run
// again after a failure between the swap and the drop.
func TestCompactMigrationKeepsData(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.migrateTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	var cs []contrib.Contribution
	for i := 0; i < 60; i++ {
		at := time.Date(2019+i%7, time.Month(1+i%12), 3, 4, 5, 6, 0, time.UTC)
		cs = append(cs, contrib.Contribution{Kind: contrib.IssueComment, Key: contrib.KeyForID(int64(1000 + i)), CreatedAt: at,
			ActorID: uint64(7 + i%5), ActorLogin: "u" + itoa(i%5), RepoID: 9, RepoName: "o/r", Org: "o", Via: contrib.ViaREST,
			EmailDomain: "example.org", Number: int64(i)})
	}
	// The columns of the table before 0010 (Insert writes later ones too).
	b, err := s.Conn().PrepareBatch(ctx, "INSERT INTO contributions (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source, email_domain, number)")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := b.Append(string(c.Kind), c.Key, contrib.KeyHash(c.Kind, c.Key), c.CreatedAt, c.ActorID, c.ActorLogin, c.RepoID, c.RepoName, c.Org, string(c.Via), c.EmailDomain, uint64(c.Number)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	table := func() (sortingKey, columns string) {
		if err := s.Conn().QueryRow(ctx, "SELECT sorting_key FROM system.tables WHERE database = @db AND name = 'contributions'",
			namedDB(s)).Scan(&sortingKey); err != nil {
			t.Fatal(err)
		}
		if err := s.Conn().QueryRow(ctx, `SELECT arrayStringConcat(groupArray(concat(name, ' ', type)), ', ') FROM system.columns
			WHERE database = @db AND table = 'contributions'`, namedDB(s)).Scan(&columns); err != nil {
			t.Fatal(err)
		}
		return
	}
	if k, _ := table(); k != "kind, key_hash" {
		t.Fatalf("before 0010 the table is sorted by %q", k)
	}
	sum := func() (rows, keys, numbers uint64, logins string) {
		if err := s.Conn().QueryRow(ctx, `SELECT count(), uniqExact(key), sum(number), arrayStringConcat(arraySort(groupUniqArray(toString(actor_login))), ',')
			FROM contributions WHERE email_domain = 'example.org'`).Scan(&rows, &keys, &numbers, &logins); err != nil {
			t.Fatal(err)
		}
		return
	}
	before := fmt.Sprint(sum())
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	k, cols := table()
	if k != "kind, key" {
		t.Errorf("after 0010 the table is sorted by %q, want kind, key", k)
	}
	for _, want := range []string{"actor_login LowCardinality(String)", "repo_name LowCardinality(String)", "email_domain LowCardinality(String)"} {
		if !strings.Contains(cols, want) {
			t.Errorf("after 0010 the columns lack %s: %s", want, cols)
		}
	}
	if after := fmt.Sprint(sum()); after != before {
		t.Fatalf("after 0010: %s, before %s", after, before)
	}
	ms, err := Migrations(s.Database(), s.layout)
	if err != nil {
		t.Fatal(err)
	}
	var m Migration
	for _, x := range ms {
		if x.Version == 10 {
			m = x
		}
	}
	stmts := Statements(m.SQL)
	if len(stmts) != 5 {
		t.Fatalf("0010 has %d statements, want 5", len(stmts))
	}
	// A failure after the swap but before the old table was dropped, then
	// the migration again from the start.
	if err := s.Conn().Exec(ctx, "CREATE TABLE contributions_wide AS contributions"); err != nil {
		t.Fatal(err)
	}
	for _, st := range stmts {
		if err := s.Conn().Exec(ctx, st); err != nil {
			t.Fatalf("re-running %q: %v", st, err)
		}
	}
	if after := fmt.Sprint(sum()); after != before {
		t.Errorf("after a re-run: %s, want %s", after, before)
	}
}
