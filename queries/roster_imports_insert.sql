-- Stores the roster import itself, written last: this row makes it the
-- active roster (store.ImportRoster, one batch under the import's id).
INSERT INTO roster_imports (import_id, imported_at, source, members)
