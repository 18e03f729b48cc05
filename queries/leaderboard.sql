-- Leaderboard: contributions in [@from, @to) reduced to one row per
-- natural key (credited to the actor of its highest-version sighting, so a
-- contribution seen twice counts once even when sources credit different
-- ids), resolved to a person (a roster member, found by GitHub id, commit
-- email or login, else the actor), kept when the person held a matching
-- membership at the time (roster filters), then counted per person and
-- kind and scored with the bound weights.
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
        SELECT kind, credited_login, at, person, starts, ends
        FROM
        (
            SELECT kind, credited_login, at,
                   if(by_id != 0, by_id, if(by_login != 0, by_login, actor_id)) AS person
            FROM
            (
                SELECT kind, actor_id, credited_login, login_lc, at, by_id
                FROM
                (
                    SELECT
                        toString(kind) AS kind,
                        key_hash,
                        argMax(actor_id, version) AS actor_id,
                        argMax(actor_login, version) AS credited_login,
                        lower(credited_login) AS login_lc,
                        max(created_at) AS at
                    FROM contributions
                    WHERE created_at >= toDateTime(@from, 'UTC')
                      AND created_at < toDateTime(@to, 'UTC')
                      AND kind IN @kind_set
                      AND (@org = '' OR lower(org) = lower(@org))
                      AND (@repo = '' OR lower(repo_name) = lower(@repo))
                    GROUP BY kind, key_hash
                )
                ANY LEFT JOIN
                (
                    SELECT actor_id, any(member_id) AS by_id
                    FROM roster_identities
                    WHERE import_id = @roster AND actor_id != 0
                    GROUP BY actor_id
                ) USING actor_id
            )
            ANY LEFT JOIN
            (
                SELECT value AS login_lc, any(member_id) AS by_login
                FROM roster_identities
                WHERE import_id = @roster AND kind = 'login'
                GROUP BY value
            ) USING login_lc
        )
        ANY LEFT JOIN
        (
            SELECT member_id AS person, groupArray(starts) AS starts, groupArray(ends) AS ends
            FROM roster_memberships
            WHERE import_id = @roster
              AND (@program = '' OR program = @program)
              AND (@category = '' OR lower(category) = lower(@category))
              AND (@grp = '' OR lower(grp) = lower(@grp))
              AND (@region = '' OR lower(region) = lower(@region))
              AND (@country = '' OR lower(country) = lower(@country))
            GROUP BY member_id
        ) USING person
        WHERE (@filtered = 0 OR arrayExists((s, e) -> at >= s AND at < e, starts, ends))
          AND (@bot_regex = '' OR NOT match(credited_login, @bot_regex) OR match(credited_login, @human_regex))
    )
    GROUP BY person, kind
)
GROUP BY person
ORDER BY score DESC, shown_login ASC, person ASC
LIMIT @limit
