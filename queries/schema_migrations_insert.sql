-- Records that a migration ran (store.recordMigration): its version and
-- name, in one row of a batch.
INSERT INTO schema_migrations (version, name)
