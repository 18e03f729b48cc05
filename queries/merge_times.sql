-- Pull requests merged in [@from, @to) in the org or repository (each
-- counted once, dated by its winning sighting), and how long each took
-- from being opened to being merged. Pull requests opened by bots
-- (@bot_regex, unless @human_regex) are left out; so are merges whose
-- opening was never seen (opened before the history stored).
SELECT
    count() AS merged,
    countIf(opened_at != toDateTime(0, 'UTC')) AS timed,
    quantileExactIf(0.5)(toUInt32(merged_at) - toUInt32(opened_at), opened_at != toDateTime(0, 'UTC')) AS p50,
    quantileExactIf(0.9)(toUInt32(merged_at) - toUInt32(opened_at), opened_at != toDateTime(0, 'UTC')) AS p90
FROM
(
    SELECT key, merged_at, opened_at, opener
    FROM
    (
        SELECT key, argMax(created_at, (version, created_at)) AS merged_at, argMax(org, (version, created_at)) AS morg, argMax(repo_name, (version, created_at)) AS mrepo
        FROM contributions
        WHERE kind = 'pr_merged'
          AND key_hash IN (SELECT key_hash FROM contributions
                           WHERE kind = 'pr_merged'
                             AND created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC'))
        GROUP BY key
        HAVING merged_at >= toDateTime(@from, 'UTC') AND merged_at < toDateTime(@to, 'UTC')
           AND (@org = '' OR lower(morg) = lower(@org))
           AND (@repo = '' OR lower(mrepo) = lower(@repo))
           AND (@in_set = 0 OR lower(morg) IN @set_orgs OR lower(mrepo) IN @set_repos)
    ) AS merged
    ANY LEFT JOIN
    (
        SELECT key, argMax(created_at, (version, created_at)) AS opened_at, argMax(actor_login, (version, created_at)) AS opener
        FROM contributions
        WHERE kind = 'pr_opened'
          AND key IN (SELECT key FROM contributions
                      WHERE kind = 'pr_merged'
                        AND created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC'))
          AND (@org = '' OR lower(org) = lower(@org))
          AND (@repo = '' OR lower(repo_name) = lower(@repo))
          AND (@in_set = 0 OR lower(org) IN @set_orgs OR lower(repo_name) IN @set_repos)
        GROUP BY key
    ) AS opened USING key
)
WHERE @bot_regex = '' OR NOT match(opener, @bot_regex) OR match(opener, @human_regex)
