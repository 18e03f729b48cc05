package serve_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/api"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/benchload"
	"contribtrack/internal/testing/chtest"
)

// BenchmarkLeaderboardHTTP answers issue 5's speed question: the exact
// top-50 leaderboard of one year over 10 million contributions (about
// 50,000 actors, 500 repositories, five years, 10% of them delivered
// twice), asked through the HTTP API, and in the same run the same
// question asked with clickhouse-client over the raw table with FINAL:
//
//	go test -run '^$' -bench LeaderboardHTTP -benchtime 20x ./internal/serve/
//
// It prints p50 and p95 of: the API answering from ClickHouse (cache off),
// the API answering a question it answered before at the same data
// version (cache on), and clickhouse-client with FINAL. Every API answer
// is checked against the FINAL answer. CONTRIBTRACK_BENCH_ROWS changes
// the size.
func BenchmarkLeaderboardHTTP(b *testing.B) {
	ctx := context.Background()
	dsn, db := chtest.Database(b)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	rows := benchload.Rows()
	t0 := time.Now()
	unique, err := benchload.Load(ctx, s.Conn(), rows)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d rows (%d natural keys) in %s", rows, unique, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	st, err := s.RebuildRollup(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built the rollup (%d months, %d years) in %s", st.Months, st.Years, time.Since(t0).Round(time.Millisecond))

	cfg := config.Default()
	rules := leaderboard.Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()}
	cold := httptest.NewServer(api.New(api.Options{Store: s, Rules: rules, CacheEntries: -1}))
	defer cold.Close()
	warm := httptest.NewServer(api.New(api.Options{Store: s, Rules: rules}))
	defer warm.Close()
	question := "/api/v1/leaderboard?from=2023-01-01&to=2024-01-01&limit=50"

	client, err := exec.LookPath("clickhouse-client")
	if err != nil {
		b.Fatalf("clickhouse-client is needed for the baseline: %v", err)
	}
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		b.Fatal(err)
	}
	host, port, _ := strings.Cut(opts.Addr[0], ":")
	// The same question with FINAL: weighted score per actor, default
	// weights, bots (none in this data) aside.
	var kinds, weights []string
	for _, k := range contrib.ContributionKinds {
		kinds = append(kinds, "'"+string(k)+"'")
		weights = append(weights, strconv.FormatFloat(cfg.Weights()[k], 'f', -1, 64))
	}
	final := fmt.Sprintf(`SELECT concat('user', toString(actor_id)) AS login, round(sum(transform(toString(kind), [%s], [%s], 0.)), 6) AS score
		FROM contributions FINAL
		WHERE created_at >= toDateTime('2023-01-01 00:00:00', 'UTC') AND created_at < toDateTime('2024-01-01 00:00:00', 'UTC')
		GROUP BY actor_id ORDER BY score DESC, login LIMIT 50`, strings.Join(kinds, ","), strings.Join(weights, ","))
	askFinal := func() (map[string]float64, time.Duration) {
		t := time.Now()
		out, err := exec.Command(client, "--host", host, "--port", port, "--database", db, "--query", final).Output()
		if err != nil {
			b.Fatalf("clickhouse-client: %v", err)
		}
		d := time.Since(t)
		got := map[string]float64{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			login, score, _ := strings.Cut(line, "\t")
			v, err := strconv.ParseFloat(score, 64)
			if err != nil {
				b.Fatalf("clickhouse-client line %q: %v", line, err)
			}
			got[login] = v
		}
		return got, d
	}
	ask := func(base string) ([]leaderboard.Entry, time.Duration, string) {
		t := time.Now()
		resp, err := http.Get(base + question)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		var entries []leaderboard.Entry
		if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %s", question, resp.Status)
		}
		return entries, time.Since(t), resp.Header.Get("X-Contribtrack-Cache")
	}
	check := func(what string, entries []leaderboard.Entry, want map[string]float64) {
		if len(entries) != len(want) {
			b.Fatalf("%s: %d entries, FINAL %d", what, len(entries), len(want))
		}
		// Ties at the 50th place may list different people; everyone listed
		// by both must have the same score, and the scores line up.
		var ours, theirs []float64
		for _, e := range entries {
			if w, ok := want[e.Login]; ok && w != e.Score {
				b.Fatalf("%s: %s scores %v, FINAL says %v", what, e.Login, e.Score, w)
			}
			ours = append(ours, e.Score)
		}
		for _, v := range want {
			theirs = append(theirs, v)
		}
		sort.Float64s(ours)
		sort.Float64s(theirs)
		for i := range ours {
			if ours[i] != theirs[i] {
				b.Fatalf("%s: scores differ from FINAL's at place %d: %v vs %v", what, len(ours)-i, ours[i], theirs[i])
			}
		}
	}
	// One answer to warm the cache: the warm figures measure repeats.
	if _, _, c := ask(warm.URL); c != "miss" {
		b.Fatalf("first warm answer: cache %q", c)
	}
	var coldT, warmT, finalT []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want, d := askFinal()
		finalT = append(finalT, d)
		entries, d, c := ask(cold.URL)
		if c != "miss" {
			b.Fatalf("cache off answered %q", c)
		}
		check("API (cache off)", entries, want)
		coldT = append(coldT, d)
		entries, d, c = ask(warm.URL)
		if c != "hit" {
			b.Fatalf("cache on answered %q", c)
		}
		check("API (cached)", entries, want)
		warmT = append(warmT, d)
	}
	b.StopTimer()
	p := func(ds []time.Duration, q float64) time.Duration {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[int(q*float64(len(s)-1)+0.5)].Round(100 * time.Microsecond)
	}
	b.ReportMetric(float64(p(coldT, 0.95).Microseconds())/1000, "api-p95-ms")
	b.ReportMetric(float64(p(warmT, 0.95).Microseconds())/1000, "cached-p95-ms")
	b.ReportMetric(float64(p(finalT, 0.95).Microseconds())/1000, "final-p95-ms")
	// Printed, not logged: the testing package cuts long benchmark logs.
	fmt.Printf("top-50 of a year over %d rows, %d questions each:\n", rows, len(coldT))
	fmt.Printf("  API, answered by ClickHouse (cache off): p50 %s p95 %s\n", p(coldT, 0.5), p(coldT, 0.95))
	fmt.Printf("  API, same question at the same data version (cache on): p50 %s p95 %s\n", p(warmT, 0.5), p(warmT, 0.95))
	fmt.Printf("  clickhouse-client, raw table with FINAL (baseline): p50 %s p95 %s\n", p(finalT, 0.5), p(finalT, 0.95))
}
