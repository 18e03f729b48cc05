-- The members of the roster import @imp who opted out: an opt-out names
-- any of a member's logins or ids, and hides the member.
SELECT DISTINCT member_id FROM roster_identities
WHERE import_id = @imp AND kind IN ('login', 'id')
  AND value IN (SELECT value FROM roster_flags WHERE import_id = @imp AND flag = 'opt_out')
