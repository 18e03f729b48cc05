-- Whether the server has ZooKeeper or ClickHouse Keeper configured: a
-- server has the table system.zookeeper only then (store.OpenWith asks it
-- once, through the default database, when a cluster is named; without a
-- keeper the cluster is sharded and not replicated: docs/cluster.md).
-- Nothing is bound.
SELECT count() FROM system.tables WHERE database = 'system' AND name = 'zookeeper'
