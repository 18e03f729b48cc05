-- Stores the roster's members: one row per member, with the login shown
-- for it (store.ImportRoster, one batch under the import's id).
INSERT INTO roster_members (import_id, member_id, member_key, name, login, country, region)
