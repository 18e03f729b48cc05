-- What a leaderboard from the people rollup needs to know first
-- (store.peopleReadState): how many buckets of the identity rollup and of
-- the people rollup are behind (as rollup_stale.sql finds them), the
-- people rollup's latest snapshot (a Monday after every contribution it
-- counts; 1970-01-01 when empty) and the generation of its latest build,
-- and the active roster. One statement: it is asked before every answer.
SELECT
    countIf(bucket < 100000000), countIf(bucket >= 100000000),
    (SELECT max(period) FROM rollup_people),
    (SELECT max(gen) FROM rollup_builds WHERE bucket >= 100000000),
    (SELECT max(import_id) FROM roster_imports)
FROM
(
-- @include rollup_stale.sql
)
