-- What the people rollup holds (store.peopleState): its latest snapshot (a
-- Monday after every contribution it counts; 1970-01-01 when empty), the
-- generation of its latest build, and the active roster.
SELECT
    (SELECT max(period) FROM rollup_people),
    (SELECT max(gen) FROM rollup_builds WHERE bucket >= 100000000),
    (SELECT max(import_id) FROM roster_imports)
