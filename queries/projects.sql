-- Each repository's (or, with @by_org = 1, each org's) activity in the period (the people stage summed per
-- identity and repository, with the memberships and affiliations stages
-- when filters need them, in place of the input marker below; see
-- store.statement): contributions of the selected kinds, the people who
-- made them, and the days of the first and latest one. Bots are left out.
SELECT
    if(@by_org = 1, substring(repo_key, 1, position(repo_key, '/') - 1), repo_key) AS project,
    sum(n) AS contributions,
    uniqExactIf(person, n > 0) AS people,
    round(sum(score), 6) AS total,
    minIf(at, n > 0) AS first_at,
    maxIf(at, n > 0) AS last_at,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name: name them.
    any(credited_login) AS some_login, any(actor_id) AS some_actor, length(sumForEach(cs)) AS kinds
FROM
(
-- @input
)
GROUP BY project
HAVING contributions > 0
ORDER BY contributions DESC, project
