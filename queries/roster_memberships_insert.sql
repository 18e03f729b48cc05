-- Stores the roster's dated memberships: a member's programs (and one
-- row without a program, for its country and region)
-- (store.ImportRoster, one batch under the import's id).
INSERT INTO roster_memberships (import_id, member_id, program, category, grp, country, region, starts, ends)
