-- The buckets the rollup is behind on, oldest first: those whose latest
-- mark is later than what their latest build covers, with that mark, and
-- whether an insert (a mark with derived = 0) is among what is not
-- covered. Nothing is bound.
SELECT bucket, marked, raw_marked > covered
FROM (SELECT bucket, max(at) AS marked, maxIf(at, derived = 0) AS raw_marked FROM rollup_marks GROUP BY bucket) AS marks
ANY LEFT JOIN (SELECT bucket, max(covers) AS covered FROM rollup_builds GROUP BY bucket) AS builds USING bucket
WHERE marked > covered
ORDER BY bucket
