-- Every org with a stored contribution, lower-cased (leaderboard.CheckNames,
-- to name what is known when an org is not).
SELECT DISTINCT lower(org) AS name FROM contributions WHERE org != '' ORDER BY name
