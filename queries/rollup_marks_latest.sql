-- The latest mark of each of the buckets @buckets that has one.
SELECT bucket, max(at) FROM rollup_marks WHERE bucket IN @buckets GROUP BY bucket
