-- The people rollup's counts as one array per row, in the order of
-- contrib.Kinds (commit, pr_opened, pr_merged, pr_closed, pr_review,
-- pr_review_comment, issue_opened, issue_closed, issue_comment,
-- commit_comment, release, star, fork), instead of a column per kind: a
-- leaderboard weighs a row with one arrayDotProduct, where thirteen
-- products and sums made ClickHouse spend a third of each question
-- planning them (docs/decisions.md, "The people rollup"). The tables
-- hold nothing that cannot be built again: they are made anew, and every
-- month of the people rollup is stale until its next build.
{{if not cluster}}{{if not legacy}}
DROP TABLE IF EXISTS rollup_people;

CREATE TABLE rollup_people
(
    period   Date,
    person   UInt64 CODEC(Delta, ZSTD(1)),
    login    String CODEC(ZSTD(1)),
    last_day Date CODEC(Delta, ZSTD(1)),
    counts   Array(UInt32) CODEC(T64, ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, person);

DROP TABLE IF EXISTS rollup_people_days;

CREATE TABLE rollup_people_days
(
    period   Date,
    person   UInt64 CODEC(Delta, ZSTD(1)),
    login    String CODEC(ZSTD(1)),
    counts   Array(UInt32) CODEC(T64, ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, person);

INSERT INTO rollup_marks (bucket, at, derived)
SELECT DISTINCT 100000000 + toYYYYMM(created_at), toUInt64(toUInt32(now())) * 1000000000, 1
FROM contributions
{{end}}{{end}}
