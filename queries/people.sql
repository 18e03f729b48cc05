-- The people stage of leaderboard.sql and share.sql (see store.statement):
-- the deduplicated contributions of the period (rows the caller puts in
-- place of the rows marker below: the rollup's, or the raw sightings' when
-- the rollup is behind) summed per identity (GitHub id, login and commit
-- email domain; per day too when @dated = 1, per repository too when
-- @by_repo = 1) into a score (weights
-- @w_<kind>), a count of the selected kinds (@s_<kind> = 1) and optionally
-- counts per kind (identity_counts.sql), then resolved to a person: a
-- roster member found by GitHub id, commit email or login, else the actor.
-- Bots are left out here.
SELECT actor_id, credited_login, at, domain, repo_key, person, score, n, cs
FROM
(
    SELECT actor_id, credited_login, at, domain, repo_key, score, n, cs,
-- @include person_of.sql
    FROM
    (
        SELECT actor_id, credited_login, login_lc, at, domain, repo_key, by_id, score, n, cs
        FROM
        (
            SELECT actor_id,
                   actor_login AS credited_login,
                   lower(credited_login) AS login_lc,
                   email_domain AS domain,
                   if(@dated = 1, row_at, toDateTime(0, 'UTC')) AS at_key,
                   if(@by_repo = 1, row_repo, '') AS repo_key,
                   max(row_at) AS at,
                   sum(c_commit * @w_commit + c_pr_opened * @w_pr_opened + c_pr_merged * @w_pr_merged + c_pr_closed * @w_pr_closed + c_pr_review * @w_pr_review + c_pr_review_comment * @w_pr_review_comment + c_issue_opened * @w_issue_opened + c_issue_closed * @w_issue_closed + c_issue_comment * @w_issue_comment + c_commit_comment * @w_commit_comment + c_release * @w_release + c_star * @w_star + c_fork * @w_fork) AS score,
                   sum(c_commit * @s_commit + c_pr_opened * @s_pr_opened + c_pr_merged * @s_pr_merged + c_pr_closed * @s_pr_closed + c_pr_review * @s_pr_review + c_pr_review_comment * @s_pr_review_comment + c_issue_opened * @s_issue_opened + c_issue_closed * @s_issue_closed + c_issue_comment * @s_issue_comment + c_commit_comment * @s_commit_comment + c_release * @s_release + c_star * @s_star + c_fork * @s_fork) AS n,
-- @include identity_counts.sql
            FROM
            (
-- @rows
            )
            GROUP BY actor_id, credited_login, domain, at_key, repo_key
        ) AS identities
        ANY LEFT JOIN
        (
-- @include person_by_id.sql
        ) AS by_ids USING actor_id
    ) AS identified
    ANY LEFT JOIN
    (
-- @include person_by_login.sql
    ) AS by_logins USING login_lc
    WHERE @bot_regex = '' OR NOT match(credited_login, @bot_regex) OR match(credited_login, @human_regex)
)
