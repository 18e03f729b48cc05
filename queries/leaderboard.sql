-- Leaderboard: per actor, distinct contributions by kind in [@from, @to),
-- scored with the bound weights. Counting distinct key_hash makes the counts
-- exact even when a contribution was stored twice and not yet merged.
SELECT
    actor_id,
    argMax(login, last_at) AS login,
    sum(n * transform(kind, @kinds, @weights, toFloat64(0))) AS score,
    groupArray(kind) AS kinds,
    groupArray(n) AS counts
FROM
(
    SELECT
        actor_id,
        toString(kind) AS kind,
        uniqExact(key_hash) AS n,
        argMax(actor_login, created_at) AS login,
        max(created_at) AS last_at
    FROM contributions
    WHERE created_at >= toDateTime(@from, 'UTC')
      AND created_at < toDateTime(@to, 'UTC')
      AND kind IN @kind_set
      AND (@org = '' OR lower(org) = lower(@org))
      AND (@repo = '' OR lower(repo_name) = lower(@repo))
      AND (@bot_regex = '' OR NOT match(actor_login, @bot_regex))
    GROUP BY actor_id, kind
)
GROUP BY actor_id
ORDER BY score DESC, login ASC, actor_id ASC
LIMIT @limit
