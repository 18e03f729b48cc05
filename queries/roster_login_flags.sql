-- The flags the roster import @imp gives a login: the one asked about
-- (@login) or the member's shown login (@login2), both lower-cased.
SELECT DISTINCT toString(flag) FROM roster_flags WHERE import_id = @imp AND (value = @login OR value = @login2)
