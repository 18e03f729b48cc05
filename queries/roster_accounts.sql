-- The GitHub logins and ids of the members of the roster import @imp
-- (importers keep their events wherever they happen).
SELECT toString(kind), value, actor_id FROM roster_identities
WHERE import_id = @imp AND kind IN ('login', 'id')
