-- The latest build generation recorded for any of the buckets @buckets (0
-- when none), which a new build must exceed.
SELECT max(gen) FROM rollup_builds WHERE bucket IN @buckets
