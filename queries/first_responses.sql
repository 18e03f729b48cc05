-- Issues and pull requests opened in [@from, @to) in the org or
-- repository, each once (dated by its winning sighting), and how long each
-- waited for its first response: the earliest comment or review on it by
-- someone other than its author and not a bot (@bot_regex, unless
-- @human_regex). Items opened by bots are left out. Responses are found by
-- the item's number (contributions.number, stored from migration 0008 on):
-- an item stored without one counts as opened, never as responded to.
SELECT
    kind_name,
    count() AS opened,
    countIf(responded_at != toDateTime(0, 'UTC')) AS responded,
    quantileExactIf(0.5)(toUInt32(responded_at) - toUInt32(opened_at), responded_at != toDateTime(0, 'UTC')) AS p50,
    quantileExactIf(0.9)(toUInt32(responded_at) - toUInt32(opened_at), responded_at != toDateTime(0, 'UTC')) AS p90
FROM
(
    SELECT kind_name, repo_id, number, opened_at,
           minIf(responder_at, responder != 0 AND responder != author AND responder_at >= opened_at) AS responded_at,
           -- ClickHouse 18.16 prunes subquery columns the outer query does
           -- not name, including ones its HAVING needs: name them.
           any(author_login) AS some_author, any(oorg) AS some_org, any(orepo) AS some_repo, any(responder_login) AS some_responder
    FROM
    (
        SELECT kind_name, repo_id, number, opened_at, author, author_login, oorg, orepo, responder, responder_login, responder_at
        FROM
        (
            -- The bots' items are left out by a WHERE around the grouping:
            -- the new analyzer (ClickHouse 24+) fails on match() over an
            -- aggregate in a HAVING that ORs constants (code 49).
            SELECT kind_name, repo_id, number, opened_at, author, author_login, oorg, orepo
            FROM
            (
                SELECT toString(kind) AS kind_name, argMax(repo_id, (version, created_at)) AS repo_id, max(number) AS number,
                       argMax(created_at, (version, created_at)) AS opened_at, argMax(actor_id, (version, created_at)) AS author,
                       argMax(actor_login, (version, created_at)) AS author_login, argMax(org, (version, created_at)) AS oorg, argMax(repo_name, (version, created_at)) AS orepo
                FROM contributions
                WHERE kind IN ('issue_opened', 'pr_opened')
                  AND key_hash IN (SELECT key_hash FROM contributions
                                   WHERE kind IN ('issue_opened', 'pr_opened')
                                     AND created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC'))
                GROUP BY kind, key_hash
                HAVING opened_at >= toDateTime(@from, 'UTC') AND opened_at < toDateTime(@to, 'UTC')
                   AND (@org = '' OR lower(oorg) = lower(@org))
                   AND (@repo = '' OR lower(orepo) = lower(@repo))
                   AND (@in_set = 0 OR lower(oorg) IN @set_orgs OR lower(orepo) IN @set_repos)
            )
            WHERE @bot_regex = '' OR NOT match(author_login, @bot_regex) OR match(author_login, @human_regex)
        ) AS opened
        ALL LEFT JOIN
        (
            -- Each response once (its winning sighting), by someone, on a
            -- numbered item.
            SELECT repo_id, number, responder, responder_login, responder_at
            FROM
            (
                SELECT argMax(repo_id, (version, created_at)) AS repo_id, max(number) AS number,
                       argMax(actor_id, (version, created_at)) AS responder, argMax(actor_login, (version, created_at)) AS responder_login,
                       argMax(created_at, (version, created_at)) AS responder_at
                FROM contributions
                WHERE kind IN ('issue_comment', 'pr_review', 'pr_review_comment')
                  AND created_at >= toDateTime(@from, 'UTC')
                  AND (@org = '' OR lower(org) = lower(@org))
                  AND (@repo = '' OR lower(repo_name) = lower(@repo))
                  AND (@in_set = 0 OR lower(org) IN @set_orgs OR lower(repo_name) IN @set_repos)
                GROUP BY kind, key_hash
            )
            WHERE number != 0
              AND (@bot_regex = '' OR NOT match(responder_login, @bot_regex) OR match(responder_login, @human_regex))
        ) AS responses USING repo_id, number
    )
    GROUP BY kind_name, repo_id, number, opened_at
)
GROUP BY kind_name
