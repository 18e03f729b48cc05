-- The nodes of the cluster @cluster (store.Nodes): each one's shard,
-- replica and native address, in order.
SELECT shard_num, replica_num, host_address, port FROM system.clusters
WHERE cluster = @cluster ORDER BY shard_num, replica_num
