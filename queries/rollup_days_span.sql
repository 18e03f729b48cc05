-- The first and last day of the day rollup (1970-01-01 twice when empty):
-- what the people rollup covers (store.buildPeople, store.markPeople).
SELECT min(period), max(period) FROM rollup_days
