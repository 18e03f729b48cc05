-- Joins two branches of the rollup's rows (store.rowsSQL).
UNION ALL
