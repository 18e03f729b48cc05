-- Stores the roster's dated employers of members (store.ImportRoster,
-- one batch under the import's id).
INSERT INTO roster_affiliations (import_id, member_id, employer, vendor, starts, ends)
