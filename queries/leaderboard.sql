-- Leaderboard: contributions in [@from, @to) reduced to one row per
-- natural key (credited to the actor of its highest-version sighting, so a
-- contribution seen twice counts once even when sources credit different
-- ids), then counted per actor and kind and scored with the bound weights.
SELECT
    actor_id,
    argMax(kind_login, last_at) AS latest_login,
    -- email-only identities are shown as email:<low 48 bits in hex>
    if(latest_login = '', concat('email:', lower(substring(hex(actor_id), 5, 12))), latest_login) AS shown_login,
    round(sum(n * transform(kind, @kinds, @weights, toFloat64(0))), 6) AS score,
    groupArray(kind) AS kinds,
    groupArray(n) AS counts
FROM
(
    SELECT
        actor_id,
        kind,
        count() AS n,
        argMax(credited_login, at) AS kind_login,
        max(at) AS last_at
    FROM
    (
        SELECT
            toString(kind) AS kind,
            key_hash,
            argMax(actor_id, version) AS actor_id,
            argMax(actor_login, version) AS credited_login,
            max(created_at) AS at
        FROM contributions
        WHERE created_at >= toDateTime(@from, 'UTC')
          AND created_at < toDateTime(@to, 'UTC')
          AND kind IN @kind_set
          AND (@org = '' OR lower(org) = lower(@org))
          AND (@repo = '' OR lower(repo_name) = lower(@repo))
        GROUP BY kind, key_hash
    )
    WHERE @bot_regex = '' OR NOT match(credited_login, @bot_regex)
    GROUP BY actor_id, kind
)
GROUP BY actor_id
ORDER BY score DESC, shown_login ASC, actor_id ASC
LIMIT @limit
