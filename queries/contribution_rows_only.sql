-- Keeps the rows of some identities (profiles, a member's questions), in
-- the "only" line of contribution_rows_raw.sql and of the rollup_rows_*.sql
-- branches: the GitHub or derived ids @only_ids, and the lower-cased
-- logins @only_logins.
  AND (actor_id IN @only_ids OR lower(actor_login) IN @only_logins)
