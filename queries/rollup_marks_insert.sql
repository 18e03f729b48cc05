-- Marks buckets stale (store.markBuckets): one row per bucket (YYYYMM or
-- YYYY), at a mark later than the bucket's latest, derived = 1 when no
-- insert of contributions caused it.
INSERT INTO rollup_marks (bucket, at, derived)
