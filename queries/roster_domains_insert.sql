-- Stores the roster's employers of commit email domains
-- (store.ImportRoster, one batch under the import's id).
INSERT INTO roster_domains (import_id, domain, employer, vendor)
