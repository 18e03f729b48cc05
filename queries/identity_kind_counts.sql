-- How many contributions of each kind an identity made (store.WhoIs):
-- every natural key counted once, credited to its winning sighting, kept
-- when that sighting's actor is one of the ids @only_ids or its lower-cased
-- login one of @only_logins (their placeholders, 0 and '', match nothing).
SELECT kind, count() FROM (
    SELECT toString(kind) AS kind, key_hash, argMax(actor_id, (version, created_at)) AS a, lower(argMax(actor_login, (version, created_at))) AS l
    FROM contributions GROUP BY kind, key_hash)
WHERE (a != 0 AND a IN @only_ids) OR (l != '' AND l IN @only_logins) GROUP BY kind
