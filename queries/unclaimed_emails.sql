-- Commit email identities nobody has claimed in the roster, with how many
-- commits they made in [@from, @to), their email domain and a few of their
-- repositories: the list people look through to claim their commits.
SELECT
    actor_id,
    count() AS commits,
    any(domain) AS email_domain,
    arraySlice(groupUniqArray(repo), 1, 5) AS repos
FROM
(
    SELECT key_hash, argMax(actor_id, (version, created_at)) AS actor_id, argMax(email_domain, (version, created_at)) AS domain,
           argMax(repo_name, (version, created_at)) AS repo
    FROM contributions
    WHERE kind = 'commit'
      AND created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC')
    GROUP BY key_hash
)
WHERE bitShiftRight(actor_id, 62) = 3
  AND actor_id NOT IN (SELECT actor_id FROM roster_identities WHERE import_id = @roster AND kind = 'email')
GROUP BY actor_id
ORDER BY commits DESC, actor_id ASC
LIMIT @limit
