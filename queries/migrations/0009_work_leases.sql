-- Leases that let several collectors share the work (docs/cluster.md,
-- "Several collectors"): who holds a resource (a repository) until when.
-- A claim or renewal is a new row; the row with the highest version is
-- the lease. Versions come from the server's clock (seconds, then a random
-- nonce), so that a collector on a host whose clock is behind still
-- overtakes a lease that expired.
CREATE TABLE IF NOT EXISTS {{table "work_leases"}} {{onCluster}}
(
    resource String,
    holder   String,
    until    DateTime('UTC'),
    version  UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
ORDER BY resource;
