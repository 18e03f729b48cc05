-- The rollup's rows of the whole months [@{range}_from, @{range}_to): one
-- branch of the rollup's rows (store.rowsSQL, in place of people.sql's
-- rows line), as contribution_rows_raw.sql gives them: dated by their
-- last day with a contribution, without repository (questions about an
-- org, a repository or a set read days). {range} names the range: m1 the
-- whole months before the first whole year, m2 those after the last. The
-- counts are in the order of contrib.Kinds. The only line takes
-- contribution_rows_only.sql for a question about some identities.
SELECT actor_id, actor_login, email_domain, toDateTime(last_day, 'UTC') AS row_at, '' AS row_repo, {{kinds "c_{kind}" ", "}}
FROM rollup_months
WHERE period >= toDate(toDateTime(@{range}_from, 'UTC')) AND period < toDate(toDateTime(@{range}_to, 'UTC'))
-- @only
