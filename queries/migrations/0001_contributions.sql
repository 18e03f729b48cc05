-- Every normalised contribution and project signal, one row per sighting.
-- The same contribution seen twice (two imports, or GH Archive and the API)
-- has the same (kind, key); background merges keep the sighting with the
-- highest version, and every query first reduces to one row per key the same
-- way, so that counts are exact before merges too. See docs/schema.md.
--
-- On a cluster, 0003 creates the table as it is now (partitioned by year):
-- cluster databases are always new, and a replicated table cannot be
-- created again at its own path with another partitioning.
{{if not cluster}}
CREATE TABLE IF NOT EXISTS {{table "contributions"}} {{onCluster}}
(
    kind        Enum8('commit' = 1, 'pr_opened' = 2, 'pr_merged' = 3, 'pr_closed' = 4,
                      'pr_review' = 5, 'pr_review_comment' = 6, 'issue_opened' = 7,
                      'issue_closed' = 8, 'issue_comment' = 9, 'commit_comment' = 10,
                      'release' = 11, 'star' = 12, 'fork' = 13),
    key         String,
    key_hash    UInt64,
    created_at  DateTime('UTC'),
    actor_id    UInt64,
    actor_login String,
    repo_id     UInt64,
    repo_name   String,
    org         String,
    source      Enum8('gharchive' = 1, 'rest' = 2, 'graphql' = 3),
    ingested_at DateTime('UTC') DEFAULT now(),
    -- API sightings outrank GH Archive ones (they know more, e.g. a commit's
    -- account), then the latest ingested wins.
    version     UInt64 DEFAULT toUInt64(source != 'gharchive') * 4294967296 + toUInt32(ingested_at)
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
PARTITION BY toYYYYMM(created_at)
ORDER BY (kind, key_hash)
{{end}}
