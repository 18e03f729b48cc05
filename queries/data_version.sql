-- What the data version is made of (store.DataVersion): the latest mark,
-- the sum over buckets of each bucket's latest mark (it changes with every
-- new mark, when the overall latest may not: marks are monotonic per bucket,
-- not across buckets; and it does not change when ClickHouse merges the
-- marks, which keeps only each bucket's latest, so a merge costs no cache
-- miss), the latest rollup build and the latest roster import. Nothing is
-- bound.
SELECT
    (SELECT max(at) FROM rollup_marks),
    (SELECT sum(latest) FROM (SELECT max(at) AS latest FROM rollup_marks GROUP BY bucket, derived) AS per_bucket),
    (SELECT max(gen) FROM rollup_builds), (SELECT max(import_id) FROM roster_imports)
