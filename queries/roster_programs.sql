-- The programs the roster import @id has memberships in, in order.
SELECT DISTINCT program FROM roster_memberships WHERE import_id = @id AND program != '' ORDER BY program
