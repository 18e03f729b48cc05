-- Gives the identity rollup's table {table} the count column {column} of
-- a kind the kind table added at its end (store.ensureKinds): rows built
-- before count 0 of it, which is what was stored of it. Run only for a
-- column that is missing (a re-run after a failure part-way finds it
-- there: the store ignores that error, as in migrations). Nothing is
-- bound: both names are the store's.
ALTER TABLE {{table "{table}"}} {{onCluster}} ADD COLUMN {column} UInt32 DEFAULT 0;
