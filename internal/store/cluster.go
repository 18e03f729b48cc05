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
type clusterConn struct {
	driver.Conn
	database string
}

func (c clusterConn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	return c.Conn.Query(ctx, queries.ForCluster(query, c.database), args...)
}

func (c clusterConn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	return c.Conn.QueryRow(ctx, queries.ForCluster(query, c.database), args...)
}

func (c clusterConn) Exec(ctx context.Context, query string, args ...any) error {
	return c.Conn.Exec(ctx, queries.ForCluster(query, c.database), args...)
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
	rows, err := conn.Query(ctx, clusterNodesSQL, clickhouse.Named("cluster", s.layout.Cluster))
	if err != nil {
		return nil, nil, fmt.Errorf("listing the cluster's nodes: %w", err)
	}
	var out []NodeStatus
	for rows.Next() {
		var n NodeStatus
		var host string
		var port uint16
		if err := rows.Scan(&n.Shard, &n.Replica, &host, &port); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("listing the cluster's nodes: %w", err)
		}
		n.Address = net.JoinHostPort(host, strconv.Itoa(int(port)))
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("the server knows no cluster %q (remote_servers)", s.layout.Cluster)
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
// recorded fresh and short). Nothing to do on one server.
func (s *Store) syncReplicas(ctx context.Context, tables ...string) error {
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
