-- Keeps the rows of some identities (profiles, a member's questions), in
-- the "only" line of contribution_rows_raw.sql and of the rollup_rows_*.sql
-- branches: the GitHub or derived ids @only_ids, and the lower-cased
-- logins @only_logins. Both lists hold a placeholder (0, '') so that they
-- are never empty: rows without an id or without a login (an email-only
-- identity) never match it.
  AND ((actor_id != 0 AND actor_id IN @only_ids) OR (actor_login != '' AND lower(actor_login) IN @only_logins))
