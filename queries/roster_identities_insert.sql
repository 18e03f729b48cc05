-- Stores the roster's identities: each login, GitHub id and commit
-- email (its domain and derived id, never the address) of a member
-- (store.ImportRoster, one batch under the import's id).
INSERT INTO roster_identities (import_id, kind, value, actor_id, member_id)
