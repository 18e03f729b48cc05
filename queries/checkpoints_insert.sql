-- Stores checkpoints of the API collector (store.SaveCheckpoints), one
-- row each; version orders the checkpoints of one repository and
-- resource (the latest wins, see checkpoints.sql).
INSERT INTO sync_checkpoints (repo_id, repo_name, resource, signature, cursor, total, synced_at, version)
