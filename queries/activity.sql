-- Activity over time: the contributions of the period per bucket (a day,
-- the week from Monday, the month or the year: @unit), with how many
-- people made them and the counts per kind (in the order of
-- contrib.Kinds). The people stage, with the memberships and affiliations
-- stages when filters need them, goes in place of the input marker below
-- (see store.statement); rows are dated by day.
SELECT
    multiIf(@unit = 'week', toMonday(toDate(at)),
            @unit = 'month', toStartOfMonth(toDate(at)),
            @unit = 'year', toStartOfYear(toDate(at)),
            toDate(at)) AS bucket,
    uniqExactIf(person, n > 0) AS people,
    sum(n) AS contributions,
    sumForEach(cs) AS counts,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name: name them.
    round(sum(score), 6) AS total, any(credited_login) AS some_login, any(actor_id) AS some_actor
FROM
(
-- @input
)
GROUP BY bucket
HAVING contributions > 0
ORDER BY bucket
