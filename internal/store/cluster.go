package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/queries"
)

// clusterConn runs the store's statements on a cluster, each rewritten by
// queries.ForCluster: a subquery of a condition reads the shard's own rows
// of contributions where a key's sightings are all on the shard, the whole
// cluster's (GLOBAL) elsewhere, and the small tables by their full name.
// On a cluster without replication (every set), a write to a small table
// goes to every node.
type clusterConn struct {
	driver.Conn
	database string
	every    *everyNode
}

// Layout returns the store's layout, as detected when it opened (a
// cluster's Unreplicated, the server's Legacy).
func (s *Store) Layout() Layout { return s.layout }

func (c clusterConn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	return c.Conn.Query(ctx, queries.ForCluster(query, c.database), args...)
}

func (c clusterConn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	return c.Conn.QueryRow(ctx, queries.ForCluster(query, c.database), args...)
}

func (c clusterConn) Exec(ctx context.Context, query string, args ...any) error {
	if c.every != nil && smallTable(queries.InsertTable(query)) {
		return c.every.exec(ctx, query, args...)
	}
	return c.Conn.Exec(ctx, queries.ForCluster(query, c.database), args...)
}

func (c clusterConn) PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error) {
	if c.every != nil && smallTable(queries.InsertTable(query)) {
		return c.every.prepareBatch(ctx, query, opts...)
	}
	return c.Conn.PrepareBatch(ctx, query, opts...)
}

func (c clusterConn) Close() error {
	if c.every != nil {
		c.every.close()
	}
	return c.Conn.Close()
}

// smallTable reports whether a table the store writes is a small one (not
// sharded): whole on every node.
func smallTable(table string) bool {
	_, sharded := shardedTables[table]
	return table != "" && !sharded
}

func (c clusterConn) Select(ctx context.Context, dest any, query string, args ...any) error {
	return c.Conn.Select(ctx, dest, queries.ForCluster(query, c.database), args...)
}

// NodeStatus is whether one node of the cluster answers.
type NodeStatus struct {
	Shard   uint32 `json:"shard"`
	Replica uint32 `json:"replica"`
	Address string `json:"address"` // host:port
	Up      bool   `json:"up"`
	Error   string `json:"error,omitempty"`
}

var (
	clusterNodesSQL       = queries.MustRead("cluster_nodes.sql")
	clusterSyncReplicaSQL = queries.MustRead("cluster_sync_replica.sql")
)

// nodeTimeout bounds one node's ping.
const nodeTimeout = 2 * time.Second

// Nodes pings every node of the cluster (nil on a single server).
func (s *Store) Nodes(ctx context.Context) ([]NodeStatus, error) {
	nodes, _, err := s.eachNode(ctx, nil)
	return nodes, err
}

// listNodes asks the server conn reaches for the cluster's nodes
// (remote_servers).
func (s *Store) listNodes(ctx context.Context, conn driver.Conn) ([]NodeStatus, error) {
	rows, err := conn.Query(ctx, clusterNodesSQL, clickhouse.Named("cluster", s.layout.Cluster))
	if err != nil {
		return nil, fmt.Errorf("listing the cluster's nodes: %w", err)
	}
	defer rows.Close()
	var out []NodeStatus
	for rows.Next() {
		var n NodeStatus
		var host string
		var port uint16
		if err := rows.Scan(&n.Shard, &n.Replica, &host, &port); err != nil {
			return nil, fmt.Errorf("listing the cluster's nodes: %w", err)
		}
		n.Address = net.JoinHostPort(host, strconv.Itoa(int(port)))
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the server knows no cluster %q (remote_servers)", s.layout.Cluster)
	}
	return out, nil
}

// nodeConn opens a connection to one node of the cluster, in database.
func (s *Store) nodeConn(n NodeStatus, database string) (driver.Conn, error) {
	o := *s.opts
	o.Addr, o.Auth.Database = []string{n.Address}, database
	return clickhouse.Open(&o)
}

// eachNode lists the cluster's nodes and, on each at once, connects and
// pings it, then runs work (when given) on the nodes that answer. It
// returns every node's status, and work's errors joined.
func (s *Store) eachNode(ctx context.Context, work func(n NodeStatus, c driver.Conn) error) ([]NodeStatus, error, error) {
	if s.layout.Cluster == "" {
		return nil, nil, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, nil, err
	}
	out, err := s.listNodes(ctx, conn)
	if err != nil {
		return nil, nil, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(out))
	for i := range out {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			n := &out[i]
			o := *s.opts
			o.Addr, o.DialTimeout, o.MaxOpenConns = []string{n.Address}, nodeTimeout, 1
			c, err := clickhouse.Open(&o)
			if err == nil {
				defer c.Close()
				pctx, cancel := context.WithTimeout(ctx, nodeTimeout)
				err = c.Ping(pctx)
				cancel()
			}
			n.Up = err == nil
			if err != nil {
				n.Error = err.Error()
				return
			}
			if work != nil {
				errs[i] = work(*n, c)
			}
		}(i)
	}
	wg.Wait()
	return out, errors.Join(errs...), nil
}

// ShardsDown lists the shards none of whose nodes answer: a query on the
// cluster fails while there is one.
func ShardsDown(nodes []NodeStatus) []uint32 {
	up := map[uint32]bool{}
	for _, n := range nodes {
		up[n.Shard] = up[n.Shard] || n.Up
	}
	var down []uint32
	for shard, ok := range up {
		if !ok {
			down = append(down, shard)
		}
	}
	slices.Sort(down)
	return down
}

// syncReplicas makes every answering node of the cluster apply what its
// shard's (or, for a small table, every node's) replication log holds for
// the tables (their local names): after it, a node's copy has every insert
// and swap acknowledged before the call. Inserts through a Distributed
// table are acknowledged by one replica of each shard, and a replica that
// is behind must not be read as complete (a rollup built from it would be
// recorded fresh and short). Nothing to do on one server, nor on a
// cluster without replication (a shard is one node, and a write to a small
// table returns once every node stored it).
func (s *Store) syncReplicas(ctx context.Context, tables ...string) error {
	if !s.layout.replicated() {
		return nil
	}
	// A node that does not answer is skipped: it catches up when it returns.
	_, syncErr, err := s.eachNode(ctx, func(n NodeStatus, c driver.Conn) error {
		for _, t := range tables {
			q := queries.MustName(clusterSyncReplicaSQL, map[string]string{"database": s.database, "table": t})
			if err := c.Exec(ctx, q); err != nil {
				return fmt.Errorf("syncing %s on %s: %w", t, n.Address, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return syncErr
}

// everyNode writes to every node of a cluster without replication: the
// migrations' DDL, and the rows of the small tables, which each node holds
// whole (there is no replication to copy them). A write returns once every
// node has it, and fails, naming the node, when one does not answer: the
// command fails as an insert with a shard down does, and running it again
// once the node is back writes what it missed (the small tables keep the
// latest version of a row, so a row written twice counts once).
type everyNode struct {
	store *Store
	base  driver.Conn // the store's own connection, which lists the nodes
	mu    sync.Mutex
	nodes []NodeStatus
	conns []driver.Conn
}

// open returns a connection to every node of the cluster, opened once.
func (e *everyNode) open(ctx context.Context) ([]NodeStatus, []driver.Conn, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.conns != nil {
		return e.nodes, e.conns, nil
	}
	nodes, err := e.store.listNodes(ctx, e.base)
	if err != nil {
		return nil, nil, err
	}
	conns := make([]driver.Conn, len(nodes))
	for i, n := range nodes {
		if conns[i], err = e.store.nodeConn(n, e.store.database); err != nil {
			for _, c := range conns[:i] {
				c.Close()
			}
			return nil, nil, fmt.Errorf("connecting to node %s (shard %d): %w", n.Address, n.Shard, err)
		}
	}
	e.nodes, e.conns = nodes, conns
	return nodes, conns, nil
}

func (e *everyNode) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.conns {
		c.Close()
	}
	e.nodes, e.conns = nil, nil
}

// exec runs a statement on every node, one after the other.
func (e *everyNode) exec(ctx context.Context, query string, args ...any) error {
	nodes, conns, err := e.open(ctx)
	if err != nil {
		return err
	}
	for i, c := range conns {
		if err := c.Exec(ctx, query, args...); err != nil {
			return fmt.Errorf("on node %s (shard %d): %w", nodes[i].Address, nodes[i].Shard, err)
		}
	}
	return nil
}

// prepareBatch prepares the same insert on every node: the rows appended
// go to each.
func (e *everyNode) prepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error) {
	nodes, conns, err := e.open(ctx)
	if err != nil {
		return nil, err
	}
	fb := &fanBatch{nodes: nodes}
	for i, c := range conns {
		b, err := c.PrepareBatch(ctx, query, opts...)
		if err != nil {
			_ = fb.Abort()
			return nil, fmt.Errorf("on node %s (shard %d): %w", nodes[i].Address, nodes[i].Shard, err)
		}
		fb.all = append(fb.all, b)
	}
	fb.Batch = fb.all[0]
	return fb, nil
}

// fanBatch is one insert prepared on every node: what is appended goes to
// each, and it is sent to each. What it reports (rows, columns, sent) is
// the first node's.
type fanBatch struct {
	driver.Batch
	all   []driver.Batch
	nodes []NodeStatus
}

// each runs f on every node's batch, and names the nodes that failed.
func (b *fanBatch) each(f func(driver.Batch) error) error {
	var errs []error
	for i, one := range b.all {
		if err := f(one); err != nil {
			errs = append(errs, fmt.Errorf("on node %s (shard %d): %w", b.nodes[i].Address, b.nodes[i].Shard, err))
		}
	}
	return errors.Join(errs...)
}

func (b *fanBatch) Abort() error { return b.each(driver.Batch.Abort) }
func (b *fanBatch) Flush() error { return b.each(driver.Batch.Flush) }
func (b *fanBatch) Send() error  { return b.each(driver.Batch.Send) }
func (b *fanBatch) Close() error { return b.each(driver.Batch.Close) }

func (b *fanBatch) Append(v ...any) error {
	return b.each(func(one driver.Batch) error { return one.Append(v...) })
}

func (b *fanBatch) AppendStruct(v any) error {
	return b.each(func(one driver.Batch) error { return one.AppendStruct(v) })
}

func (b *fanBatch) Column(i int) driver.BatchColumn {
	cols := make(fanColumn, len(b.all))
	for j, one := range b.all {
		cols[j] = one.Column(i)
	}
	return cols
}

// fanColumn is a column of a fanBatch: a value goes to each node's.
type fanColumn []driver.BatchColumn

func (c fanColumn) Append(v any) error {
	for _, one := range c {
		if err := one.Append(v); err != nil {
			return err
		}
	}
	return nil
}

func (c fanColumn) AppendRow(v any) error {
	for _, one := range c {
		if err := one.AppendRow(v); err != nil {
			return err
		}
	}
	return nil
}
