-- The names the roster import @id knows, for the leaderboard's roster
-- filters (leaderboard.CheckNames): every program, category, group, region
-- and country its memberships name, as (what, name).
SELECT DISTINCT what, name FROM
(
    SELECT arrayJoin([('program', program), ('category', category), ('group', grp), ('region', region), ('country', country)]) AS pair,
           pair.1 AS what, pair.2 AS name
    FROM roster_memberships
    WHERE import_id = @id
)
WHERE name != ''
ORDER BY what, name
