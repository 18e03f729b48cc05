-- The dated employers of the member @m in the roster import @imp, in
-- order (store.Profile).
SELECT employer, vendor, starts, ends FROM roster_affiliations
WHERE import_id = @imp AND member_id = @m ORDER BY starts
