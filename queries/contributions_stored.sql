-- 1 when the database holds a contribution, else 0 (store.EnsureSchema).
-- The scan stops at the first.
SELECT count() FROM (SELECT 1 FROM contributions LIMIT 1)
