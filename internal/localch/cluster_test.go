package localch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// requireZooKeeper skips without ZooKeeper, except under CI=true.
func requireZooKeeper(t *testing.T) {
	t.Helper()
	requireBinary(t)
	if _, _, err := findZooKeeper(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// TestClusterStartsAndRunsDistributedDDL starts two shards and ZooKeeper,
// creates a replicated table and a Distributed one ON CLUSTER, writes
// through the Distributed table and reads the rows back from both shards;
// a stopped node is started again by the next EnsureCluster.
func TestClusterStartsAndRunsDistributedDDL(t *testing.T) {
	requireZooKeeper(t)
	dir := filepath.Join(t.TempDir(), "cluster")
	ctx := context.Background()
	c, err := EnsureCluster(ctx, dir, 2, 1, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = StopCluster(dir) })
	if len(c.Nodes) != 2 {
		t.Fatalf("%d nodes", len(c.Nodes))
	}
	opts, err := clickhouse.ParseDSN(c.DSN("default"))
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Addr) != 2 {
		t.Fatalf("DSN %s names %d addresses", c.DSN("default"), len(opts.Addr))
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"CREATE TABLE t_local ON CLUSTER contribtrack (k UInt64) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/default/t_local', '{replica}') ORDER BY k",
		"CREATE TABLE t ON CLUSTER contribtrack AS t_local ENGINE = Distributed(contribtrack, default, t_local, intHash64(k))",
	} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	wctx := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"insert_distributed_sync": 1}))
	b, err := conn.PrepareBatch(wctx, "INSERT INTO t (k)")
	if err != nil {
		t.Fatal(err)
	}
	for k := uint64(0); k < 1000; k++ {
		if err := b.Append(k); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	var total uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM t").Scan(&total); err != nil || total != 1000 {
		t.Fatalf("count through Distributed: %d, %v", total, err)
	}
	for i := range c.Nodes {
		nc, err := clickhouse.Open(&clickhouse.Options{Addr: []string{c.Nodes[i].Addr()}})
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		if err := nc.QueryRow(ctx, "SELECT count() FROM t_local").Scan(&n); err != nil || n == 0 || n == 1000 {
			t.Errorf("shard %d holds %d rows (%v): want a part of 1000", i+1, n, err)
		}
		nc.Close()
	}

	if err := c.StopNode(1); err != nil {
		t.Fatal(err)
	}
	if alive(c.Nodes[1].PID) {
		t.Fatal("node still running")
	}
	start := time.Now()
	c2, err := EnsureCluster(ctx, dir, 2, 1, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if c2.Nodes[1].TCPPort != c.Nodes[1].TCPPort || !alive(c2.Nodes[1].PID) || c2.ZooKeeperPID != c.ZooKeeperPID {
		t.Errorf("revived %+v from %+v", c2.Nodes[1], c.Nodes[1])
	}
	t.Logf("node started again in %s", time.Since(start).Round(time.Millisecond))
}

// TestShardedClusterRunsDistributedTables starts two shards of the
// embedded default's server (26.x) with no ZooKeeper, creates a MergeTree
// table and a Distributed one on each node, writes through the
// Distributed table and reads the rows back from both shards; ON CLUSTER
// is refused (no distributed DDL there), and a stopped node is started
// again by the next EnsureShardedCluster on its ports, with its rows.
func TestShardedClusterRunsDistributedTables(t *testing.T) {
	requireBinary(t)
	dir := filepath.Join(t.TempDir(), "cluster")
	ctx := context.Background()
	c, err := EnsureShardedCluster(ctx, dir, 2, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = StopCluster(dir) })
	if len(c.Nodes) != 2 || !c.Modern || c.ZooKeeperPID != 0 {
		t.Fatalf("cluster %+v", c)
	}
	nodeConn := func(i int) clickhouse.Conn {
		nc, err := clickhouse.Open(&clickhouse.Options{Addr: []string{c.Nodes[i].Addr()}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nc.Close() })
		return nc
	}
	for i := range c.Nodes {
		nc := nodeConn(i)
		var version string
		var keeper uint64
		if err := nc.QueryRow(ctx, "SELECT version(), (SELECT count() FROM system.tables WHERE database = 'system' AND name = 'zookeeper')").Scan(&version, &keeper); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(version, "2") || keeper != 0 {
			t.Errorf("node %d: version %s, system.zookeeper %d: want 2x.y and none", i+1, version, keeper)
		}
		for _, q := range []string{
			"CREATE TABLE t_local (k UInt64) ENGINE = MergeTree ORDER BY k",
			"CREATE TABLE t AS t_local ENGINE = Distributed(contribtrack, default, t_local, intHash64(k))",
		} {
			if err := nc.Exec(ctx, q); err != nil {
				t.Fatalf("node %d: %s: %v", i+1, q, err)
			}
		}
	}
	if err := nodeConn(0).Exec(ctx, "CREATE TABLE u ON CLUSTER contribtrack (k UInt64) ENGINE = MergeTree ORDER BY k"); err == nil {
		t.Error("ON CLUSTER ran on a cluster without distributed DDL")
	}
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{c.Nodes[1].Addr(), c.Nodes[0].Addr()},
		Settings: clickhouse.Settings{"insert_distributed_sync": 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	b, err := conn.PrepareBatch(ctx, "INSERT INTO t (k)")
	if err != nil {
		t.Fatal(err)
	}
	for k := uint64(0); k < 1000; k++ {
		if err := b.Append(k); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	counts := func() []uint64 {
		var out []uint64
		for i := range c.Nodes {
			var n uint64
			if err := nodeConn(i).QueryRow(ctx, "SELECT count() FROM t_local").Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	before := counts()
	if before[0] == 0 || before[1] == 0 || before[0]+before[1] != 1000 {
		t.Fatalf("shards hold %v rows: want parts of 1000", before)
	}
	for i := range c.Nodes {
		var total uint64
		if err := nodeConn(i).QueryRow(ctx, "SELECT count() FROM t").Scan(&total); err != nil || total != 1000 {
			t.Errorf("count through node %d's Distributed table: %d, %v", i+1, total, err)
		}
	}

	if err := c.StopNode(1); err != nil {
		t.Fatal(err)
	}
	if alive(c.Nodes[1].PID) {
		t.Fatal("node still running")
	}
	if err := nodeConn(0).QueryRow(ctx, "SELECT count() FROM t").Scan(new(uint64)); err == nil {
		t.Error("a query on the Distributed table answered with a shard down")
	}
	c2, err := EnsureShardedCluster(ctx, dir, 2, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if c2.Nodes[1].TCPPort != c.Nodes[1].TCPPort || !alive(c2.Nodes[1].PID) || c2.Nodes[0].PID != c.Nodes[0].PID {
		t.Errorf("revived %+v from %+v", c2.Nodes, c.Nodes)
	}
	if after := counts(); after[1] != before[1] {
		t.Errorf("shard 2 holds %d rows after its restart, %d before", after[1], before[1])
	}
}
