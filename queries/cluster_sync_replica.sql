-- Makes one node apply what its replication log holds for a replicated
-- table (store.syncReplicas): {database}.{table} is the table's local
-- name. Nothing is bound.
SYSTEM SYNC REPLICA {database}.{table}
