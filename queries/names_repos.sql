-- Every repository (owner/name) with a stored contribution, lower-cased
-- (leaderboard.CheckNames, to name what is known when a repository is not).
SELECT DISTINCT lower(repo_name) AS name FROM contributions WHERE repo_name != '' ORDER BY name
