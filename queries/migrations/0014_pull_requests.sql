-- What acceptance-based scoring reads (docs/scoring.md): a review's state
-- on its pr_review row, and the facts of each pull request as a source
-- last saw them. Rows stored before this migration keep '' (unknown), and
-- their pull requests have no facts until a source sees them again. (A
-- re-run after a failure finds the column there: the store skips that
-- "already exists" error for ADD COLUMN.)
ALTER TABLE {{table "contributions"}} {{onCluster}} ADD COLUMN review_state {{if legacy}}String{{else}}LowCardinality(String){{end}} DEFAULT '';
{{redistributed "contributions"}};

-- One row per pull request (repository id, number), the latest
-- observation winning: version is the observation's time in seconds,
-- times 4, plus 1 for the API (which wins over GH Archive at the same
-- time). opened_at is when it was opened (0: not said); labels are
-- lower-cased and sorted; merged_by is 0 when not
-- merged or not known; additions, deletions and changed_files are -1 when
-- the source did not say.
CREATE TABLE IF NOT EXISTS {{table "pull_requests"}} {{onCluster}}
(
    repo_id       UInt64,
    number        UInt64,
    version       UInt64,
    observed_at   DateTime('UTC'),
    opened_at     DateTime('UTC'),
    author_id     UInt64,
    author_type   String,
    title         String,
    draft         UInt8,
    labels        Array(String),
    merged_by     UInt64,
    additions     Int64,
    deletions     Int64,
    changed_files Int64
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
ORDER BY (repo_id, number)
