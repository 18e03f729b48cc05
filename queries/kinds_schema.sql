-- What the schema knows of the kinds (store.kindsMissing): the type of
-- the contributions' kind column, and the identity rollup's per-kind count
-- columns (c_<kind>), in the store's database @database, of the tables
-- @tables (on a cluster both the local tables, which hold the rows, and
-- the Distributed tables over them).
SELECT table, name, type
FROM system.columns
WHERE database = @database
  AND has(@tables, table)
  AND (name = 'kind' OR startsWith(name, 'c_'))
