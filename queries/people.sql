-- The people stage of leaderboard.sql and share.sql (see store.statement):
-- the deduplicated contributions of the period (rows the caller puts in
-- place of the rows marker below: the rollup's, or the raw sightings' when
-- the rollup is behind) summed per identity (GitHub id, login and commit
-- email domain; per day too when @dated = 1, per repository too when
-- @by_repo = 1) into a score (weights
-- @w_<kind>), a count of the selected kinds (@s_<kind> = 1) and optionally
-- counts per kind (identity_counts.sql), then resolved to a person: a
-- roster member found by GitHub id, commit email or login, else the actor.
-- Bots are left out here.
SELECT actor_id, credited_login, at, domain, repo_key, person, score, n, cs
FROM
(
    SELECT actor_id, credited_login, at, domain, repo_key, score, n, cs,
-- @include person_of.sql
    FROM
    (
        SELECT actor_id, credited_login, login_lc, at, domain, repo_key, by_id, score, n, cs
        FROM
        (
            SELECT actor_id,
                   actor_login AS credited_login,
                   lower(credited_login) AS login_lc,
                   email_domain AS domain,
                   if(@dated = 1, row_at, toDateTime(0, 'UTC')) AS at_key,
                   if(@by_repo = 1, row_repo, '') AS repo_key,
                   max(row_at) AS at,
-- @include people_score.sql
                   sum({{kinds "c_{kind} * @s_{kind}" " + "}}) AS n,
-- @include identity_counts.sql
            FROM
            (
-- @rows
            )
            GROUP BY actor_id, credited_login, domain, at_key, repo_key
        ) AS identities
        ANY LEFT JOIN
        (
-- @include person_by_id.sql
        ) AS by_ids USING actor_id
    ) AS identified
    ANY LEFT JOIN
    (
-- @include person_by_login.sql
    ) AS by_logins USING login_lc
    WHERE @bot_regex = '' OR NOT match(credited_login, @bot_regex) OR match(credited_login, @human_regex)
)
