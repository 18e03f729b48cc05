-- The day rows of the months @months (YYYYMM, all within [@lo, @hi)), into
-- the build table rollup_days_build (renamed by the caller): every natural
-- key with a sighting in those months is reduced over all of its sightings
-- (the highest version wins: its actor, repository and time), and the keys
-- whose winning sighting falls in one of the months are counted per day,
-- identity and repository.
INSERT INTO rollup_days_build
(period, actor_id, actor_login, email_domain, org, repo_name, {{kinds "c_{kind}" ", "}})
SELECT toDate(won_at) AS day, actor_id, actor_login, email_domain, org, repo_name,
       {{kinds "toUInt32(countIf(kind = '{kind}')) AS c_{kind}" ",\n       "}}
FROM
(
    SELECT kind,
           argMax(created_at, (version, created_at)) AS won_at,
           argMax(actor_id, (version, created_at)) AS actor_id,
           argMax(actor_login, (version, created_at)) AS actor_login,
           argMax(email_domain, (version, created_at)) AS email_domain,
           argMax(org, (version, created_at)) AS org,
           argMax(repo_name, (version, created_at)) AS repo_name
    FROM contributions
    -- key_hash alone (not the (kind, key_hash) tuple) is 3x faster to test
    -- here; a key of another kind that shares the hash is reduced in its own
    -- group and dropped below unless it won in these months too.
    WHERE key_hash IN (SELECT key_hash FROM contributions
                       WHERE created_at >= toDateTime(@lo, 'UTC') AND created_at < toDateTime(@hi, 'UTC')
                         AND toYYYYMM(created_at) IN @months)
    GROUP BY kind, key_hash
)
WHERE toYYYYMM(won_at) IN @months
GROUP BY day, actor_id, actor_login, email_domain, org, repo_name
