-- Swaps one bucket's rebuilt rows into a rollup table on one shard:
-- {table} is the table (the shard's local table on a cluster), {build} the
-- build table, the bound value the bucket's partition. A build without
-- rows in the bucket empties it: current releases do that only with
-- allow_replace_partition_from_empty_source = 1, which the caller sets.
ALTER TABLE {table} REPLACE PARTITION ? FROM {build}
