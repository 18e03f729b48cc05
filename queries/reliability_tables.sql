-- The tables of the current database, for the reliability suite's secrets
-- search (internal/reliability), which dumps each. Nothing is bound.
SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name
