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
	name = newName()
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

// ClusterName is the local test clusters' name.
const ClusterName = localch.ClusterName

// Cluster returns the local test cluster for sharding and Distributed
// tables: two shards of one replica each of the embedded default's server
// (ClickHouse 26.x), with no ZooKeeper, started once in the temp directory
// and shared by every test binary. It skips (fails under CI=true) when no
// such server can be found. The store finds it has no keeper and lays the
// database out sharded, not replicated (docs/cluster.md).
func Cluster(t testing.TB) *localch.Cluster {
	t.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("contribtrack-test-cluster26-%d", os.Getuid()))
	return shardedCluster(t, dir)
}

// shardedCluster starts or finds a two-shard 26.x cluster in dir.
func shardedCluster(t testing.TB, dir string) *localch.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a first run installs the library
	defer cancel()
	c, err := localch.EnsureShardedCluster(ctx, dir, 2, warnLogger())
	if err != nil {
		if errors.Is(err, localch.ErrNoBinary) && os.Getenv("CI") != "true" {
			t.Skipf("no ClickHouse server available for the local cluster (run scripts/install-clickhouse.sh): %v", err)
		}
		t.Fatalf("starting the test cluster: %v", err)
	}
	return c
}

// ReplicatedCluster returns the local test cluster for replication and ON
// CLUSTER, which only Debian's ClickHouse 18.16 runs here: two shards of
// one replica each and ZooKeeper, started once in the temp directory and
// shared by every test binary. It skips (fails under CI=true) when
// ZooKeeper or that server cannot be found. A store on it must be allowed
// the old release (store.AllowUnsupportedServer).
func ReplicatedCluster(t testing.TB) *localch.Cluster {
	t.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("contribtrack-test-cluster-%d", os.Getuid()))
	return replicatedCluster(t, dir, 2, 1)
}

// replicatedCluster starts or finds an 18.16 cluster with ZooKeeper in dir.
func replicatedCluster(t testing.TB, dir string, shards, replicas int) *localch.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := localch.EnsureCluster(ctx, dir, shards, replicas, warnLogger())
	if err != nil {
		if (errors.Is(err, localch.ErrNoLegacyServer) || errors.Is(err, localch.ErrNoZooKeeper)) && os.Getenv("CI") != "true" {
			t.Skipf("no local replicated ClickHouse cluster (run scripts/install-clickhouse-18.sh and scripts/install-zookeeper.sh): %v", err)
		}
		t.Fatalf("starting the replicated test cluster: %v", err)
	}
	return c
}

// ClusterDatabase names a fresh database on the shared 26.x test cluster
// (Cluster; created on each node by the store's Migrate), dropped on every
// node when the test ends, and returns the DSN listing every node.
func ClusterDatabase(t testing.TB) (c *localch.Cluster, dsn, name string) {
	t.Helper()
	c = Cluster(t)
	name = newName()
	t.Cleanup(func() {
		drop := queries.MustName(queries.MustRead("test_database_drop.sql"), map[string]string{"database": name})
		for _, n := range c.Nodes {
			conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{n.Addr()}})
			if err != nil {
				continue
			}
			_ = conn.Exec(context.Background(), drop)
			conn.Close()
		}
	})
	return c, c.DSN(name), name
}

// ReplicatedClusterDatabase is ClusterDatabase on the shared 18.16
// replicated cluster (ReplicatedCluster), dropped ON CLUSTER.
func ReplicatedClusterDatabase(t testing.TB) (c *localch.Cluster, dsn, name string) {
	t.Helper()
	c = ReplicatedCluster(t)
	name = newName()
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

func newName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "ct_test_" + hex.EncodeToString(b[:])
}

// PrivateCluster starts a two-shard 26.x cluster of the test's own (for
// tests that stop nodes: the shared one serves other packages at the same
// time), stopped when the test ends, and returns it with a database name.
func PrivateCluster(t testing.TB) (c *localch.Cluster, dsn, name string) {
	t.Helper()
	dir := t.TempDir()
	c = shardedCluster(t, dir)
	t.Cleanup(func() { _ = localch.StopCluster(dir) })
	return c, c.DSN("contribtrack"), "contribtrack"
}

// PrivateClusterOf starts a replicated 18.16 cluster of the test's own,
// shards x replicas nodes and ZooKeeper (for tests of replication),
// stopped when the test ends, and returns it with a database name.
func PrivateClusterOf(t testing.TB, shards, replicas int) (c *localch.Cluster, dsn, name string) {
	t.Helper()
	dir := t.TempDir()
	c = replicatedCluster(t, dir, shards, replicas)
	t.Cleanup(func() { _ = localch.StopCluster(dir) })
	return c, c.DSN("contribtrack"), "contribtrack"
}
