-- A leaderboard from the people rollup (store.peopleLines), in one
-- statement: the people it lists, found on scores alone (the top @limit,
-- ties at the last place included; who counts at all is the having line,
-- leaderboard_people_having_*.sql), and their lines over the same rows
-- (leaderboard_people_rows.sql): each person's latest login and counts
-- per kind, in the order of contrib.Kinds. The store weighs the counts and
-- orders the lines as leaderboard.sql does. A person's score is the dot
-- product of the counts and @weights (the selected kinds' weights, 0 for
-- the others). The latest login comes from added rows only: @pb is never
-- after the period's end, so none of them is later than the period.
--
-- The settings: 50,000 people fit one hash table, and its two-level
-- variant (which ClickHouse picks from statistics of earlier statements)
-- costs a merge of 256 buckets per question.
SELECT
    r.person,
    argMaxIf(r.login, (r.at, r.login), r.sign > 0) AS latest_login,
    arrayMap(c -> toUInt64(c), sumForEach(arrayMap(c -> toInt64(c) * r.sign, r.counts))) AS counts
FROM
(
-- @include leaderboard_people_rows.sql
) AS r
INNER JOIN
(
    SELECT person
    FROM
    (
-- @include leaderboard_people_rows.sql
    )
    GROUP BY person
-- @having
    ORDER BY round(sum(sign * arrayDotProduct(counts, @weights)), 6) DESC
    LIMIT @limit WITH TIES
) AS top_people ON r.person = top_people.person
GROUP BY r.person
SETTINGS group_by_two_level_threshold = 0, group_by_two_level_threshold_bytes = 0, collect_hash_table_stats_during_aggregation = 0
