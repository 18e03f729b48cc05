-- The month rows of the years @years (YYYY), from their day rows, into the
-- build table rollup_months_build (renamed by the caller).
INSERT INTO rollup_months_build
(period, actor_id, actor_login, email_domain, last_day, c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork)
SELECT toStartOfMonth(period) AS month, actor_id, actor_login, email_domain, max(period),
       toUInt32(sum(c_commit)) AS c_commit,
       toUInt32(sum(c_pr_opened)) AS c_pr_opened,
       toUInt32(sum(c_pr_merged)) AS c_pr_merged,
       toUInt32(sum(c_pr_closed)) AS c_pr_closed,
       toUInt32(sum(c_pr_review)) AS c_pr_review,
       toUInt32(sum(c_pr_review_comment)) AS c_pr_review_comment,
       toUInt32(sum(c_issue_opened)) AS c_issue_opened,
       toUInt32(sum(c_issue_closed)) AS c_issue_closed,
       toUInt32(sum(c_issue_comment)) AS c_issue_comment,
       toUInt32(sum(c_commit_comment)) AS c_commit_comment,
       toUInt32(sum(c_release)) AS c_release,
       toUInt32(sum(c_star)) AS c_star,
       toUInt32(sum(c_fork)) AS c_fork
FROM rollup_days
WHERE toYear(period) IN @years
GROUP BY month, actor_id, actor_login, email_domain
