-- The identities the roster import @imp opts out by login: every identity
-- (actor_id) the rollup credits under a login that the roster's opt-outs
-- name, so that someone who opted out under one login stays hidden under
-- the next (store.People for the API, and the view contributor_days).
SELECT DISTINCT actor_id FROM rollup_days
WHERE lower(actor_login) IN (SELECT value FROM roster_flags WHERE import_id = @imp AND flag = 'opt_out')
