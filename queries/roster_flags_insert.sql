-- Stores the roster's flags: lower-cased logins or ids of bots, humans
-- and opt-outs (store.ImportRoster, one batch under the import's id).
INSERT INTO roster_flags (import_id, flag, value)
