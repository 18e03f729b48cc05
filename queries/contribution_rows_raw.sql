-- The deduplicated contributions of [@from, @to) computed from the raw
-- sightings, for when the rollup is behind the latest insert: every key
-- with a sighting in the period reduced over all of its sightings, kept
-- when its winning sighting falls in the period (and matches the org and
-- repo). The same rows (at a finer grain) as the rollup's, see
-- store.plan.
SELECT actor_id, actor_login, email_domain, toDateTime(toDate(won_at), 'UTC') AS row_at, repo_name AS row_repo,
       {{kinds "toUInt32(kind = '{kind}') AS c_{kind}" ",\n       "}}
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
    WHERE key_hash IN (SELECT key_hash FROM contributions
                       WHERE created_at >= toDateTime(@from, 'UTC') AND created_at < toDateTime(@to, 'UTC'))
    GROUP BY kind, key_hash
)
WHERE won_at >= toDateTime(@from, 'UTC') AND won_at < toDateTime(@to, 'UTC')
  AND (@org = '' OR lower(org) = lower(@org))
  AND (@repo = '' OR lower(repo_name) = lower(@repo))
  AND (@in_set = 0 OR lower(org) IN @set_orgs OR lower(repo_name) IN @set_repos)
-- @only
