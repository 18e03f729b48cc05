-- The rollup's rows of the days [@{range}_from, @{range}_to): one branch
-- of the rollup's rows (store.rowsSQL, in place of people.sql's rows
-- line), as contribution_rows_raw.sql gives them: dated by day, with
-- their repository, kept when they match the org @org, the repository
-- @repo and the set (@in_set, @set_orgs, @set_repos). {range} names the
-- range: d1 the days before the first whole month, d2 those after the
-- last. The counts are in the order of contrib.Kinds. The only line takes
-- contribution_rows_only.sql for a question about some identities.
SELECT actor_id, actor_login, email_domain, toDateTime(period, 'UTC') AS row_at, repo_name AS row_repo, {{kinds "c_{kind}" ", "}}
FROM rollup_days
WHERE period >= toDate(toDateTime(@{range}_from, 'UTC')) AND period < toDate(toDateTime(@{range}_to, 'UTC'))
  AND (@org = '' OR lower(org) = lower(@org))
  AND (@repo = '' OR lower(repo_name) = lower(@repo))
  AND (@in_set = 0 OR lower(org) IN @set_orgs OR lower(repo_name) IN @set_repos)
-- @only
