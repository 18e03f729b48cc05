-- Leaderboard from the people rollup (store.peopleLeaderboard), the same
-- answer as leaderboard.sql over the identity rollup: the snapshots of
-- Monday @pb (added) and Monday @pa (taken away), and the days between each
-- end of the period and its Monday (the people stage, people.sql, in place
-- of the input marker below, dated): [@ea_from, @ea_to) counted with sign
-- @ea_sign (taken away when @pa is before the period's start, added when
-- after), the days from @pb to the period's end added. Logins in @bots are
-- left out (store.peopleBots: the logins the bot rules match).
--
-- The top @limit, ties at the last place included, are found on scores
-- alone; only they have their latest login and counts per kind worked out.
-- The latest login comes from added rows only: @pb is never after the
-- period's end, so none of them is later than the period.
WITH period_rows AS
(
    SELECT person, login AS credited_login, toDateTime(last_day, 'UTC') AS at,
           if(period = toDate(toDateTime(@pb, 'UTC')), 1, -1) AS sign,
           c_commit * @w_commit + c_pr_opened * @w_pr_opened + c_pr_merged * @w_pr_merged + c_pr_closed * @w_pr_closed + c_pr_review * @w_pr_review + c_pr_review_comment * @w_pr_review_comment + c_issue_opened * @w_issue_opened + c_issue_closed * @w_issue_closed + c_issue_comment * @w_issue_comment + c_commit_comment * @w_commit_comment + c_release * @w_release + c_star * @w_star + c_fork * @w_fork AS score,
           c_commit * @s_commit + c_pr_opened * @s_pr_opened + c_pr_merged * @s_pr_merged + c_pr_closed * @s_pr_closed + c_pr_review * @s_pr_review + c_pr_review_comment * @s_pr_review_comment + c_issue_opened * @s_issue_opened + c_issue_closed * @s_issue_closed + c_issue_comment * @s_issue_comment + c_commit_comment * @s_commit_comment + c_release * @s_release + c_star * @s_star + c_fork * @s_fork AS n,
           [c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork] AS cs
    FROM rollup_people
    WHERE period IN (toDate(toDateTime(@pa, 'UTC')), toDate(toDateTime(@pb, 'UTC')))
      AND login NOT IN @bots
    UNION ALL
    SELECT person, credited_login, at,
           if(at >= toDateTime(@ea_from, 'UTC') AND at < toDateTime(@ea_to, 'UTC'), @ea_sign, 1) AS sign,
           score, n, cs
    FROM
    (
-- @input
    )
    WHERE credited_login NOT IN @bots
)
SELECT
    person,
    argMaxIf(credited_login, (at, credited_login), sign > 0) AS latest_login,
    -- email-only identities are shown as email:<low 48 bits in hex>
    if(latest_login = '', concat('email:', lower(substring(hex(person), 5, 12))), latest_login) AS shown_login,
    round(sum(sign * score), 6) AS total,
    toUInt64(sum(sign * n)) AS contributions,
    arrayMap(c -> toUInt64(c), sumForEach(arrayMap(c -> toInt64(c) * sign, cs))) AS counts
FROM period_rows
WHERE person IN
(
    SELECT person
    FROM period_rows
    GROUP BY person
    HAVING sum(sign * n) > 0
    ORDER BY round(sum(sign * score), 6) DESC
    LIMIT @limit WITH TIES
)
GROUP BY person
ORDER BY total DESC, shown_login ASC, person ASC
LIMIT @limit
