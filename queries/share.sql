-- A period's contributions grouped by @by: affiliation class (vendor staff,
-- the community, others), or the programs, categories or groups their
-- authors held at the time, or their region or country ('' for none). A
-- contribution made while in two programs counts in both. Same resolution
-- as the leaderboard.
SELECT
    bucket,
    count() AS contributions,
    uniqExact(person) AS people,
    round(sum(transform(kind, @kinds, @weights, toFloat64(0))), 6) AS score,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name, including ones the bucket expressions need: name them.
    min(at) AS first_at,
    any(credited_login) AS some_login
FROM
(
-- @include resolved_contributions.sql
)
ARRAY JOIN if(empty(buckets), [''], buckets) AS bucket
GROUP BY bucket
ORDER BY bucket
