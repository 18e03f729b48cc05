-- Pre-aggregated, deduplicated contributions: what makes leaderboards fast
-- and exact at once (docs/decisions.md, "Rollups"). Every natural key
-- counts once, credited to its highest-version sighting and dated by it,
-- as counts per kind (c_<kind>) at three levels: per day and repository
-- (org and repo filters and dated roster filters read these), per month and
-- per year (per identity: GitHub id, login and commit email domain). A query
-- over [from, to) reads whole years, then whole months, then days at its
-- edges.
--
-- A month's day rows, and a year's month and year rows, are rebuilt
-- together in a table of their own and swapped in with REPLACE PARTITION,
-- so that readers never see half a rebuild.

CREATE TABLE IF NOT EXISTS {{table "rollup_days"}} {{onCluster}}
(
    period       Date,
    actor_id     UInt64,
    actor_login  String,
    email_domain String,
    org          String,
    repo_name    String,
    c_commit              UInt32,
    c_pr_opened           UInt32,
    c_pr_merged           UInt32,
    c_pr_closed           UInt32,
    c_pr_review           UInt32,
    c_pr_review_comment   UInt32,
    c_issue_opened        UInt32,
    c_issue_closed        UInt32,
    c_issue_comment       UInt32,
    c_commit_comment      UInt32,
    c_release             UInt32,
    c_star                UInt32,
    c_fork                UInt32
)
ENGINE = {{engine "MergeTree"}}
PARTITION BY toYYYYMM(period)
ORDER BY (period, actor_id);

{{distributed "rollup_days"}};

-- period is the first day of the month; last_day the last day with a
-- contribution.
CREATE TABLE IF NOT EXISTS {{table "rollup_months"}} {{onCluster}}
(
    period       Date,
    actor_id     UInt64,
    actor_login  String,
    email_domain String,
    last_day     Date,
    c_commit              UInt32,
    c_pr_opened           UInt32,
    c_pr_merged           UInt32,
    c_pr_closed           UInt32,
    c_pr_review           UInt32,
    c_pr_review_comment   UInt32,
    c_issue_opened        UInt32,
    c_issue_closed        UInt32,
    c_issue_comment       UInt32,
    c_commit_comment      UInt32,
    c_release             UInt32,
    c_star                UInt32,
    c_fork                UInt32
)
ENGINE = {{engine "MergeTree"}}
PARTITION BY toYear(period)
ORDER BY (period, actor_id);

{{distributed "rollup_months"}};

-- period is the first day of the year.
CREATE TABLE IF NOT EXISTS {{table "rollup_years"}} {{onCluster}}
(
    period       Date,
    actor_id     UInt64,
    actor_login  String,
    email_domain String,
    last_day     Date,
    c_commit              UInt32,
    c_pr_opened           UInt32,
    c_pr_merged           UInt32,
    c_pr_closed           UInt32,
    c_pr_review           UInt32,
    c_pr_review_comment   UInt32,
    c_issue_opened        UInt32,
    c_issue_closed        UInt32,
    c_issue_comment       UInt32,
    c_commit_comment      UInt32,
    c_release             UInt32,
    c_star                UInt32,
    c_fork                UInt32
)
ENGINE = {{engine "MergeTree"}}
PARTITION BY toYear(period)
ORDER BY (period, actor_id);

{{distributed "rollup_years"}};

-- "The contributions of this bucket (a month YYYYMM, or a year YYYY)
-- changed at": written around every insert into contributions (before and
-- after it), and (derived = 1) for a year when one of its months was
-- rebuilt or for a month that a rebuilt month's keys were also seen in. A
-- bucket is stale while its latest mark is later than what its latest
-- build covers; merges keep the latest mark of each bucket and kind, all
-- that is ever read.
CREATE TABLE IF NOT EXISTS {{table "rollup_marks"}} {{onCluster}}
(
    bucket  UInt32,
    at      UInt64,
    derived UInt8
)
ENGINE = {{engine "ReplacingMergeTree" "at"}}
ORDER BY (bucket, derived);

-- Builds swapped in: the rollup of bucket reflects every mark up to covers
-- (the bucket's latest mark when the build started). gen orders builds;
-- merges keep the latest build of each bucket.
CREATE TABLE IF NOT EXISTS {{table "rollup_builds"}} {{onCluster}}
(
    bucket UInt32,
    gen    UInt64,
    covers UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "gen"}}
ORDER BY bucket;

-- Contributions stored before this migration: every month is stale until
-- its first build.
INSERT INTO rollup_marks (bucket, at, derived)
SELECT DISTINCT toYYYYMM(created_at), toUInt64(toUInt32(now())) * 1000000000, 0
FROM contributions
