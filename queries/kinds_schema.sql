-- What the schema knows of the kinds (store.kindsInSchema): the type of
-- the contributions' kind column, and the identity rollup's per-kind count
-- columns (c_<kind>), in the store's database @database.
SELECT table, name, type
FROM system.columns
WHERE database = @database
  AND ((table = 'contributions' AND name = 'kind')
       OR (table IN ('rollup_days', 'rollup_months', 'rollup_years') AND startsWith(name, 'c_')))
