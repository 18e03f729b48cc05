package metrics

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Node is one ClickHouse node of a cluster and whether it answers.
type Node struct {
	Shard, Replica uint32
	Address        string
	Up             bool
}

// nodesTimeout bounds the pings of one scrape.
const nodesTimeout = 5 * time.Second

// nodesCollector pings the cluster's nodes at every scrape.
type nodesCollector struct {
	list func(context.Context) ([]Node, error)
	up   *prometheus.Desc
	ok   *prometheus.Desc
}

// WatchNodes reports, at every scrape, each node of the ClickHouse
// cluster as contribtrack_clickhouse_node_up (1 when it answers a ping),
// and whether the nodes could be listed at all. Only serve on a cluster
// calls it.
func (m *Metrics) WatchNodes(list func(context.Context) ([]Node, error)) {
	m.reg.MustRegister(&nodesCollector{
		list: list,
		up: prometheus.NewDesc(namespace+"_clickhouse_node_up",
			"1 when the ClickHouse cluster's node answers a ping at this scrape, else 0; by shard, replica and address.",
			[]string{"shard", "replica", "address"}, nil),
		ok: prometheus.NewDesc(namespace+"_clickhouse_nodes_listed",
			"1 when the cluster's nodes could be listed at this scrape (system.clusters on a node that answers), else 0.", nil, nil),
	})
}

func (c *nodesCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.up
	ch <- c.ok
}

func (c *nodesCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), nodesTimeout)
	defer cancel()
	nodes, err := c.list(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.ok, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.ok, prometheus.GaugeValue, 1)
	for _, n := range nodes {
		v := 0.0
		if n.Up {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, v,
			strconv.FormatUint(uint64(n.Shard), 10), strconv.FormatUint(uint64(n.Replica), 10), n.Address)
	}
}
