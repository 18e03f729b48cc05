package store

import (
	"context"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// The data version changes with every insert, and not when ClickHouse
// merges the rollup marks: a merge changes no answer, and a new version
// would make every cached answer miss.
func TestDataVersionSurvivesMergesOfMarks(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	version := func() DataVersion {
		v, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	seen := map[DataVersion]bool{version(): true}
	for i := 0; i < 3; i++ {
		c := contrib.Contribution{Kind: contrib.IssueComment, Key: contrib.KeyForID(int64(500 + i)),
			CreatedAt: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), ActorID: 7, ActorLogin: "ann",
			RepoID: 9, RepoName: "o/r", Org: "o", Via: contrib.ViaREST}
		if err := s.Insert(ctx, []contrib.Contribution{c}); err != nil {
			t.Fatal(err)
		}
		v := version()
		if seen[v] {
			t.Fatalf("insert %d left the data version at %s", i+1, v)
		}
		seen[v] = true
	}
	var marks uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM rollup_marks").Scan(&marks); err != nil {
		t.Fatal(err)
	}
	before := version()
	if err := s.Conn().Exec(ctx, "OPTIMIZE TABLE rollup_marks FINAL"); err != nil {
		t.Fatal(err)
	}
	var merged uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM rollup_marks").Scan(&merged); err != nil {
		t.Fatal(err)
	}
	if merged >= marks {
		t.Fatalf("the merge kept %d of %d marks: nothing to test", merged, marks)
	}
	if after := version(); after != before {
		t.Errorf("merging the marks (%d rows to %d) changed the data version from %s to %s", marks, merged, before, after)
	}
}
