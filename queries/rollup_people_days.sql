-- Rebuilds the people rollup's days of [@from, @to) (store.buildPeople;
-- migrations 0011, 0012) into rollup_people_days_build: the day rollup's rows
-- summed per day, person (resolved by roster import @roster,
-- person_of.sql) and login. Times are Unix seconds of UTC midnights.
INSERT INTO rollup_people_days_build
(period, person, login, counts)
SELECT period, person, credited_login AS login,
       [
           {{kinds "toUInt32(sum(c_{kind}))" ",\n           "}}
       ] AS counts
FROM
(
    SELECT period, actor_id, credited_login, {{kinds "c_{kind}" ", "}},
-- @include person_of.sql
    FROM
    (
        SELECT period, actor_id, actor_login AS credited_login, lower(actor_login) AS login_lc, by_id, {{kinds "c_{kind}" ", "}}
        FROM rollup_days
        ANY LEFT JOIN
        (
-- @include person_by_id.sql
        ) AS by_ids USING actor_id
        WHERE period >= toDate(toDateTime(@from, 'UTC')) AND period < toDate(toDateTime(@to, 'UTC'))
    ) AS identified
    ANY LEFT JOIN
    (
-- @include person_by_login.sql
    ) AS by_logins USING login_lc
)
GROUP BY period, person, login
