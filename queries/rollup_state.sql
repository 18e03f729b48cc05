-- The rollups' state, in one read of small tables (store.readRollupState):
-- each bucket's latest mark of each kind (derived or not), each bucket's
-- latest build (the latest mark it covers, and its generation), the latest
-- roster import, and, where the people rollup is kept, its latest
-- snapshot (the people line: rollup_state_people.sql). The store derives
-- from them the data version that caches key on, and whether the people
-- rollup can answer. One level of UNION ALL, not scalar subqueries: each
-- of those is planned on its own, one after another (10 ms in all, where
-- this costs 5). Nothing is bound.
SELECT toUInt8(0) AS part, bucket, derived, max(at) AS value, toUInt64(0) AS gen
FROM rollup_marks
GROUP BY bucket, derived
UNION ALL
SELECT toUInt8(1), bucket, toUInt8(0), max(covers), max(gen)
FROM rollup_builds
GROUP BY bucket
UNION ALL
SELECT toUInt8(2), toUInt32(0), toUInt8(0), max(import_id), toUInt64(0)
FROM roster_imports
-- @people
