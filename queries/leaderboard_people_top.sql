-- The people a leaderboard from the people rollup lists
-- (store.peopleLeaderboard), found on scores alone: the top @limit, ties
-- at the last place included. A person's part of [from, to) is the
-- snapshot of Monday @pb less the snapshot of Monday @pa, plus the
-- people's days between each end of the period and its Monday:
-- [@ea_from, @ea_to) counted with sign @ea_sign (taken away when @pa is
-- before the period's start, added when after), and [@pb, @to) added.
-- Logins in @bots are left out (store.peopleBotLogins). Who counts at all
-- is the having line below (leaderboard_people_having_*.sql).
SELECT person
FROM
(
    SELECT person, if(period = toDate(toDateTime(@pb, 'UTC')), 1, -1) AS sign,
           c_commit * @w_commit + c_pr_opened * @w_pr_opened + c_pr_merged * @w_pr_merged + c_pr_closed * @w_pr_closed + c_pr_review * @w_pr_review + c_pr_review_comment * @w_pr_review_comment + c_issue_opened * @w_issue_opened + c_issue_closed * @w_issue_closed + c_issue_comment * @w_issue_comment + c_commit_comment * @w_commit_comment + c_release * @w_release + c_star * @w_star + c_fork * @w_fork AS score,
           c_commit * @s_commit + c_pr_opened * @s_pr_opened + c_pr_merged * @s_pr_merged + c_pr_closed * @s_pr_closed + c_pr_review * @s_pr_review + c_pr_review_comment * @s_pr_review_comment + c_issue_opened * @s_issue_opened + c_issue_closed * @s_issue_closed + c_issue_comment * @s_issue_comment + c_commit_comment * @s_commit_comment + c_release * @s_release + c_star * @s_star + c_fork * @s_fork AS n
    FROM rollup_people
    WHERE period IN (toDate(toDateTime(@pa, 'UTC')), toDate(toDateTime(@pb, 'UTC'))) AND login NOT IN @bots
    UNION ALL
    SELECT person, if(period < toDate(toDateTime(@ea_to, 'UTC')), @ea_sign, 1) AS sign,
           c_commit * @w_commit + c_pr_opened * @w_pr_opened + c_pr_merged * @w_pr_merged + c_pr_closed * @w_pr_closed + c_pr_review * @w_pr_review + c_pr_review_comment * @w_pr_review_comment + c_issue_opened * @w_issue_opened + c_issue_closed * @w_issue_closed + c_issue_comment * @w_issue_comment + c_commit_comment * @w_commit_comment + c_release * @w_release + c_star * @w_star + c_fork * @w_fork AS score,
           c_commit * @s_commit + c_pr_opened * @s_pr_opened + c_pr_merged * @s_pr_merged + c_pr_closed * @s_pr_closed + c_pr_review * @s_pr_review + c_pr_review_comment * @s_pr_review_comment + c_issue_opened * @s_issue_opened + c_issue_closed * @s_issue_closed + c_issue_comment * @s_issue_comment + c_commit_comment * @s_commit_comment + c_release * @s_release + c_star * @s_star + c_fork * @s_fork AS n
    FROM rollup_people_days
    WHERE period >= toDate(toDateTime(@ea_from, 'UTC')) AND period < toDate(toDateTime(@to, 'UTC'))
      -- the two ends' days, as one range of the key and a filter
      AND (period < toDate(toDateTime(@ea_to, 'UTC')) OR period >= toDate(toDateTime(@pb, 'UTC')))
      AND login NOT IN @bots
)
GROUP BY person
-- @having
ORDER BY round(sum(sign * score), 6) DESC
LIMIT @limit WITH TIES
