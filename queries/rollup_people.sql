-- Rebuilds the people rollup's snapshots of the Mondays [@first, @last]
-- (store.buildPeople; migrations 0011, 0012) into rollup_people_build, after
-- rollup_people_days.sql rebuilt the days from @from on: the snapshot of
-- @base (@first less a week, which this build does not change) plus the
-- people's days of [@base, @last) summed week by week, for every person
-- and login from their first week on. Times are Unix seconds of UTC
-- midnights; @base, @first and @last are Mondays, @base < @from <= @first.
INSERT INTO rollup_people_build
(period, person, login, last_day, counts)
WITH deltas AS
(
    SELECT week, person, login, max(ld) AS ld,
           {{kinds "sum(a_{kind}) AS a_{kind}" ",\n           "}}
    FROM
    (
        -- the snapshot of @base, as the week before it
        SELECT addDays(period, -7) AS week, person, login, last_day AS ld,
               {{kinds "toUInt64(counts[{i}]) AS a_{kind}" ",\n               "}}
        FROM rollup_people
        WHERE period = toDate(toDateTime(@base, 'UTC'))
        UNION ALL
        -- the days of [@base, @last), each in its week: those before @from
        -- as they are, the others as this build made them
        SELECT toMonday(period) AS week, person, login, period AS ld,
               {{kinds "toUInt64(counts[{i}]) AS a_{kind}" ",\n               "}}
        FROM rollup_people_days
        WHERE period >= toDate(toDateTime(@base, 'UTC')) AND period < toDate(toDateTime(@from, 'UTC'))
        UNION ALL
        SELECT toMonday(period) AS week, person, login, period AS ld,
               {{kinds "toUInt64(counts[{i}]) AS a_{kind}" ",\n               "}}
        FROM rollup_people_days_build
        WHERE period >= toDate(toDateTime(@from, 'UTC')) AND period < toDate(toDateTime(@last, 'UTC'))
    )
    GROUP BY week, person, login
)
SELECT period, person, login, last_day, [{{kinds "c_{kind}" ", "}}] AS counts
FROM
(
    SELECT week + 7 AS period, person, login,
           max(ld) OVER running AS last_day,
           {{kinds "toUInt32(sum(a_{kind}) OVER running) AS c_{kind}" ",\n           "}}
    FROM
    (
        SELECT g.week AS week, g.person AS person, g.login AS login, d.ld AS ld,
               {{kinds "d.a_{kind} AS a_{kind}" ",\n               "}}
        FROM
        (
            -- every person and login, every week from their first to the last
            SELECT person, login, addDays(first, 7 * i) AS week
            FROM (SELECT person, login, min(week) AS first FROM deltas GROUP BY person, login)
            ARRAY JOIN range(toUInt32(intDiv(dateDiff('day', first, toDate(toDateTime(@last, 'UTC'))), 7))) AS i
        ) AS g
        LEFT JOIN deltas AS d ON d.person = g.person AND d.login = g.login AND d.week = g.week
    )
    WINDOW running AS (PARTITION BY person, login ORDER BY week ROWS UNBOUNDED PRECEDING)
)
WHERE period >= toDate(toDateTime(@first, 'UTC'))
