-- Every normalised contribution and project signal, one row per sighting.
-- The same contribution seen twice (two imports, or GH Archive and the API)
-- has the same (kind, key); background merges keep one row per key, and
-- every query counts distinct key_hash values so that counts are exact even
-- before merges happen. See docs/schema.md.
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
    ingested_at DateTime('UTC') DEFAULT now()
)
ENGINE = {{engine "ReplacingMergeTree" "ingested_at"}}
PARTITION BY toYYYYMM(created_at)
ORDER BY (kind, key_hash)
