-- What the data version is made of (store.DataVersion): the latest mark
-- and the sum of the marks (which changes with every mark, when the latest
-- may not: marks are monotonic per bucket, not across buckets; a merge of
-- marks changes it too, which only costs a cache miss), the latest rollup
-- build and the latest roster import. Nothing is bound.
SELECT
    (SELECT max(at) FROM rollup_marks), (SELECT sum(at) FROM rollup_marks),
    (SELECT max(gen) FROM rollup_builds), (SELECT max(import_id) FROM roster_imports)
