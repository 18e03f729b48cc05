-- Whether a database exists (asked through the default database before a
-- connection names it: see store.databaseExists).
SELECT count() FROM system.databases WHERE name = ?
