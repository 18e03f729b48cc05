-- Creates the table that records which migrations ran (store.Migrate runs
-- it before the migrations, rendered for the layout as they are).
CREATE TABLE IF NOT EXISTS {{table "schema_migrations"}} {{onCluster}}
(version UInt32, name String, applied_at DateTime('UTC') DEFAULT now())
ENGINE = {{engine "ReplacingMergeTree"}} ORDER BY version
