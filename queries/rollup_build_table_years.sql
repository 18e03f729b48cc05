-- Creates the build table {build} of rollup_years on one shard (store.rebuild):
-- the structure of {table} (the shard's local table on a cluster) and its
-- partitions, without its replication. Nothing is bound.
CREATE TABLE {build} AS {table} ENGINE = MergeTree PARTITION BY toYear(period) ORDER BY (period, actor_id)
