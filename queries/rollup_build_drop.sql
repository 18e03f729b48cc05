-- Drops a rollup build table (store.rebuild after its swaps, or
-- dropStaleBuildTables for one left behind): {build} is its name.
-- Nothing is bound.
DROP TABLE IF EXISTS {build}
