package store

import (
	"context"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// BenchmarkInsertAcrossYears measures storing a 20,000-row batch of API
// history spread over six years into contributions (partitioned by year,
// migration 0003) against the same batch into a copy partitioned by month
// (the layout before 0003), the baseline in the same run:
//
//	go test -run '^$' -bench InsertAcrossYears -benchtime 5x ./internal/store/
func BenchmarkInsertAcrossYears(b *testing.B) {
	ctx := context.Background()
	s := migrated(b)
	if err := s.Conn().Exec(ctx, `CREATE TABLE contributions_by_month AS contributions
		ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(created_at) ORDER BY (kind, key_hash)`); err != nil {
		b.Fatal(err)
	}
	const n = 20000
	cs := make([]contrib.Contribution, n)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range cs {
		cs[i] = contrib.Contribution{Kind: contrib.IssueComment, Key: contrib.KeyForID(int64(i + 1)),
			CreatedAt: start.Add(time.Duration(i) * 6 * 365 * 24 * time.Hour / n), ActorID: uint64(i%500 + 1),
			ActorLogin: "someone", RepoID: 7, RepoName: "o/r", Org: "o", Via: contrib.ViaREST}
	}
	// The same rows the same way into either table: the partitioning is
	// all that differs. (Insert adds the rollup's marks, two statements
	// more, timed on their own below.)
	raw := func(table string) error {
		batch, err := s.Conn().PrepareBatch(ctx, "INSERT INTO "+table+" (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source, email_domain)")
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := batch.Append(string(c.Kind), c.Key, contrib.KeyHash(c.Kind, c.Key), c.CreatedAt, c.ActorID, c.ActorLogin, c.RepoID, c.RepoName, c.Org, string(c.Via), ""); err != nil {
				return err
			}
		}
		return batch.Send()
	}
	var yearly, byMonth, withMarks time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := raw("contributions"); err != nil {
			b.Fatal(err)
		}
		yearly += time.Since(t0)
		t0 = time.Now()
		if err := raw("contributions_by_month"); err != nil {
			b.Fatal(err)
		}
		byMonth += time.Since(t0)
		t0 = time.Now()
		if err := s.Insert(ctx, cs); err != nil {
			b.Fatal(err)
		}
		withMarks += time.Since(t0)
	}
	y, m, w := yearly.Seconds()/float64(b.N), byMonth.Seconds()/float64(b.N), withMarks.Seconds()/float64(b.N)
	b.ReportMetric(y, "yearly-s/batch")
	b.ReportMetric(m, "monthly-s/batch")
	b.ReportMetric(m/y, "x-faster")
	b.Logf("20,000 rows over six years: %.3f s by year, %.3f s by month (baseline): %.1fx faster; Insert (rows by year and the rollup's marks): %.3f s",
		y, m, m/y, w)
}
