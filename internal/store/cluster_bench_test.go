package store

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/benchload"
	"contribtrack/internal/testing/chtest"
)

// BenchmarkLeaderboardClusterVsOneNode loads the leaderboard benchmark's
// history (10 million contributions; CONTRIBTRACK_BENCH_ROWS changes it)
// into the local two-shard cluster of 26.x servers and into one 26.x
// server, builds both
// rollups, and asks both the exact top-50 of a year; one server is the
// baseline:
//
//	go test -run '^$' -bench LeaderboardClusterVsOneNode -benchtime 20x -timeout 60m ./internal/store/
func BenchmarkLeaderboardClusterVsOneNode(b *testing.B) {
	ctx := context.Background()
	// One server of the cluster's release (26.x), so that the ratio is
	// what going distributed costs, not what the release changes.
	singleDSN, _ := chtest.Database(b)
	single, err := Open(ctx, singleDSN)
	if err != nil {
		b.Fatal(err)
	}
	defer single.Close()
	if _, err := single.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	_, dsn, _ := chtest.ClusterDatabase(b)
	cluster, err := OpenWith(ctx, dsn, Layout{Cluster: chtest.ClusterName})
	if err != nil {
		b.Fatal(err)
	}
	defer cluster.Close()
	if _, err := cluster.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	rows := benchload.Rows()
	stores := []*Store{single, cluster}
	names := []string{"one server", "two-shard cluster"}
	for i, s := range stores {
		t0 := time.Now()
		if _, err := benchload.Load(ctx, s.Conn(), rows); err != nil {
			b.Fatal(err)
		}
		loaded := time.Since(t0)
		t0 = time.Now()
		if _, err := s.RebuildRollup(ctx); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("%s: loaded %d rows in %s, built the rollup in %s\n", names[i], rows, loaded.Round(time.Second), time.Since(t0).Round(time.Second))
	}
	weights := map[contrib.Kind]float64{}
	for _, k := range contrib.ContributionKinds {
		weights[k] = 1
	}
	f := LeaderboardFilter{
		Question: Question{
			From:  day(2023, 1, 1),
			To:    day(2024, 1, 1),
			Kinds: contrib.ContributionKinds,
			Limit: 50,
		},
		Weights: weights,
	}
	took := make([][]time.Duration, 2)
	answers := make([][]ActorScore, 2)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i, s := range stores {
			t := time.Now()
			if answers[i], err = s.Leaderboard(ctx, f); err != nil {
				b.Fatal(err)
			}
			took[i] = append(took[i], time.Since(t))
		}
	}
	b.StopTimer()
	if d := cmp.Diff(answers[0], answers[1]); d != "" || len(answers[0]) != 50 {
		b.Fatalf("the cluster's top-50 differs from one server's:\n%s", d)
	}
	p := func(ds []time.Duration, q float64) time.Duration {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[int(q*float64(len(s)-1))].Round(time.Millisecond)
	}
	fmt.Printf("exact top-50 of 2023 over %d rows, %d questions each (same answer):\n", rows, b.N)
	fmt.Printf("  one server (baseline):   p50 %s p95 %s\n", p(took[0], 0.5), p(took[0], 0.95))
	fmt.Printf("  two-shard cluster:       p50 %s p95 %s  (cluster/one server %.2fx at p50)\n", p(took[1], 0.5), p(took[1], 0.95),
		float64(p(took[1], 0.5))/float64(p(took[0], 0.5)))
}
