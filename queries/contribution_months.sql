-- Every month (YYYYMM) with a stored sighting, for a rebuild of the whole
-- rollup (store.RebuildRollup). Nothing is bound.
SELECT DISTINCT toYYYYMM(created_at) FROM contributions
