-- One table's every row as text, for the reliability suite's secrets
-- search (internal/reliability): {table} is a name read from
-- reliability_tables.sql. Nothing is bound.
SELECT * FROM {table} FORMAT TabSeparated
