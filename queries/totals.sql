-- Totals of the period: how many people made a contribution of a selected
-- kind, and how many such contributions (the people stage, with the
-- memberships stage when roster filters are set, in place of the input
-- marker below; see store.statement). Bots are left out.
SELECT uniqExactIf(person, n > 0) AS people, sum(n) AS contributions,
       -- ClickHouse 18.16 prunes subquery columns the outer query does not
       -- name: name them.
       max(at) AS last_at, any(credited_login) AS some_login, any(actor_id) AS some_actor,
       round(sum(score), 6) AS total, length(sumForEach(cs)) AS kinds
FROM
(
-- @input
)
