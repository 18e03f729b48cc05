-- The lines of the people leaderboard_people_top.sql found (the array
-- @persons), over the same rows: each person's latest login and counts
-- per kind (in the order of contrib.Kinds); the store weighs the counts
-- and orders the lines as leaderboard.sql does. The latest login comes
-- from added rows only: @pb is never after the period's end, so none of
-- them is later than the period.
SELECT
    person,
    argMaxIf(login, (at, login), sign > 0) AS latest_login,
    arrayMap(c -> toUInt64(c), sumForEach(arrayMap(c -> toInt64(c) * sign, [c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork]))) AS counts
FROM
(
    SELECT person, login, last_day AS at, if(period = toDate(toDateTime(@pb, 'UTC')), 1, -1) AS sign, c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork
    FROM rollup_people
    WHERE period IN (toDate(toDateTime(@pa, 'UTC')), toDate(toDateTime(@pb, 'UTC'))) AND login NOT IN @bots
      AND has(@persons, person)
    UNION ALL
    SELECT person, login, period AS at, if(period < toDate(toDateTime(@ea_to, 'UTC')), @ea_sign, 1) AS sign, c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork
    FROM rollup_people_days
    WHERE period >= toDate(toDateTime(@ea_from, 'UTC')) AND period < toDate(toDateTime(@to, 'UTC'))
      -- the two ends' days, as one range of the key and a filter
      AND (period < toDate(toDateTime(@ea_to, 'UTC')) OR period >= toDate(toDateTime(@pb, 'UTC')))
      AND login NOT IN @bots
      AND has(@persons, person)
)
GROUP BY person
