package store

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/benchload"
)

// BenchmarkLeaderboard10M measures the exact top-50 leaderboard of one
// year over 10 million contributions (about 50,000 actors, 500
// repositories, five years, 10% of them delivered twice), each run a year
// starting a day later, and in the same run the same question over the
// identity rollup (what answered before the people rollup; the two
// answers must be equal) and over the raw table with FINAL, the baseline:
//
//	go test -run '^$' -bench Leaderboard10M -benchtime 20x ./internal/store/
//
// CONTRIBTRACK_BENCH_ROWS changes the size.
func BenchmarkLeaderboard10M(b *testing.B) {
	ctx := context.Background()
	s := migrated(b)
	rows := benchload.Rows()
	t0 := time.Now()
	unique, err := benchload.Load(ctx, s.Conn(), rows)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d rows (%d natural keys) in %s", rows, unique, time.Since(t0).Round(time.Millisecond))
	// Loaded behind Insert's back: rebuild the whole rollup.
	t0 = time.Now()
	st, err := s.RebuildRollup(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built the rollup (%d months, %d years, people %d) in %s", st.Months, st.Years, st.People, time.Since(t0).Round(time.Millisecond))
	if err := benchload.Settle(ctx, s.Conn(), s.database); err != nil {
		b.Fatal(err)
	}
	weights := map[contrib.Kind]float64{}
	for _, k := range contrib.ContributionKinds {
		weights[k] = 1
	}
	f := LeaderboardFilter{Question: Question{Kinds: contrib.ContributionKinds, Limit: 50}, Weights: weights}
	final := `SELECT actor_id, count() AS n FROM contributions FINAL
		WHERE created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC')
		GROUP BY actor_id ORDER BY n DESC, actor_id LIMIT 50`
	var ours, identity, base []time.Duration
	var got []ActorScore
	want := map[uint64]uint64{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		to := from.AddDate(1, 0, 0)
		f.From, f.To = from, to
		t := time.Now()
		var err error
		if got, err = s.Leaderboard(ctx, f); err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(t))
		s.identityReads = true
		t = time.Now()
		before, err := s.Leaderboard(ctx, f)
		identity = append(identity, time.Since(t))
		s.identityReads = false
		if err != nil {
			b.Fatal(err)
		}
		if !reflect.DeepEqual(got, before) {
			b.Fatalf("%s..%s: the people rollup and the identity rollup differ", from.Format(time.DateOnly), to.Format(time.DateOnly))
		}
		clear(want)
		t = time.Now()
		rs, err := s.Conn().Query(ctx, final, namedU("from", uint64(from.Unix())), namedU("to", uint64(to.Unix())))
		if err != nil {
			b.Fatal(err)
		}
		for rs.Next() {
			var id, n uint64
			if err := rs.Scan(&id, &n); err != nil {
				b.Fatal(err)
			}
			want[id] = n
		}
		rs.Close()
		base = append(base, time.Since(t))
	}
	b.StopTimer()
	for _, a := range got {
		var n uint64
		for _, c := range a.Counts {
			n += c
		}
		if w, ok := want[a.ActorID]; ok && w != n {
			b.Errorf("actor %d: %d contributions, FINAL says %d", a.ActorID, n, w)
		}
	}
	p := func(ds []time.Duration, q float64) time.Duration {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[int(q*float64(len(s)-1))]
	}
	b.ReportMetric(p(ours, 0.5).Seconds()*1000, "p50-ms")
	b.ReportMetric(p(ours, 0.95).Seconds()*1000, "p95-ms")
	b.ReportMetric(p(base, 0.95).Seconds()*1000, "final-p95-ms")
	// Printed, not logged: the testing package cuts long benchmark logs.
	fmt.Printf("top-50 of a year over %d rows, %d years each starting a day later:\n", rows, len(ours))
	fmt.Printf("  the store (people rollup where it answers): p50 %s p95 %s\n", p(ours, 0.5).Round(time.Millisecond), p(ours, 0.95).Round(time.Millisecond))
	fmt.Printf("  the identity rollup, same answers: p50 %s p95 %s\n", p(identity, 0.5).Round(time.Millisecond), p(identity, 0.95).Round(time.Millisecond))
	fmt.Printf("  FINAL baseline: p50 %s p95 %s\n", p(base, 0.5).Round(time.Millisecond), p(base, 0.95).Round(time.Millisecond))
}
