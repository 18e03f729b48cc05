// Package chtest gives tests a real ClickHouse server and a database of
// their own. The server is CONTRIBTRACK_TEST_CLICKHOUSE when set (a DSN
// without database), else a local server that the localch package starts
// once in the temp directory and every test binary shares.
package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/localch"
	"contribtrack/queries"
)

// ServerDSN returns the DSN of the test server without a database, or skips
// (fails under CI=true) when no ClickHouse can be found.
func ServerDSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv("CONTRIBTRACK_TEST_CLICKHOUSE"); dsn != "" {
		return strings.TrimRight(dsn, "/")
	}
	return strings.TrimSuffix(server(t).DSN(""), "/")
}

// ServerHTTP returns the base URL of the test server's HTTP interface
// (CONTRIBTRACK_TEST_CLICKHOUSE_HTTP when CONTRIBTRACK_TEST_CLICKHOUSE is
// set), for baselines that send data the way clickhouse-client or curl
// would.
func ServerHTTP(t testing.TB) string {
	t.Helper()
	if os.Getenv("CONTRIBTRACK_TEST_CLICKHOUSE") != "" {
		u := os.Getenv("CONTRIBTRACK_TEST_CLICKHOUSE_HTTP")
		if u == "" {
			t.Skip("CONTRIBTRACK_TEST_CLICKHOUSE is set without CONTRIBTRACK_TEST_CLICKHOUSE_HTTP")
		}
		return strings.TrimRight(u, "/")
	}
	return "http://127.0.0.1:" + strconv.Itoa(server(t).HTTPPort)
}

// server starts or finds the local test server (ClickHouse 26.x).
func server(t testing.TB) *localch.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a first run installs the library
	defer cancel()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("contribtrack-test-clickhouse26-%d", os.Getuid()))
	inst, err := localch.Ensure(ctx, dir, warnLogger())
	if err != nil {
		if errors.Is(err, localch.ErrNoBinary) && os.Getenv("CI") != "true" {
			t.Skipf("no ClickHouse server available (run scripts/install-clickhouse.sh): %v", err)
		}
		t.Fatalf("starting the test ClickHouse: %v", err)
	}
	return inst
}

// LegacyDatabase is Database on a local ClickHouse 18.16 server (Debian's
// clickhouse-server), for benchmarks that show what changed since; it skips
// (fails under CI=true) when that server is not installed.
func LegacyDatabase(t testing.TB) (dsn, name string, inst *localch.Instance) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("contribtrack-test-clickhouse18-%d", os.Getuid()))
	inst, err := localch.EnsureLegacy(ctx, dir, warnLogger())
	if err != nil {
		if errors.Is(err, localch.ErrNoLegacyServer) && os.Getenv("CI") != "true" {
			t.Skipf("no ClickHouse 18.16 (run scripts/install-clickhouse-18.sh): %v", err)
		}
		t.Fatalf("starting the 18.16 test server: %v", err)
	}
	dsn, name = databaseOn(t, strings.TrimSuffix(inst.DSN(""), "/"))
	return dsn, name, inst
}

func warnLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// Database creates a fresh database for the test, drops it when the test
// ends, and returns its DSN and name.
func Database(t testing.TB) (dsn, name string) {
	t.Helper()
	return databaseOn(t, ServerDSN(t))
}

// databaseOn names a fresh database on server, dropped when the test ends.
func databaseOn(t testing.TB, server string) (dsn, name string) {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name = "ct_test_" + hex.EncodeToString(b[:])
	opts, err := clickhouse.ParseDSN(server)
	if err != nil {
		t.Fatalf("test server DSN: %v", err)
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatalf("connecting to the test ClickHouse: %v", err)
	}
	t.Cleanup(func() {
		_ = conn.Exec(context.Background(), queries.MustName(queries.MustRead("test_database_drop.sql"), map[string]string{"database": name}))
		conn.Close()
	})
	return server + "/" + name, name
}

// ClusterName is the local test cluster's name.
const ClusterName = localch.ClusterName

// Cluster returns the local test cluster (two shards of one replica and
// ZooKeeper, started once in the temp directory and shared by every test
// binary), or skips (fails under CI=true) when ZooKeeper or ClickHouse
// cannot be found.
func Cluster(t testing.TB) *localch.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("contribtrack-test-cluster-%d", os.Getuid()))
	c, err := localch.EnsureCluster(ctx, dir, 2, 1, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		if (errors.Is(err, localch.ErrNoLegacyServer) || errors.Is(err, localch.ErrNoZooKeeper)) && os.Getenv("CI") != "true" {
			t.Skipf("no local ClickHouse cluster (run scripts/install-clickhouse-18.sh and scripts/install-zookeeper.sh): %v", err)
		}
		t.Fatalf("starting the test cluster: %v", err)
	}
	return c
}

// ClusterDatabase names a fresh database on the test cluster (created by
// the store's Migrate ON CLUSTER), dropped on every node when the test
// ends, and returns the DSN listing every node.
func ClusterDatabase(t testing.TB) (c *localch.Cluster, dsn, name string) {
	t.Helper()
	c = Cluster(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name = "ct_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{c.Nodes[0].Addr()}})
		if err != nil {
			return
		}
		defer conn.Close()
		drop := queries.MustName(queries.MustRead("test_cluster_database_drop.sql"), map[string]string{"database": name, "cluster": ClusterName})
		_ = conn.Exec(context.Background(), drop)
	})
	return c, c.DSN(name), name
}

// PrivateCluster starts a two-shard cluster of the test's own (for tests
// that stop nodes: the shared one serves other packages at the same time),
// stopped when the test ends, and returns it with a database name.
func PrivateCluster(t testing.TB) (c *localch.Cluster, dsn, name string) {
	return PrivateClusterOf(t, 2, 1)
}

// PrivateClusterOf is PrivateCluster with shards x replicas nodes.
func PrivateClusterOf(t testing.TB, shards, replicas int) (c *localch.Cluster, dsn, name string) {
	t.Helper()
	Cluster(t) // skips when there is no ZooKeeper or ClickHouse
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	c, err := localch.EnsureCluster(ctx, dir, shards, replicas, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatalf("starting a private cluster: %v", err)
	}
	t.Cleanup(func() { _ = localch.StopCluster(dir) })
	return c, c.DSN("contribtrack"), "contribtrack"
}
