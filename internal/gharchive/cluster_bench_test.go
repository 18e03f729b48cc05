package gharchive_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"contribtrack/internal/gharchive"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

// BenchmarkImportClusterVsOneNode imports the fixture hour repeated 8
// times (66,184 events) into the local two-shard cluster of 26.x servers
// and, in the same run, into one 26.x server (the baseline), and prints
// both and their ratio:
//
//	go test -run '^$' -bench ImportClusterVsOneNode -benchtime 5x ./internal/gharchive/
//
// On one machine the cluster is not faster (its shards share the cores);
// the figure is what going distributed costs.
func BenchmarkImportClusterVsOneNode(b *testing.B) {
	fixture := fixtures.Path(b, "gharchive/2015-01-01-12.json.gz")
	eight := filepath.Join(b.TempDir(), "x8.json.gz")
	if n := repeatWithDistinctIDs(b, fixture, eight, 8); n != 66184 {
		b.Fatalf("x8 has %d events", n)
	}
	ctx := context.Background()
	open := func(dsn string, layout store.Layout) *store.Store {
		s, err := store.OpenWith(ctx, dsn, layout)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		return s
	}
	// One server of the cluster's release (26.x), so that the ratio is
	// what going distributed costs, not what the release changes.
	single, _ := chtest.Database(b)
	_, clusterDSN, _ := chtest.ClusterDatabase(b)
	stores := []*store.Store{open(single, store.Layout{}), open(clusterDSN, store.Layout{Cluster: chtest.ClusterName})}
	took := make([][]time.Duration, 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, s := range stores {
			start := time.Now()
			st, err := gharchive.Read(ctx, []gharchive.Input{gharchive.FileInput(eight)},
				gharchive.Options{Selector: gharchive.NewSelector(true, nil, nil)}, s.Insert)
			if err != nil || st.Malformed > 0 {
				b.Fatalf("import: %v (%d malformed)", err, st.Malformed)
			}
			took[j] = append(took[j], time.Since(start))
		}
	}
	b.StopTimer()
	one, two := median(took[0]), median(took[1])
	fmt.Printf("import of the fixture hour x8 (66,184 events), %d runs each:\n", b.N)
	fmt.Printf("  one server (baseline):   p50 %s\n", one.Round(time.Millisecond))
	fmt.Printf("  two-shard cluster:       p50 %s  (cluster/one server %.2fx)\n", two.Round(time.Millisecond), float64(two)/float64(one))
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
