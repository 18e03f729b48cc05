-- One person's contributions per repository and month (the people stage,
-- with the memberships and affiliations stages when filters need them, in
-- place of the input marker below, summed per identity, day and
-- repository and restricted to the candidate identities; see
-- store.Profile). Every person those identities resolve to is listed: the
-- caller picks the one asked for.
SELECT
    person,
    repo_key,
    toStartOfMonth(at) AS month,
    sumForEach(cs) AS counts,
    round(sum(score), 6) AS total,
    sum(n) AS contributions,
    -- days with a contribution of a selected kind (not only signals)
    minIf(at, n > 0) AS first_at,
    maxIf(at, n > 0) AS last_at,
    argMaxIf(credited_login, at, n > 0) AS latest_login,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name: name them.
    any(actor_id) AS some_actor, any(domain) AS some_domain
FROM
(
-- @input
)
GROUP BY person, repo_key, month
HAVING contributions > 0
ORDER BY person, repo_key, month
