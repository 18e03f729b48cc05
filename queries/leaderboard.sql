-- Leaderboard: the resolved contributions of the period (see
-- resolved_contributions.sql), optionally of one affiliation class,
-- counted per person and kind and scored with the bound weights.
SELECT
    person,
    argMax(kind_login, last_at) AS latest_login,
    -- email-only identities are shown as email:<low 48 bits in hex>
    if(latest_login = '', concat('email:', lower(substring(hex(person), 5, 12))), latest_login) AS shown_login,
    round(sum(n * transform(kind, @kinds, @weights, toFloat64(0))), 6) AS score,
    groupArray(kind) AS kinds,
    groupArray(n) AS counts
FROM
(
    SELECT
        person,
        kind,
        count() AS n,
        argMax(credited_login, at) AS kind_login,
        max(at) AS last_at
    FROM
    (
-- @include resolved_contributions.sql
    )
    WHERE @affiliation = '' OR class = @affiliation
    GROUP BY person, kind
)
GROUP BY person
ORDER BY score DESC, shown_login ASC, person ASC
LIMIT @limit
