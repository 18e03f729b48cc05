-- A period's contributions grouped by @by: affiliation class (vendor staff,
-- the community, others), or the programs, categories or groups their
-- authors held at the time, or their region or country ('' for none). A
-- contribution made while in two programs counts in both. The input (in
-- place of the marker below) is the people, memberships and affiliations
-- stages, with day rows (@dated = 1); see store.statement.
SELECT
    bucket,
    sum(n) AS contributions,
    uniqExact(person) AS people,
    round(sum(score), 6) AS total,
    -- ClickHouse 18.16 prunes subquery columns the outer query does not
    -- name, including ones the bucket expressions need: name them.
    min(at) AS first_at,
    any(credited_login) AS some_login,
    any(actor_id) AS some_actor,
    length(sumForEach(cs)) AS kinds
FROM
(
    SELECT actor_id, credited_login, at, person, score, n, cs,
           multiIf(@by = 'program', arrayReduce('groupUniqArray', arrayFilter((p, s, e) -> p != '' AND at >= s AND at < e, mprograms, starts, ends)),
                   @by = 'category', arrayReduce('groupUniqArray', arrayFilter((c, s, e) -> c != '' AND at >= s AND at < e, mcategories, starts, ends)),
                   @by = 'group', arrayReduce('groupUniqArray', arrayFilter((g, s, e) -> g != '' AND at >= s AND at < e, mgroups, starts, ends)),
                   @by = 'region', if(mregion = '', emptyArrayString(), [mregion]),
                   @by = 'country', if(mcountry = '', emptyArrayString(), [mcountry]),
                   [class]) AS buckets
    FROM
    (
-- @input
    )
)
ARRAY JOIN if(empty(buckets), [''], buckets) AS bucket
WHERE n > 0
GROUP BY bucket
ORDER BY bucket
