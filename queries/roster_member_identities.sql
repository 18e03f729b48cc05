-- The identities (logins, GitHub ids, commit emails' derived ids) of the
-- member @m in the roster import @imp.
SELECT toString(kind), value, actor_id FROM roster_identities WHERE import_id = @imp AND member_id = @m
