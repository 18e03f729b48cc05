package report_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"testing"
	"time"

	"contribtrack/internal/community"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/report"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/benchload"
)

// BenchmarkReport10M measures a year's report of one org (25
// repositories, about 50,000 contributors) and of everything, over the
// benchmarks' 10 million contributions, against the baseline of the same
// scope's full leaderboard in the same run (a report is that leaderboard
// plus the project metrics, activity, sync status and roster details):
//
//	go test -run '^$' -bench Report10M -benchtime 5x ./internal/report/
//
// CONTRIBTRACK_BENCH_ROWS changes the size.
func BenchmarkReport10M(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b)
	rows := benchload.Rows()
	t0 := time.Now()
	if _, err := benchload.Load(ctx, e.store.Conn(), rows); err != nil {
		b.Fatal(err)
	}
	if _, err := e.store.RebuildRollup(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d rows and built the rollup in %s", rows, time.Since(t0).Round(time.Second))
	s := e.settings(b)
	from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, scope := range []report.Scope{{Org: "org7"}, {}} {
		req := report.Request{Scope: scope, From: from, To: to}
		q := leaderboard.Query{Question: store.Question{From: from, To: to, Org: scope.Org, Limit: leaderboard.MaxLimit}}
		var reports, boards []time.Duration
		renders := map[string][]time.Duration{}
		var r *report.Report
		for i := 0; i < b.N; i++ {
			t := time.Now()
			var err error
			if r, err = report.Build(ctx, e.store, req, s, report.Options{}); err != nil {
				b.Fatal(err)
			}
			reports = append(reports, time.Since(t))
			t = time.Now()
			entries, err := leaderboard.Compute(ctx, e.store, q, s)
			if err != nil {
				b.Fatal(err)
			}
			boards = append(boards, time.Since(t))
			if len(entries) != len(r.Contributors) {
				b.Fatalf("report lists %d contributors, leaderboard %d", len(r.Contributors), len(entries))
			}
			for _, format := range report.Formats {
				t = time.Now()
				if err := report.Write(io.Discard, format, r); err != nil {
					b.Fatal(err)
				}
				renders[format] = append(renders[format], time.Since(t))
			}
		}
		// Where a report's time goes: each of its questions alone.
		f, err := leaderboard.Filter(q, s)
		if err != nil {
			b.Fatal(err)
		}
		parts := []struct {
			name string
			run  func() error
		}{
			{"project metrics", func() error { _, _, err := community.Measure(ctx, e.store, q, s); return err }},
			{"  people counts", func() error { _, err := e.store.PeopleCounts(ctx, f); return err }},
			{"  people before", func() error {
				before := f
				before.From, before.To = time.Unix(0, 0).UTC(), from
				_, err := e.store.PeopleCounts(ctx, before)
				return err
			}},
			{"  merge times", func() error { _, err := e.store.MergeTimes(ctx, f); return err }},
			{"  first responses", func() error { _, err := e.store.FirstResponses(ctx, f); return err }},
			{"activity", func() error { _, err := e.store.Activity(ctx, f, "month"); return err }},
			{"repositories", func() error { _, err := e.store.Projects(ctx, f, false); return err }},
			{"totals with bots", func() error {
				all := f
				all.BotRegex, all.HumanRegex = "", ""
				_, err := e.store.Totals(ctx, all)
				return err
			}},
			{"sync status", func() error { _, err := e.store.SyncStatus(ctx); return err }},
		}
		took := map[string]time.Duration{}
		for _, p := range parts {
			t := time.Now()
			if err := p.run(); err != nil {
				b.Fatal(err)
			}
			took[p.name] = time.Since(t)
		}
		name := "everything"
		if scope.Org != "" {
			name = "org " + scope.Org
		}
		var size bytes.Buffer
		_ = report.Write(&size, "html", r)
		fmt.Printf("%s, 2023 (%d contributors, %d contributions):\n", name, len(r.Contributors), r.Summary.Contributions)
		fmt.Printf("  report:                         p50 %s\n", p50(reports))
		fmt.Printf("  full leaderboard (baseline):    p50 %s  (report/leaderboard %.2fx)\n", p50(boards), float64(p50(reports))/float64(p50(boards)))
		for _, format := range report.Formats {
			fmt.Printf("  writing %-5s                   p50 %s\n", format, p50(renders[format]))
		}
		fmt.Printf("  html page: %d bytes\n", size.Len())
		fmt.Printf("  its questions, each once:\n")
		for _, p := range parts {
			fmt.Printf("    %-20s %s\n", p.name, took[p.name].Round(time.Millisecond))
		}
	}
}

func p50(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2].Round(100 * time.Microsecond)
}
