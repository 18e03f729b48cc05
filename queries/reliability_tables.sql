-- The tables of the current database, for the reliability suite's secrets
-- search (internal/reliability), which dumps each. Parameterised views
-- (contributor_credits, contributor_period) are left out: they cannot be
-- read without their parameters, and hold nothing the tables they read do
-- not. Nothing is bound.
SELECT name FROM system.tables
WHERE database = currentDatabase()
  AND NOT (engine = 'View' AND match(create_table_query, '\\{[a-z_]+:[A-Za-z0-9]+\\}'))
ORDER BY name
