-- 1 when a contribution is stored under the lower-cased login @name, else
-- 0 (leaderboard.CheckNames). The scan stops at the first.
SELECT count() FROM (SELECT 1 FROM contributions WHERE lower(actor_login) = @name LIMIT 1)
