-- Contributions per person in the period (the people stage, with the
-- memberships and affiliations stages when filters need them, in place of
-- the input marker below; see store.statement): everyone with a
-- contribution of a selected kind, most first.
SELECT
    person,
    sum(n) AS contributions,
    round(sum(score), 6) AS total,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name: name them.
    max(at) AS last_at, any(credited_login) AS some_login, any(actor_id) AS some_actor,
    length(sumForEach(cs)) AS kinds
FROM
(
-- @input
)
GROUP BY person
HAVING contributions > 0
ORDER BY contributions DESC, person
