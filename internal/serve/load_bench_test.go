package serve_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/api"
	"contribtrack/internal/config"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/serve"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/benchload"
	"contribtrack/internal/testing/chtest"
)

// BenchmarkAPIUnderLoad answers issue 14's load question: 100 clients at
// once for 20 s against the API as serve runs it (its HTTP server, on a
// real ClickHouse holding a million contributions shaped like the
// leaderboard benchmarks': 50,000 people, 500 repositories in 20 orgs,
// five years, 10% delivered twice), asking a mix of leaderboard, profile,
// community metrics and report questions, about half of them repeated
// (cache hits once answered) and the rest distinct:
//
//	go test -run '^$' -bench APIUnderLoad -benchtime 1x -timeout 60m ./internal/serve/
//
// It runs four configurations in the same run and prints, for each, p50,
// p95 and p99 of cache hits, of misses (computed by ClickHouse) and of
// reports (never cached), and how many answers were 429 (with
// Retry-After), 503 and 504:
//
//   - before: the behaviour this replaced, as the baseline — the data
//     version read from ClickHouse on every request, no bound on
//     concurrent questions, clickhouse-go's default pool of 10;
//   - now: serve's defaults — the version in memory, twice the cores'
//     questions at once (at least 4), 256 requests queued, the pool serve
//     opens;
//   - the same with 16 questions at once, to show what fewer turns gain
//     on a small machine;
//   - overloaded: now with a queue of 16, to show 429s.
//
// CONTRIBTRACK_BENCH_ROWS changes the data's size (10000000 for the other
// benchmarks' 10 million), CONTRIBTRACK_LOAD_CLIENTS the clients (default
// 100) and CONTRIBTRACK_LOAD_SECONDS each phase's length (default 20).
func BenchmarkAPIUnderLoad(b *testing.B) {
	ctx := context.Background()
	dsn, _ := chtest.Database(b)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	// A million contributions by default (the leaderboard benchmarks'
	// shape, a tenth of their size): at 10 million a report takes seconds
	// alone on a two-core machine, and 100 clients wait minutes for their
	// distinct questions whatever the API does.
	rows := envInt("CONTRIBTRACK_BENCH_ROWS", 1_000_000, 1000, 1_000_000_000)
	t0 := time.Now()
	if _, err := benchload.Load(ctx, s.Conn(), rows); err != nil {
		b.Fatal(err)
	}
	if _, err := s.RebuildRollup(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d rows and built the rollup in %s", rows, time.Since(t0).Round(time.Millisecond))

	clients := envInt("CONTRIBTRACK_LOAD_CLIENTS", 100, 1, 1000)
	length := time.Duration(envInt("CONTRIBTRACK_LOAD_SECONDS", 20, 1, 600)) * time.Second
	cfg := config.Default()
	rules := leaderboard.Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()}
	// The pool serve opens with the default configuration (cli.servePool):
	// the API's turns (a report's 11 at least), two connections per
	// collector worker, four more.
	servePool := max(api.DefaultMaxQueries(), api.Questions) + 2*4 + 4
	phases := []struct {
		name string
		dsn  string
		opts api.Options
	}{
		{"before (version read per request, no bound, pool of 10)", dsn,
			api.Options{VersionRefresh: -1, MaxQueries: -1}},
		{fmt.Sprintf("now (version in memory, %d questions, %d queued, pool of %d)", api.DefaultMaxQueries(), api.DefaultMaxQueued, servePool),
			fmt.Sprintf("%s?max_open_conns=%d&max_idle_conns=%d", dsn, servePool, servePool), api.Options{}},
		{"as now with 16 questions at once (pool of 28)",
			fmt.Sprintf("%s?max_open_conns=%d&max_idle_conns=%d", dsn, 28, 28), api.Options{MaxQueries: 16}},
		{"overloaded (as now, 16 queued)",
			fmt.Sprintf("%s?max_open_conns=%d&max_idle_conns=%d", dsn, servePool, servePool), api.Options{MaxQueued: 16}},
	}
	var results []loadResult
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		results = results[:0]
		for _, ph := range phases {
			ps, err := store.Open(ctx, ph.dsn)
			if err != nil {
				b.Fatal(err)
			}
			o := ph.opts
			errs := &firstLines{max: 5}
			o.Store, o.Rules, o.Logger = ps, rules, slog.New(slog.NewTextHandler(errs, &slog.HandlerOptions{Level: slog.LevelError}))
			r := runLoad(b, api.New(o), clients, length)
			ps.Close()
			r.name, r.errors = ph.name, errs.String()
			results = append(results, r)
		}
	}
	b.StopTimer()
	// The same questions got the same answers in every configuration.
	for q, body := range results[0].answers {
		for _, r := range results[1:] {
			if other, ok := r.answers[q]; ok && other != body {
				b.Errorf("%s: %s answers differently from %s", q, r.name, results[0].name)
			}
		}
	}
	now := results[1]
	b.ReportMetric(ms(now.p(now.hits, 0.99)), "hit-p99-ms")
	b.ReportMetric(float64(now.status[http.StatusServiceUnavailable]), "503s")
	// Printed, not logged: the testing package cuts long benchmark logs.
	fmt.Printf("%d clients for %s each, %d contributions; leaderboard, profile, community metrics (half repeated) and report questions:\n",
		clients, length, rows)
	for _, r := range results {
		fmt.Printf("  %s: %d answers (%.0f/s)\n", r.name, r.total, float64(r.total)/r.took.Seconds())
		for _, c := range []struct {
			what string
			ds   []time.Duration
		}{{"cache hits", r.hits}, {"  in the server", r.serverHits}, {"misses", r.misses}, {"reports (never cached)", r.none}} {
			if len(c.ds) == 0 {
				fmt.Printf("    %-24s none\n", c.what)
				continue
			}
			fmt.Printf("    %-24s %6d  p50 %-9s p95 %-9s p99 %s\n", c.what, len(c.ds), r.p(c.ds, 0.5), r.p(c.ds, 0.95), r.p(c.ds, 0.99))
		}
		if r.errors != "" {
			fmt.Printf("    the API's first errors:\n%s", r.errors)
		}
		fmt.Printf("    404 (nobody by that login in the period) %d; 429 %d (without Retry-After: %d), 503 %d, 504 %d, other errors %d\n",
			r.notFound, r.status[http.StatusTooManyRequests], r.noRetryAfter, r.status[http.StatusServiceUnavailable],
			r.status[http.StatusGatewayTimeout], r.other)
	}
}

// loadResult is what one phase measured.
type loadResult struct {
	name               string
	took               time.Duration
	total              int
	hits, misses, none []time.Duration
	serverHits         []time.Duration // hits timed inside the server
	status             map[int]int
	noRetryAfter       int
	notFound           int               // profiles of people with nothing in the period: answers too
	other              int               // transport errors and unexpected statuses
	answers            map[string]string // the first 200 answer of each repeated question
	errors             string            // the first errors the API logged
}

// firstLines keeps the first max lines written to it.
type firstLines struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (f *firstLines) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.lines) < f.max {
		f.lines = append(f.lines, "      "+strings.TrimSpace(string(p))+"\n")
	}
	return len(p), nil
}

func (f *firstLines) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.lines, "")
}

func (r *loadResult) p(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	d := s[int(q*float64(len(s)-1)+0.5)]
	if d < 10*time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// runLoad serves h as serve does (its HTTP server and timeouts, on
// loopback) and has clients ask questions for length.
func runLoad(b *testing.B, h *api.Server, clients int, length time.Duration) loadResult {
	defer h.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	inServer := &hitTimer{h: h}
	go func() {
		served <- serve.Run(ctx, serve.Options{Listener: ln, Handler: inServer, Interval: time.Hour, RequestTimeout: config.DefaultRequestTimeout})
	}()
	defer func() {
		stop()
		if err := <-served; err != nil {
			b.Error(err)
		}
	}()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}}
	defer client.CloseIdleConnections()

	res := loadResult{status: map[int]int{}, answers: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(length)
	const maxPerClient = 1_000_000 // a bound besides the time
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 14))
			for n := 0; n < maxPerClient && time.Now().Before(end); n++ {
				path, repeated := question(rng)
				t := time.Now()
				resp, err := client.Get(base + path)
				var body []byte
				if err == nil {
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t)
				mu.Lock()
				res.total++
				switch {
				case err != nil:
					res.other++
					if res.other <= 3 {
						b.Logf("%s: %v", path, err)
					}
				case resp.StatusCode == http.StatusNotFound:
					res.notFound++
				case resp.StatusCode == http.StatusOK:
					switch resp.Header.Get("X-Contribtrack-Cache") {
					case "hit":
						res.hits = append(res.hits, d)
					case "miss":
						res.misses = append(res.misses, d)
					default:
						res.none = append(res.none, d)
					}
					if _, ok := res.answers[path]; repeated && !ok {
						res.answers[path] = string(body)
					}
				default:
					res.status[resp.StatusCode]++
					if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
						res.noRetryAfter++
					}
					if s := resp.StatusCode; s != http.StatusTooManyRequests && s != http.StatusServiceUnavailable && s != http.StatusGatewayTimeout {
						res.other++
						if res.other <= 3 {
							b.Logf("%s: %d %s", path, s, body)
						}
					}
				}
				mu.Unlock()
				if err == nil && resp.StatusCode == http.StatusTooManyRequests {
					// A client told to come back later does (bounded by the
					// phase's end).
					wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
					if left := time.Until(end); time.Duration(wait)*time.Second > left {
						wait = int(max(left, 0) / time.Second)
					}
					time.Sleep(time.Duration(max(wait, 0)) * time.Second)
				}
			}
		}(c)
	}
	wg.Wait()
	res.took = time.Since(start)
	res.serverHits = inServer.times()
	return res
}

// hitTimer times the cache hits inside the server, from the handler's
// start to its end: the API's own part of a hit, without the network,
// the HTTP client and the wait for a CPU.
type hitTimer struct {
	h    http.Handler
	mu   sync.Mutex
	hits []time.Duration
}

func (t *hitTimer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	if w.Header().Get("X-Contribtrack-Cache") == "hit" {
		d := time.Since(start)
		t.mu.Lock()
		t.hits = append(t.hits, d)
		t.mu.Unlock()
	}
}

func (t *hitTimer) times() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hits
}

// question picks the next question: half of them from a small set asked
// again and again (dashboards), the rest distinct (people exploring), one
// in ten a report.
func question(rng *rand.Rand) (path string, repeated bool) {
	day := func(d int) string {
		return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format(time.DateOnly)
	}
	window := func() string { // a distinct period in 2020-2024
		from := rng.IntN(5*365 - 40)
		return "from=" + day(from) + "&to=" + day(from+7+rng.IntN(5*365-from-7))
	}
	switch r := rng.IntN(100); {
	case r < 50:
		hot := []string{
			"/api/v1/leaderboard?from=2023-01-01&to=2024-01-01&limit=50",
			"/api/v1/leaderboard?from=2024-01-01&to=2025-01-01&limit=50",
			"/api/v1/leaderboard?from=2024-07-01&to=2024-10-01&limit=20",
			"/api/v1/leaderboard?from=2022-01-01&to=2025-01-01&org=org3",
			"/api/v1/leaderboard?from=2024-01-01&to=2025-01-01&kind=pr_merged",
			"/api/v1/contributors/user1",
			"/api/v1/contributors/user42?from=2024-01-01&to=2025-01-01",
			"/api/v1/contributors/user777",
			"/api/v1/projects/metrics?from=2024-01-01&to=2025-01-01&org=org3",
			"/api/v1/projects/metrics?from=2024-01-01&to=2024-04-01&repo=org7/repo7",
		}
		return hot[rng.IntN(len(hot))], true
	case r < 70:
		return "/api/v1/leaderboard?" + window() + "&limit=" + strconv.Itoa(10+rng.IntN(90)), false
	case r < 80:
		return "/api/v1/contributors/user" + strconv.Itoa(1+rng.IntN(50000)) + "?" + window(), false
	case r < 90:
		return "/api/v1/projects/metrics?" + window() + "&org=org" + strconv.Itoa(rng.IntN(20)), false
	default:
		return "/api/v1/reports?" + window() + "&org=org" + strconv.Itoa(rng.IntN(20)), false
	}
}

func envInt(name string, def, lo, hi int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v >= lo && v <= hi {
		return v
	}
	return def
}
