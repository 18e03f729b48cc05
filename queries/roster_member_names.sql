-- The display name of each member of the roster import @imp.
SELECT member_id, name FROM roster_members WHERE import_id = @imp
