-- The buckets among @buckets with a build recorded after the generation
-- @gen (a newer build got there first).
SELECT DISTINCT bucket FROM rollup_builds WHERE bucket IN @buckets AND gen > @gen
