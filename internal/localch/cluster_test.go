package localch

import (
	"context"
	"os"
	"path/filepath"
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
