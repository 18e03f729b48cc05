-- The member of the roster import @imp that an identity names, and how
-- (login or id): by the lower-cased login @login (unless empty) or the
-- GitHub or derived id @actor (unless 0). No row when none.
SELECT member_id, toString(kind) FROM roster_identities
WHERE import_id = @imp AND ((kind = 'login' AND value = @login AND @login != '') OR (actor_id = @actor AND @actor != 0))
LIMIT 1
