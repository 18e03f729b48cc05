package cli

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/api"
	"contribtrack/internal/config"
	"contribtrack/internal/testing/chtest"
)

func TestWithPool(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"clickhouse://127.0.0.1:9000/db", "clickhouse://127.0.0.1:9000/db?max_open_conns=28&max_idle_conns=28"},
		{"clickhouse://h1:9000,h2:9000/db?compress=lz4", "clickhouse://h1:9000,h2:9000/db?compress=lz4&max_open_conns=28&max_idle_conns=28"},
		// The DSN's own settings win.
		{"clickhouse://h:9000/db?max_open_conns=5", "clickhouse://h:9000/db?max_open_conns=5&max_idle_conns=28"},
		{"clickhouse://h:9000/db?max_idle_conns=2&max_open_conns=5", "clickhouse://h:9000/db?max_idle_conns=2&max_open_conns=5"},
	} {
		got := withPool(c.dsn, 28)
		if got != c.want {
			t.Errorf("withPool(%q) = %q, want %q", c.dsn, got, c.want)
		}
		if _, err := clickhouse.ParseDSN(got); err != nil {
			t.Errorf("%q: %v", got, err)
		}
	}
	opts, err := clickhouse.ParseDSN(withPool("clickhouse://127.0.0.1:9000/db", 28))
	if err != nil || opts.MaxOpenConns != 28 || opts.MaxIdleConns != 28 {
		t.Errorf("parsed pool: open %d idle %d (%v)", opts.MaxOpenConns, opts.MaxIdleConns, err)
	}
}

// serve's pool has a connection for every question its API may ask at
// once, and room for the jobs beside.
func TestServePool(t *testing.T) {
	def := config.Default()
	if got := servePool(def); got != max(api.DefaultMaxQueries(), api.Questions)+2*4+4 {
		t.Errorf("default pool %d", got)
	}
	many := config.Default()
	many.Serve.MaxConcurrentQueries = 40
	if got := servePool(many); got != 40+2*4+4 {
		t.Errorf("pool %d with 40 API queries", got)
	}
	few := config.Default()
	few.Serve.MaxConcurrentQueries = 2
	few.GitHub.Workers = 1
	if got := servePool(few); got < api.Questions+2 {
		t.Errorf("pool %d with 2 API queries: a report alone asks %d at once", got, api.Questions)
	}
}

// The store serve opens keeps the pool it was given.
func TestServeOpensItsPool(t *testing.T) {
	dsn, _ := chtest.Database(t)
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "migrate"); code != 0 {
		t.Fatalf("migrate: exit %d\n%s", code, stderr)
	}
	f := &factory{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, dsn: dsn,
		log: slog.New(slog.DiscardHandler), pool: 31}
	defer f.close()
	s, err := f.openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Conn().Stats(); st.MaxOpenConns != 31 || st.MaxIdleConns != 31 {
		t.Errorf("pool: %d open, %d idle; want 31", st.MaxOpenConns, st.MaxIdleConns)
	}
}
