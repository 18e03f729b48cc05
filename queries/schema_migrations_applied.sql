-- The versions of the migrations that ran.
SELECT DISTINCT version FROM schema_migrations
