-- Rebuilds the people rollup's days of [@from, @to) (store.buildPeople;
-- migrations 0011, 0012) into rollup_people_days_build: the day rollup's rows
-- summed per day, person (resolved by roster import @roster,
-- person_of.sql) and login. Times are Unix seconds of UTC midnights.
INSERT INTO rollup_people_days_build
(period, person, login, counts)
SELECT period, person, credited_login AS login,
       [
           toUInt32(sum(c_commit)),
           toUInt32(sum(c_pr_opened)),
           toUInt32(sum(c_pr_merged)),
           toUInt32(sum(c_pr_closed)),
           toUInt32(sum(c_pr_review)),
           toUInt32(sum(c_pr_review_comment)),
           toUInt32(sum(c_issue_opened)),
           toUInt32(sum(c_issue_closed)),
           toUInt32(sum(c_issue_comment)),
           toUInt32(sum(c_commit_comment)),
           toUInt32(sum(c_release)),
           toUInt32(sum(c_star)),
           toUInt32(sum(c_fork))
       ] AS counts
FROM
(
    SELECT period, actor_id, credited_login, c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork,
-- @include person_of.sql
    FROM
    (
        SELECT period, actor_id, actor_login AS credited_login, lower(actor_login) AS login_lc, by_id, c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork
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
