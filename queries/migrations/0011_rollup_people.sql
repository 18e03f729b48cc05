-- The people rollup: every person's contributions before each Monday,
-- counted once (from rollup_days), with identities already resolved to
-- people by the active roster. A leaderboard of [from, to) then reads two
-- of these snapshots and subtracts, plus the few days between each end and
-- its nearest Monday: about two rows per person whatever the period's
-- length, where the identity rollup reads one row per identity and month
-- (docs/decisions.md, "The people rollup").
--
-- period is a Monday: the row holds the counts of contributions made
-- before it by person under login (last_day: the latest of them). Every
-- person has a row at every Monday from the week after their first
-- contribution to the week after the latest contribution stored.
--
-- It needs window functions, and it is rebuilt per month of snapshots
-- (bucket 100000000 + YYYYMM in rollup_marks and rollup_builds: a month's
-- snapshots and days), so it
-- exists only on one server of a current release; on a cluster and on
-- older servers leaderboards read the identity rollup (docs/cluster.md).
{{if not cluster}}{{if not legacy}}
CREATE TABLE IF NOT EXISTS rollup_people
(
    period   Date,
    person   UInt64 CODEC(Delta, ZSTD(1)),
    login    String CODEC(ZSTD(1)),
    last_day Date CODEC(Delta, ZSTD(1)),
    c_commit              UInt32 CODEC(T64, ZSTD(1)),
    c_pr_opened           UInt32 CODEC(T64, ZSTD(1)),
    c_pr_merged           UInt32 CODEC(T64, ZSTD(1)),
    c_pr_closed           UInt32 CODEC(T64, ZSTD(1)),
    c_pr_review           UInt32 CODEC(T64, ZSTD(1)),
    c_pr_review_comment   UInt32 CODEC(T64, ZSTD(1)),
    c_issue_opened        UInt32 CODEC(T64, ZSTD(1)),
    c_issue_closed        UInt32 CODEC(T64, ZSTD(1)),
    c_issue_comment       UInt32 CODEC(T64, ZSTD(1)),
    c_commit_comment      UInt32 CODEC(T64, ZSTD(1)),
    c_release             UInt32 CODEC(T64, ZSTD(1)),
    c_star                UInt32 CODEC(T64, ZSTD(1)),
    c_fork                UInt32 CODEC(T64, ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, person);

-- The same people's contributions per day (period: the day), from which
-- the snapshots are summed and which a leaderboard adds or takes away
-- between each end of its period and the nearest Monday.
CREATE TABLE IF NOT EXISTS rollup_people_days
(
    period   Date,
    person   UInt64 CODEC(Delta, ZSTD(1)),
    login    String CODEC(ZSTD(1)),
    c_commit                UInt32 CODEC(T64, ZSTD(1)),
    c_pr_opened             UInt32 CODEC(T64, ZSTD(1)),
    c_pr_merged             UInt32 CODEC(T64, ZSTD(1)),
    c_pr_closed             UInt32 CODEC(T64, ZSTD(1)),
    c_pr_review             UInt32 CODEC(T64, ZSTD(1)),
    c_pr_review_comment     UInt32 CODEC(T64, ZSTD(1)),
    c_issue_opened          UInt32 CODEC(T64, ZSTD(1)),
    c_issue_closed          UInt32 CODEC(T64, ZSTD(1)),
    c_issue_comment         UInt32 CODEC(T64, ZSTD(1)),
    c_commit_comment        UInt32 CODEC(T64, ZSTD(1)),
    c_release               UInt32 CODEC(T64, ZSTD(1)),
    c_star                  UInt32 CODEC(T64, ZSTD(1)),
    c_fork                  UInt32 CODEC(T64, ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, person);

-- Contributions stored before this migration: the people rollup of every
-- month with contributions is stale until its first build.
INSERT INTO rollup_marks (bucket, at, derived)
SELECT DISTINCT 100000000 + toYYYYMM(created_at), toUInt64(toUInt32(now())) * 1000000000, 1
FROM contributions
{{end}}{{end}}
