-- Where the API collector stands, per repository and resource (pulls,
-- issues, commits, ...). A row is written only after the contributions it
-- covers are stored, so a run killed at any point resumes from the last
-- checkpoint and re-fetches at most what it had not confirmed. The latest
-- row per (repo_id, resource) wins: queries take argMax(..., version).
CREATE TABLE IF NOT EXISTS {{table "sync_checkpoints"}} {{onCluster}}
(
    repo_id    UInt64,
    repo_name  String,
    resource   String,
    -- what the repository looked like when this resource was synced (counts,
    -- latest update, head commit): unchanged means there is nothing to fetch
    signature  String,
    -- where an incremental fetch resumes: a time watermark or a commit sha,
    -- depending on the resource
    cursor     String,
    -- the total GitHub reported for the resource (pull requests, issues,
    -- commits on the default branch ...), for completeness checks
    total      UInt64,
    synced_at  DateTime('UTC'),
    version    UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
ORDER BY (repo_id, resource)
