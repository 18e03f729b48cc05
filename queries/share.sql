-- Who made the period's contributions: vendor staff, the community (roster
-- members not working for a vendor at the time) and others, with the people
-- and the score of each class. Same resolution as the leaderboard.
SELECT
    class,
    count() AS contributions,
    uniqExact(person) AS people,
    round(sum(transform(kind, @kinds, @weights, toFloat64(0))), 6) AS score,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name, including ones the class expression needs: name them.
    min(at) AS first_at,
    any(credited_login) AS some_login
FROM
(
-- @include resolved_contributions.sql
)
GROUP BY class
ORDER BY class
