-- The rows of the people stage under the accepted profile (store.plan):
-- the period's contributions one by one as credits.sql judges them, each
-- counted (c_<kind> = 1) when it earns anything, and worth its factor
-- (row_factor, which people_score_credited.sql applies).
SELECT actor_id, actor_login, email_domain, toDateTime(toDate(at), 'UTC') AS row_at, repo_name AS row_repo,
       {{kinds "toUInt32(kind = '{kind}' AND factor > 0) AS c_{kind}" ",\n       "}},
       factor AS row_factor
FROM
(
-- @include credits.sql
)
