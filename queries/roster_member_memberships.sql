-- The dated program memberships of the member @m in the roster import
-- @imp, in order.
SELECT program, category, grp, starts, ends FROM roster_memberships
WHERE import_id = @imp AND member_id = @m AND program != '' ORDER BY starts
