-- What each contribution of [@from, @to) is worth under the accepted
-- scoring profile (docs/scoring.md), one row per contribution (its
-- winning sighting, as contribution_rows_raw.sql reduces them): rule ''
-- counts it fully (factor 1); any other rule says why it counts for less
-- (factor, between 0 and 1) or not at all (0). Rules, in the order they
-- are tried:
--   not_opted_in      the repository is not one of @opted_repos (when @opted_in = 1)
--   spam_label        a pull request labelled spam or invalid (pr_opened, pr_merged)
--   spam_closed_fast  a pull request closed unmerged within @spam_close_seconds
--                     of opening, by someone else, with no review (pr_opened)
--   draft             a pull request still a draft, not merged (pr_opened)
--   not_accepted      a pull request neither merged nor approved by someone
--                     other than its author (pr_opened)
--   on_hold           accepted (merged or approved) after @hold_until (pr_opened, pr_merged)
--   self_merge        merged by its author with no review by anyone else (pr_opened, pr_merged): @f_self_merge
--   own_repository    to a repository its author owns (pr_opened, pr_merged): @f_own_repository
--   mass_generated    its title, by its author, on pull requests to @mass_repos or more
--                     repositories within @mass_seconds (pr_opened, pr_merged): @f_mass
--   whitespace        a diff that changes only whitespace (as the API's
--                     files say; pr_opened, pr_merged): @f_whitespace
--   typo              at most @typo_lines changed lines, titled as a typo or
--                     whitespace fix (pr_opened, pr_merged): @f_typo
--   self_review       a review or review comment on one's own pull request: @f_self_review
--   own_issue         a comment on one's own issue or pull request: @f_own_issue
-- The org, repository and set filters are the leaderboard's (@org, @repo,
-- @in_set, @set_orgs, @set_repos); @only_ids / @only_logins (when @only = 1)
-- keep one person's identities; @flagged_only = 1 keeps only the items
-- marked as spam (spam_label, spam_closed_fast).
SELECT kind, key, at, actor_id, actor_login, email_domain, org, repo_name, repo_id, number, title, rule,
       multiIf(rule = '', 1.0,
               rule = 'self_merge', @f_self_merge,
               rule = 'own_repository', @f_own_repository,
               rule = 'mass_generated', @f_mass,
               rule = 'whitespace', @f_whitespace,
               rule = 'typo', @f_typo,
               rule = 'self_review', @f_self_review,
               rule = 'own_issue', @f_own_issue,
               0.0) AS factor
FROM
(
    SELECT kind, key, at, actor_id, actor_login, email_domain, org, repo_name, repo_id, number, title,
           kind IN ('pr_opened', 'pr_merged') AS pr_kind,
           merged_at != toDateTime(0, 'UTC') AS merged,
           arrayExists(r -> tupleElement(r, 2) = 'approved' AND tupleElement(r, 1) != author, reviews) AS approved,
           arrayExists(r -> tupleElement(r, 1) != author, reviews) AS reviewed,
           if(merged, merged_at,
              arrayMin(arrayMap(r -> tupleElement(r, 3), arrayFilter(r -> tupleElement(r, 2) = 'approved' AND tupleElement(r, 1) != author, reviews)))) AS accepted_at,
           multiIf(@opted_in = 1 AND NOT (lower(repo_name) IN @opted_repos OR lower(org) IN @opted_repos), 'not_opted_in',
                   pr_kind AND (has(labels, 'spam') OR has(labels, 'invalid')), 'spam_label',
                   kind = 'pr_opened' AND NOT merged AND closed_at != toDateTime(0, 'UTC') AND opened_at != toDateTime(0, 'UTC')
                       AND toUInt32(closed_at) - toUInt32(opened_at) <= @spam_close_seconds AND closer != author AND NOT reviewed, 'spam_closed_fast',
                   kind = 'pr_opened' AND draft = 1 AND NOT merged, 'draft',
                   kind = 'pr_opened' AND NOT merged AND NOT approved, 'not_accepted',
                   pr_kind AND @hold_until != 0 AND toUInt32(accepted_at) > @hold_until, 'on_hold',
                   pr_kind AND merged AND merged_by = author AND merged_by != 0 AND NOT reviewed, 'self_merge',
                   pr_kind AND lower(org) = lower(author_login), 'own_repository',
                   pr_kind AND mass_repos >= @mass_repos, 'mass_generated',
                   pr_kind AND ws_only = 1, 'whitespace',
                   pr_kind AND lines > 0 AND lines <= @typo_lines AND match(title, '(?i)\\b(typo|typos|spelling|misspell\\w*|whitespace|white space|grammar)\\b'), 'typo',
                   kind IN ('pr_review', 'pr_review_comment') AND author != 0 AND actor_id = author, 'self_review',
                   kind = 'issue_comment' AND thread_author != 0 AND actor_id = thread_author, 'own_issue',
                   '') AS rule
    FROM
    (
        SELECT kind, key, at, actor_id, actor_login, email_domain, org, repo_name, repo_id, number,
               opened_at, merged_at, closed_at, closer, reviews, issue_author,
               if(pr_author != 0, pr_author, fact_author) AS author,
               if(issue_author != 0, issue_author, author) AS thread_author,
               author_login, labels, draft, merged_by, title, lines, ws_only, mass_repos
        FROM
        (
            -- the period's contributions, each its winning sighting
            SELECT toString(kind) AS kind, key, won_at AS at, actor_id, actor_login, email_domain, org, repo_name, repo_id, number
            FROM
            (
                SELECT kind, any(key) AS key,
                       argMax(created_at, (version, created_at)) AS won_at,
                       argMax(actor_id, (version, created_at)) AS actor_id,
                       argMax(actor_login, (version, created_at)) AS actor_login,
                       argMax(email_domain, (version, created_at)) AS email_domain,
                       argMax(org, (version, created_at)) AS org,
                       argMax(repo_name, (version, created_at)) AS repo_name,
                       argMax(repo_id, (version, created_at)) AS repo_id,
                       max(number) AS number
                FROM contributions
                WHERE key_hash IN (SELECT key_hash FROM contributions
                                   WHERE created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC'))
                GROUP BY kind, key_hash
            )
            WHERE won_at >= toDateTime(@from, 'UTC') AND won_at < toDateTime(@to, 'UTC')
              AND (@org = '' OR lower(org) = lower(@org))
              AND (@repo = '' OR lower(repo_name) = lower(@repo))
              AND (@in_set = 0 OR lower(org) IN @set_orgs OR lower(repo_name) IN @set_repos)
              AND (@only = 0 OR (actor_id != 0 AND actor_id IN @only_ids) OR (actor_login != '' AND lower(actor_login) IN @only_logins))
        ) AS items
        ANY LEFT JOIN
        (
            -- what happened to each pull request or issue the period's
            -- contributions belong to, over all of its history
            SELECT won_repo AS repo_id, won_number AS number,
                   minIf(won_at, kind_name = 'pr_opened') AS opened_at,
                   argMinIf(won_actor, won_at, kind_name = 'pr_opened') AS pr_author,
                   maxIf(won_at, kind_name = 'pr_merged') AS merged_at,
                   maxIf(won_at, kind_name = 'pr_closed') AS closed_at,
                   argMaxIf(won_actor, won_at, kind_name = 'pr_closed') AS closer,
                   arraySort(r -> tupleElement(r, 3), groupArrayIf((won_actor, won_state, won_at), kind_name = 'pr_review')) AS reviews,
                   argMinIf(won_actor, won_at, kind_name = 'issue_opened') AS issue_author
            FROM
            (
                SELECT toString(kind) AS kind_name,
                       argMax(created_at, (version, created_at)) AS won_at,
                       argMax(actor_id, (version, created_at)) AS won_actor,
                       argMax(contributions.repo_id, (version, created_at)) AS won_repo,
                       max(contributions.number) AS won_number,
                       argMax(review_state, (version, created_at)) AS won_state
                FROM contributions
                WHERE kind IN ('pr_opened', 'pr_merged', 'pr_closed', 'pr_review', 'issue_opened')
                  AND (contributions.repo_id, contributions.number) IN
                      (SELECT repo_id, number FROM contributions
                       WHERE created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC') AND number != 0)
                GROUP BY kind, key_hash
            )
            WHERE won_number != 0
            GROUP BY won_repo, won_number
        ) AS threads USING (repo_id, number)
        ANY LEFT JOIN
        (
            -- each pull request's latest facts, and how many repositories
            -- its author sent a pull request of the same title to within
            -- @mass_seconds of it
            SELECT repo_id, number, fact_author, author_login, labels, draft, merged_by, title, lines, ws_only,
                   length(arrayDistinct(arrayMap(x -> tupleElement(x, 1),
                       arrayFilter(x -> abs(toInt64(toUInt32(tupleElement(x, 2))) - toInt64(toUInt32(opened_at))) <= @mass_seconds, same_title)))) AS mass_repos
            FROM
            (
                SELECT repo_id, number, fact_author, author_login, labels, draft, merged_by, title, title_lc, lines, ws_only, opened_at
                FROM
                (
                    SELECT repo_id, number,
                           argMax(author_id, version) AS fact_author,
                           argMax(labels, version) AS labels,
                           argMax(draft, version) AS draft,
                           argMax(merged_by, version) AS merged_by,
                           argMax(title, version) AS title,
                           lower(title) AS title_lc,
                           argMax(additions, version) + argMax(deletions, version) AS lines,
                           -- the latest observation that read the diff
                           argMaxIf(whitespace, version, whitespace >= 0) AS ws_only,
                           max(opened_at) AS opened_at
                    FROM pull_requests
                    WHERE (repo_id, number) IN (SELECT repo_id, number FROM contributions
                                                WHERE created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC') AND number != 0)
                    GROUP BY repo_id, number
                ) AS latest
                ANY LEFT JOIN
                (
                    -- the author's latest login
                    SELECT actor_id AS fact_author, argMax(actor_login, created_at) AS author_login
                    FROM contributions
                    WHERE kind = 'pr_opened'
                      AND actor_id IN (SELECT author_id FROM pull_requests
                                       WHERE (repo_id, number) IN (SELECT repo_id, number FROM contributions
                                                                   WHERE created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC') AND number != 0))
                    GROUP BY actor_id
                ) AS authors USING fact_author
            ) AS facts
            ANY LEFT JOIN
            (
                -- per author and title sent to @mass_repos repositories or
                -- more: the repositories and when each was opened
                SELECT fact_author, title_lc, groupArray((repo_id, opened_at)) AS same_title
                FROM
                (
                    SELECT repo_id, number, argMax(author_id, version) AS fact_author, lower(argMax(title, version)) AS title_lc,
                           max(opened_at) AS opened_at
                    FROM pull_requests
                    GROUP BY repo_id, number
                )
                WHERE title_lc != '' AND opened_at > toDateTime(0, 'UTC')
                GROUP BY fact_author, title_lc
                HAVING uniqExact(repo_id) >= @mass_repos
            ) AS campaigns USING (fact_author, title_lc)
        ) AS facts USING (repo_id, number)
    )
)
WHERE @flagged_only = 0 OR rule IN ('spam_label', 'spam_closed_fast')
ORDER BY at, kind, key
