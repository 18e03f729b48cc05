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
           sum(a_commit) AS a_commit,
           sum(a_pr_opened) AS a_pr_opened,
           sum(a_pr_merged) AS a_pr_merged,
           sum(a_pr_closed) AS a_pr_closed,
           sum(a_pr_review) AS a_pr_review,
           sum(a_pr_review_comment) AS a_pr_review_comment,
           sum(a_issue_opened) AS a_issue_opened,
           sum(a_issue_closed) AS a_issue_closed,
           sum(a_issue_comment) AS a_issue_comment,
           sum(a_commit_comment) AS a_commit_comment,
           sum(a_release) AS a_release,
           sum(a_star) AS a_star,
           sum(a_fork) AS a_fork
    FROM
    (
        -- the snapshot of @base, as the week before it
        SELECT addDays(period, -7) AS week, person, login, last_day AS ld,
               toUInt64(counts[1]) AS a_commit,
               toUInt64(counts[2]) AS a_pr_opened,
               toUInt64(counts[3]) AS a_pr_merged,
               toUInt64(counts[4]) AS a_pr_closed,
               toUInt64(counts[5]) AS a_pr_review,
               toUInt64(counts[6]) AS a_pr_review_comment,
               toUInt64(counts[7]) AS a_issue_opened,
               toUInt64(counts[8]) AS a_issue_closed,
               toUInt64(counts[9]) AS a_issue_comment,
               toUInt64(counts[10]) AS a_commit_comment,
               toUInt64(counts[11]) AS a_release,
               toUInt64(counts[12]) AS a_star,
               toUInt64(counts[13]) AS a_fork
        FROM rollup_people
        WHERE period = toDate(toDateTime(@base, 'UTC'))
        UNION ALL
        -- the days of [@base, @last), each in its week: those before @from
        -- as they are, the others as this build made them
        SELECT toMonday(period) AS week, person, login, period AS ld,
               toUInt64(counts[1]) AS a_commit,
               toUInt64(counts[2]) AS a_pr_opened,
               toUInt64(counts[3]) AS a_pr_merged,
               toUInt64(counts[4]) AS a_pr_closed,
               toUInt64(counts[5]) AS a_pr_review,
               toUInt64(counts[6]) AS a_pr_review_comment,
               toUInt64(counts[7]) AS a_issue_opened,
               toUInt64(counts[8]) AS a_issue_closed,
               toUInt64(counts[9]) AS a_issue_comment,
               toUInt64(counts[10]) AS a_commit_comment,
               toUInt64(counts[11]) AS a_release,
               toUInt64(counts[12]) AS a_star,
               toUInt64(counts[13]) AS a_fork
        FROM rollup_people_days
        WHERE period >= toDate(toDateTime(@base, 'UTC')) AND period < toDate(toDateTime(@from, 'UTC'))
        UNION ALL
        SELECT toMonday(period) AS week, person, login, period AS ld,
               toUInt64(counts[1]) AS a_commit,
               toUInt64(counts[2]) AS a_pr_opened,
               toUInt64(counts[3]) AS a_pr_merged,
               toUInt64(counts[4]) AS a_pr_closed,
               toUInt64(counts[5]) AS a_pr_review,
               toUInt64(counts[6]) AS a_pr_review_comment,
               toUInt64(counts[7]) AS a_issue_opened,
               toUInt64(counts[8]) AS a_issue_closed,
               toUInt64(counts[9]) AS a_issue_comment,
               toUInt64(counts[10]) AS a_commit_comment,
               toUInt64(counts[11]) AS a_release,
               toUInt64(counts[12]) AS a_star,
               toUInt64(counts[13]) AS a_fork
        FROM rollup_people_days_build
        WHERE period >= toDate(toDateTime(@from, 'UTC')) AND period < toDate(toDateTime(@last, 'UTC'))
    )
    GROUP BY week, person, login
)
SELECT period, person, login, last_day, [c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork] AS counts
FROM
(
    SELECT week + 7 AS period, person, login,
           max(ld) OVER running AS last_day,
           toUInt32(sum(a_commit) OVER running) AS c_commit,
           toUInt32(sum(a_pr_opened) OVER running) AS c_pr_opened,
           toUInt32(sum(a_pr_merged) OVER running) AS c_pr_merged,
           toUInt32(sum(a_pr_closed) OVER running) AS c_pr_closed,
           toUInt32(sum(a_pr_review) OVER running) AS c_pr_review,
           toUInt32(sum(a_pr_review_comment) OVER running) AS c_pr_review_comment,
           toUInt32(sum(a_issue_opened) OVER running) AS c_issue_opened,
           toUInt32(sum(a_issue_closed) OVER running) AS c_issue_closed,
           toUInt32(sum(a_issue_comment) OVER running) AS c_issue_comment,
           toUInt32(sum(a_commit_comment) OVER running) AS c_commit_comment,
           toUInt32(sum(a_release) OVER running) AS c_release,
           toUInt32(sum(a_star) OVER running) AS c_star,
           toUInt32(sum(a_fork) OVER running) AS c_fork
    FROM
    (
        SELECT g.week AS week, g.person AS person, g.login AS login, d.ld AS ld,
               d.a_commit AS a_commit,
               d.a_pr_opened AS a_pr_opened,
               d.a_pr_merged AS a_pr_merged,
               d.a_pr_closed AS a_pr_closed,
               d.a_pr_review AS a_pr_review,
               d.a_pr_review_comment AS a_pr_review_comment,
               d.a_issue_opened AS a_issue_opened,
               d.a_issue_closed AS a_issue_closed,
               d.a_issue_comment AS a_issue_comment,
               d.a_commit_comment AS a_commit_comment,
               d.a_release AS a_release,
               d.a_star AS a_star,
               d.a_fork AS a_fork
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
