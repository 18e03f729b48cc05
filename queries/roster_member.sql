-- What the roster import @imp says of the member @m.
SELECT member_key, name, login, country, region FROM roster_members WHERE import_id = @imp AND member_id = @m
