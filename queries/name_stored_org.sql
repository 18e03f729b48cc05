-- 1 when a contribution is stored for the lower-cased org @name, else 0
-- (leaderboard.CheckNames). The scan stops at the first.
SELECT count() FROM (SELECT 1 FROM contributions WHERE lower(org) = @name LIMIT 1)
