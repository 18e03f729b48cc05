-- The login shown for each member of the roster import @imp.
SELECT member_id, login FROM roster_members WHERE import_id = @imp
